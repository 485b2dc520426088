from django.urls import path
from django.utils.translation import pgettext_lazy

from . import views

app_name = "indicators"

urlpatterns = [
    path("", views.overview, name="overview"),
    path(pgettext_lazy("url", "<slug:slug>/"), views.sub_target_detail, name="sub_target"),
]
