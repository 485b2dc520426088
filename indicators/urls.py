from django.urls import path
from django.utils.translation import pgettext_lazy

from . import views

app_name = "indicators"

urlpatterns = [
    path("", views.overview, name="overview"),
    # Open data: file names are the same in every language.
    path("data.csv", views.all_csv, name="all_csv"),
    path("data-excel.csv", views.all_excel_csv, name="all_excel_csv"),
    path("data.json", views.all_json, name="all_json"),
    path(pgettext_lazy("url", "<slug:slug>/"), views.sub_target_detail, name="sub_target"),
    path("<slug:slug>/data.csv", views.sub_target_csv, name="sub_target_csv"),
    path("<slug:slug>/data-excel.csv", views.sub_target_excel_csv, name="sub_target_excel_csv"),
    path("<slug:slug>/data.json", views.sub_target_json, name="sub_target_json"),
]
