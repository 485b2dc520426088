"""The open-data API: read-only, published content only, in the language asked for.

Each viewset fetches through one QuerySet (its prefetches hide there), so a page costs a
fixed number of queries whatever its size: the count, the rows, one per prefetch.
"""

from django.conf import settings
from django.db.models import Prefetch
from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_safe
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError

from actionplan.models import Action, ActionPlan, FollowUpUpdate
from indicators.models import SubTarget
from programme.models import (
    Decision,
    DevelopmentGoal,
    Organisation,
    Programme,
    Strategy,
    SubStrategy,
)

from . import filters, serializers
from .language import LanguageMixin


class ReadOnlyViewSet(LanguageMixin, viewsets.ReadOnlyModelViewSet):
    """Read-only, paginated, filterable; texts in the language asked for.

    Any id reaches the view (not only one without a dot), so a malformed one is REST
    framework's JSON 404 like any other that does not exist.
    """

    filter_backends = [DjangoFilterBackend]
    lookup_value_regex = "[^/]+"

    def initial(self, request, *args, **kwargs):
        # Every parameter of the API takes one value: a second one is refused, not ignored.
        repeated = {
            name: ["Given more than once: give one value."]
            for name, values in request.query_params.lists()
            if len(values) > 1
        }
        if repeated:
            raise ValidationError(repeated)
        super().initial(request, *args, **kwargs)


@extend_schema_view(
    list=extend_schema(summary="The parties and other organisations the programme names"),
    retrieve=extend_schema(summary="One organisation"),
)
class OrganisationViewSet(ReadOnlyViewSet):
    """The three parties and the other organisations, by slug (`is_party` filters)."""

    serializer_class = serializers.OrganisationSerializer
    queryset = Organisation.objects.all()
    lookup_field = "slug"
    filterset_class = filters.OrganisationFilter


@extend_schema_view(
    list=extend_schema(summary="Published programme versions"),
    retrieve=extend_schema(summary="One programme version"),
)
class ProgrammeViewSet(ReadOnlyViewSet):
    """Versions of the development programme: 2007 (replaced) and Flemingsberg 2050."""

    serializer_class = serializers.ProgrammeSerializer
    queryset = Programme.objects.public().prefetch_related(
        "owners",
        Prefetch(
            "decisions",
            queryset=Decision.objects.select_related("organisation", "programme").order_by(
                "date", "pk"
            ),
        ),
    )
    lookup_field = "slug"


@extend_schema_view(
    list=extend_schema(summary="Development goals for 2050"),
    retrieve=extend_schema(summary="One development goal"),
)
class GoalViewSet(ReadOnlyViewSet):
    """The development goals for 2050, with the slugs of their published sub-targets."""

    serializer_class = serializers.GoalSerializer
    filterset_class = filters.GoalFilter

    def get_queryset(self):
        return (
            DevelopmentGoal.objects.public()
            .select_related("programme")
            .prefetch_related(
                Prefetch(
                    "sub_targets",
                    queryset=SubTarget.objects.public().only("id", "slug", "goal_id"),
                    to_attr="published_sub_targets",
                )
            )
        )


@extend_schema_view(
    list=extend_schema(summary="Main strategies with their sub-strategies"),
    retrieve=extend_schema(summary="One main strategy"),
)
class StrategyViewSet(ReadOnlyViewSet):
    """The main strategies, the goals they lead to, and their sub-strategies."""

    serializer_class = serializers.StrategySerializer
    filterset_class = filters.StrategyFilter

    def get_queryset(self):
        return (
            Strategy.objects.public()
            .select_related("programme")
            .prefetch_related(
                Prefetch(
                    "goals",
                    queryset=DevelopmentGoal.objects.public().only("id", "slug"),
                    to_attr="published_goals",
                ),
                Prefetch(
                    "sub_strategies",
                    queryset=SubStrategy.objects.public(),
                    to_attr="published_sub_strategies",
                ),
            )
        )


@extend_schema_view(
    list=extend_schema(summary="Measurable 2030 sub-targets with their published measurements"),
    retrieve=extend_schema(summary="One sub-target with its measurements"),
)
class SubTargetViewSet(ReadOnlyViewSet):
    """Measurable 2030 sub-targets: indicator, baseline, target, published measurements."""

    serializer_class = serializers.SubTargetSerializer
    filterset_class = filters.SubTargetFilter
    lookup_field = "slug"

    def get_queryset(self):
        return (
            SubTarget.objects.public()
            .select_related("goal", "measuring_organisation")
            .with_published_measurements()
        )


@extend_schema_view(
    list=extend_schema(summary="Adopted and superseded action plans"),
    retrieve=extend_schema(summary="One action plan"),
)
class ActionPlanViewSet(ReadOnlyViewSet):
    """Annual action plans that have been adopted (in force) or superseded."""

    serializer_class = serializers.ActionPlanSerializer
    filterset_class = filters.ActionPlanFilter

    def get_queryset(self):
        return ActionPlan.objects.public().select_related(
            "programme", "decision__organisation", "decision__programme"
        )


@extend_schema_view(
    list=extend_schema(summary="Actions of the public action plans, with their follow-ups"),
    retrieve=extend_schema(summary="One action with its follow-ups"),
)
class ActionViewSet(ReadOnlyViewSet):
    """Actions of the adopted and superseded plans, with their follow-up updates (newest
    first). Actions of draft or proposed plans are never shown."""

    serializer_class = serializers.ActionSerializer
    filterset_class = filters.ActionFilter

    def get_queryset(self):
        return (
            Action.objects.public()
            .select_related("plan", "lead_organisation")
            .prefetch_related(
                Prefetch("co_responsible", queryset=Organisation.objects.only("id", "slug")),
                Prefetch(
                    "goals",
                    queryset=DevelopmentGoal.objects.public().only("id", "slug"),
                    to_attr="published_goals",
                ),
                Prefetch(
                    "strategies",
                    queryset=Strategy.objects.public().only("id", "slug"),
                    to_attr="published_strategies",
                ),
                Prefetch("updates", queryset=FollowUpUpdate.objects.order_by("-date", "-pk")),
            )
            .order_by("-plan__year", "number", "pk")
        )


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from the portal's own static files (drf-spectacular-sidecar, no CDN).

    The split view serves its start script as a file of its own (``?script``), and our
    template has no inline style, so the page works under ``script-src 'self'``.
    """

    template_name = "api/docs.html"
    url_name = "api:schema"


#: The API's resources, in the order the index lists them: (name, URL name, description).
RESOURCES = [
    ("organisations", "api:organisation-list", "The parties and the other organisations"),
    ("programmes", "api:programme-list", "Published programme versions"),
    ("goals", "api:goal-list", "Development goals for 2050"),
    ("strategies", "api:strategy-list", "Main strategies with their sub-strategies"),
    ("sub-targets", "api:sub-target-list", "2030 sub-targets with published measurements"),
    ("action-plans", "api:action-plan-list", "Adopted and superseded action plans"),
    ("actions", "api:action-list", "Actions of the public plans, with their follow-ups"),
]


@require_safe
def index(request):
    """``/api/v1/``: what the API offers, with links (no query)."""

    def url(name: str) -> str:
        return request.build_absolute_uri(reverse(name))

    return JsonResponse(
        {
            "title": "Flemingsberg 2050 open-data API",
            "version": "v1",
            "resources": [
                {"name": name, "url": url(url_name), "description": description}
                for name, url_name, description in RESOURCES
            ],
            "schema": url("api:schema"),
            "docs": url("api:docs"),
            "catalog": url("api:catalog"),
            "license": settings.OPEN_DATA_LICENSE,
        },
        json_dumps_params={"ensure_ascii": False},
    )


def not_found(request, *args, **kwargs):
    """A JSON 404 for a path under /api/v1/ that names no resource."""
    return JsonResponse({"detail": "Not found."}, status=404)
