"""A DCAT-AP-SE description of the portal's open data, for Sweden's national data portal.

RDF/XML, the format its harvester reads. Two datasets: the indicators' measurements and
the action plans with their actions. The licence, CC0 1.0, is the portal's choice for
these facts about public programmes; change ``OPEN_DATA_LICENSE`` if the parties decide
otherwise.
"""

from django.conf import settings
from django.db.models import Max
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.views.decorators.http import require_safe

from actionplan.models import ActionPlan
from indicators.models import Measurement
from programme.models import Organisation

EU = "http://publications.europa.eu/resource/authority"


def _absolute(request, name: str, language: str | None = None) -> str | None:
    try:
        if language is None:
            return request.build_absolute_uri(reverse(name))
        with translation.override(language):
            return request.build_absolute_uri(reverse(name))
    except NoReverseMatch:
        return None


@require_safe
def catalog(request):
    """Queries: the parties (1), the latest measurement (1), the latest plan decision (1)."""
    api_url = request.build_absolute_uri(reverse("api:schema")).removesuffix("schema/")
    measurements_modified = Measurement.objects.for_download().aggregate(latest=Max("entered_at"))[
        "latest"
    ]
    plans_modified = ActionPlan.objects.public().aggregate(latest=Max("decision_date"))["latest"]
    context = {
        "catalog_url": request.build_absolute_uri(),
        "homepage": _absolute(request, "programme:home", "sv"),
        "about_url": _absolute(request, "programme:about", "sv"),
        "api_url": api_url,
        "docs_url": request.build_absolute_uri(reverse("api:docs")),
        "schema_url": request.build_absolute_uri(reverse("api:schema")),
        "sub_targets_url": request.build_absolute_uri(reverse("api:sub-target-list")),
        "action_plans_url": request.build_absolute_uri(reverse("api:action-plan-list")),
        "actions_url": request.build_absolute_uri(reverse("api:action-list")),
        "indicators_page": _absolute(request, "indicators:overview", "sv"),
        "plans_page": _absolute(request, "actionplan:index", "sv"),
        "indicators_csv": _absolute(request, "indicators:all_csv", "sv"),
        "indicators_json": _absolute(request, "indicators:all_json", "sv"),
        "parties": Organisation.objects.filter(is_party=True).order_by("order", "name"),
        "license": settings.OPEN_DATA_LICENSE,
        "contact_email": settings.OPEN_DATA_CONTACT_EMAIL,
        "measurements_modified": measurements_modified.date() if measurements_modified else None,
        "plans_modified": plans_modified,
        "eu": EU,
    }
    return render(
        request,
        "api/catalog.rdf",
        context,
        content_type="application/rdf+xml; charset=utf-8",
    )
