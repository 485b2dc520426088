"""Public pages of the annual action plans (handlingsplaner)."""

from django.urls import path
from django.utils.translation import pgettext_lazy

from . import pdf_views, views

app_name = "actionplan"

urlpatterns = [
    path("", views.plan_detail, name="index"),
    path(pgettext_lazy("url", "compare/"), views.compare, name="compare"),
    path("<int:year>/", views.plan_detail, name="year"),
    path(pgettext_lazy("url", "<int:year>/action-plan.pdf"), pdf_views.public_plan_pdf, name="pdf"),
    path(
        pgettext_lazy("url", "<int:year>/actions/<int:pk>/"),
        views.action_detail,
        name="action",
    ),
    path(pgettext_lazy("url", "<int:year>/coverage/"), views.coverage, name="coverage"),
    path(
        pgettext_lazy("url", "<int:year>/communication-plan/"),
        views.communication_plan,
        name="communication",
    ),
]
