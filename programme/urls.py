from django.urls import path
from django.utils.translation import pgettext_lazy

from . import pdf_views, views

app_name = "programme"

urlpatterns = [
    path("", views.home, name="home"),
    path(pgettext_lazy("url", "goals/<slug:slug>/"), views.goal_detail, name="goal"),
    path(pgettext_lazy("url", "strategies/<slug:slug>/"), views.strategy_detail, name="strategy"),
    path(pgettext_lazy("url", "about/"), views.about, name="about"),
    path(pgettext_lazy("url", "history/"), views.history, name="history"),
    path(pgettext_lazy("url", "programme.pdf"), pdf_views.programme_pdf, name="programme_pdf"),
]
