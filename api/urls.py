"""/api/v1/: not language-prefixed; ``?lang=`` or Accept-Language choose the texts."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from . import catalog, views

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("programmes", views.ProgrammeViewSet, basename="programme")
router.register("goals", views.GoalViewSet, basename="goal")
router.register("strategies", views.StrategyViewSet, basename="strategy")
router.register("sub-targets", views.SubTargetViewSet, basename="sub-target")
router.register("action-plans", views.ActionPlanViewSet, basename="action-plan")
router.register("actions", views.ActionViewSet, basename="action")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.DocsView.as_view(), name="docs"),
    path("catalog/", catalog.catalog, name="catalog"),
    path("", views.index, name="index"),
    path("", include(router.urls)),
    # Anything else under /api/v1/ (an id with a dot, an unknown resource) is a JSON 404,
    # never the site's HTML page.
    re_path(r"^.*$", views.not_found),
]
