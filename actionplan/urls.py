"""Public pages of the annual action plans (handlingsplaner)."""

from django.urls import path
from django.utils.translation import pgettext_lazy

from . import pdf_views, round_views, views

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
    # Closed follow-up rounds (never an open one): summary, stored report, snapshot.
    path(
        pgettext_lazy("url", "<int:year>/follow-up/<int:pk>/"),
        round_views.round_detail,
        name="round",
    ),
    path(
        pgettext_lazy("url", "<int:year>/follow-up/<int:pk>/report-<str:language>.pdf"),
        round_views.round_pdf,
        name="round_pdf",
    ),
    path(
        pgettext_lazy("url", "<int:year>/follow-up/<int:pk>/actions.csv"),
        round_views.round_actions_csv,
        name="round_actions_csv",
    ),
    path(
        pgettext_lazy("url", "<int:year>/follow-up/<int:pk>/sub-targets.csv"),
        round_views.round_targets_csv,
        name="round_targets_csv",
    ),
    path(
        pgettext_lazy("url", "<int:year>/follow-up/<int:pk>/snapshot.json"),
        round_views.round_json,
        name="round_json",
    ),
]
