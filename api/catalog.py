"""The portal's open data described in DCAT-AP-SE 3.0.1, for Sweden's national data portal.

RDF/XML, the format its harvester reads, at ``/api/v1/catalog/`` and at the conventional
``/datasets/dcat``. Every class and property the profile makes mandatory is there:

* catalogue: title, description, one publisher, licence, datasets;
* datasets (indicators, action plans, follow-up rounds): title, description, one publisher;
* distributions: one access URL and one format, with media type, licence and availability
  (files also have a download URL); the API as a data service with its endpoint URL;
* agents: a name and a type (ADMS publisher type); a party's organisation number
  (``dcterms:identifier``) only when ``OPEN_DATA_ORGANISATION_NUMBERS`` gives it – none is
  invented;
* contact point: a vCard organisation with a name and an e-mail address – only when
  ``OPEN_DATA_CONTACT_EMAIL`` is set, as the profile requires the address.

The publisher is the programme itself, run jointly by the three parties (who are named
as its members and as each dataset's creators); ``OPEN_DATA_PUBLISHER`` names one party as
the publisher instead, if the parties decide that one of them publishes. The licence,
CC0 1.0, is the portal's choice for these facts about public programmes
(``OPEN_DATA_LICENSE``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_safe

from actionplan.models import ActionPlan, FollowUpRound
from indicators.models import Measurement
from programme.models import Organisation

EU = "http://publications.europa.eu/resource/authority"
ADMS_PUBLISHER_TYPE = "http://purl.org/adms/publishertype/"
IANA = "http://www.iana.org/assignments/media-types/"


@dataclass
class Agent:
    key: str
    name_sv: str
    name_en: str
    type: str
    identifier: str = ""
    homepage: str = ""


@dataclass
class Distribution:
    key: str
    title_sv: str
    title_en: str
    access_url: str
    format: str  # an EU file type: CSV, JSON
    media_type: str
    download_url: str = ""
    via_api: bool = False


def _absolute(request, name: str, language: str | None = "sv", **kwargs) -> str:
    with translation.override(language or translation.get_language()):
        return request.build_absolute_uri(reverse(name, kwargs=kwargs or None))


def _party_agents(parties) -> list[Agent]:
    numbers = settings.OPEN_DATA_ORGANISATION_NUMBERS
    types = settings.OPEN_DATA_PUBLISHER_TYPES
    return [
        Agent(
            key=f"party-{party.slug}",
            name_sv=party.name_sv or party.name,
            name_en=party.name_en or party.name_sv or party.name,
            type=ADMS_PUBLISHER_TYPE + types[party.slug],
            identifier=numbers.get(party.slug, ""),
            homepage=party.website,
        )
        for party in parties
        if party.slug in types  # the profile needs a type for every agent
    ]


def _publisher(parties: list[Agent], homepage: str) -> Agent:
    chosen = settings.OPEN_DATA_PUBLISHER
    for party in parties:
        if chosen and party.key == f"party-{chosen}":
            return party
    names_sv = ", ".join(party.name_sv for party in parties)
    names_en = ", ".join(party.name_en for party in parties)
    return Agent(
        key="publisher",
        name_sv=f"Flemingsberg 2050 ({names_sv})",
        name_en=f"Flemingsberg 2050 ({names_en})",
        # A joint programme of a region and two municipalities: the regional authority type.
        type=ADMS_PUBLISHER_TYPE + "RegionalAuthority",
        homepage=homepage,
    )


@require_safe
def catalog(request):
    """Queries: the parties (1), the latest measurement (1), the latest plan decision (1),
    the latest public follow-up round (1)."""
    catalog_url = _absolute(request, "api:catalog", None)
    homepage = _absolute(request, "programme:home")
    parties = _party_agents(Organisation.objects.filter(is_party=True).order_by("order", "name"))
    publisher = _publisher(parties, homepage)
    measurements_modified = Measurement.objects.for_download().aggregate(latest=Max("entered_at"))[
        "latest"
    ]
    plans_modified = ActionPlan.objects.public().aggregate(latest=Max("decision__date"))["latest"]
    api_url = _absolute(request, "api:index", None)
    indicators_csv = _absolute(request, "indicators:all_csv")
    indicators_excel = _absolute(request, "indicators:all_excel_csv")
    indicators_json = _absolute(request, "indicators:all_json")
    json_type = (f"{EU}/file-type/JSON", IANA + "application/json")
    csv_type = (f"{EU}/file-type/CSV", IANA + "text/csv")
    indicator_distributions = [
        Distribution(
            "indicators-csv",
            "Alla mätvärden (CSV, UTF-8, kommaseparerad)",
            "All measurements (CSV, UTF-8, comma-separated)",
            indicators_csv,
            *csv_type,
            download_url=indicators_csv,
        ),
        Distribution(
            "indicators-excel-csv",
            "Alla mätvärden (CSV för Excel med svenska inställningar: semikolon, decimalkomma)",
            "All measurements (CSV for Excel with Swedish settings: semicolons, decimal comma)",
            indicators_excel,
            *csv_type,
            download_url=indicators_excel,
        ),
        Distribution(
            "indicators-json",
            "Alla mätvärden (JSON)",
            "All measurements (JSON)",
            indicators_json,
            *json_type,
            download_url=indicators_json,
        ),
        Distribution(
            "indicators-api",
            "Delmål med mätvärden via API (JSON)",
            "Sub-targets with measurements through the API (JSON)",
            _absolute(request, "api:sub-target-list", None),
            *json_type,
            via_api=True,
        ),
    ]
    plan_distributions = [
        Distribution(
            "action-plans-api",
            "Handlingsplaner via API (JSON)",
            "Action plans through the API (JSON)",
            _absolute(request, "api:action-plan-list", None),
            *json_type,
            via_api=True,
        ),
        Distribution(
            "actions-api",
            "Åtgärder med uppföljning via API (JSON)",
            "Actions with follow-up through the API (JSON)",
            _absolute(request, "api:action-list", None),
            *json_type,
            via_api=True,
        ),
    ]
    # The latest closed round of a public plan (never an open one): its snapshot's files.
    latest_round = (
        FollowUpRound.objects.public().select_related("plan").order_by("-closed_at", "-pk").first()
    )
    round_distributions = []
    if latest_round is not None:
        args = {"year": latest_round.plan.year, "pk": latest_round.pk}
        round_page = _absolute(request, "actionplan:round", **args)
        for key, name, title_sv, title_en, kind in (
            ("actions-csv", "actionplan:round_actions_csv", "åtgärderna", "the actions", csv_type),
            (
                "sub-targets-csv",
                "actionplan:round_targets_csv",
                "delmålen",
                "the sub-targets",
                csv_type,
            ),
            ("json", "actionplan:round_json", "omgången", "the round", json_type),
        ):
            url = _absolute(request, name, **args)
            file_format = "JSON" if kind is json_type else "CSV"
            round_distributions.append(
                Distribution(
                    f"latest-round-{key}",
                    f"Senaste uppföljningsomgången: {title_sv} vid stängningen ({file_format})",
                    f"Latest follow-up round: {title_en} when it closed ({file_format})",
                    url,
                    *kind,
                    download_url=url,
                )
            )
    context = {
        "catalog_url": catalog_url,
        "homepage": homepage,
        "about_url": _absolute(request, "programme:about"),
        "api_url": api_url,
        "docs_url": _absolute(request, "api:docs", None),
        "schema_url": _absolute(request, "api:schema", None),
        "indicators_page": _absolute(request, "indicators:overview"),
        "plans_page": _absolute(request, "actionplan:index"),
        "publisher": publisher,
        "parties": parties,
        "agents": [publisher, *(party for party in parties if party is not publisher)],
        "license": settings.OPEN_DATA_LICENSE,
        "contact_email": settings.OPEN_DATA_CONTACT_EMAIL,
        "measurements_modified": measurements_modified.date() if measurements_modified else None,
        "plans_modified": plans_modified,
        "indicator_distributions": indicator_distributions,
        "plan_distributions": plan_distributions,
        "round_distributions": round_distributions,
        "rounds_modified": latest_round.closed_at.date() if latest_round else None,
        "rounds_page": round_page if latest_round else "",
        "distributions": [*indicator_distributions, *plan_distributions, *round_distributions],
        "eu": EU,
    }
    return render(
        request,
        "api/catalog.rdf",
        context,
        content_type="application/rdf+xml; charset=utf-8",
    )
