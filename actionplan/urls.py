from django.urls import path

from . import views

app_name = "actionplan"

urlpatterns = [
    path("", views.plan_index, name="index"),
]
