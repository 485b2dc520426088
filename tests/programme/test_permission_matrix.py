"""The permission matrix, generated from the admin registry (issue 10).

Every registered model × every persona × its own and another organisation's rows × list,
view, add, change, delete, history, history revert, import, export, every admin action and
every inline, all through the real admin URLs (inlines through their admin class). What each
role may do is written out below (:func:`expected`), independently of ``programme.roles``:
if a rule or an object-level check in any admin, or the permission of any admin action, is
lost, a cell here turns red. A model or action added to the admin without a line here fails
:func:`test_every_admin_model_and_action_is_in_the_matrix`.

The personas: a visitor, a coordinator of each party, a programme editor and a steering
group member (both of Region Stockholm), a superuser, and an editor whose account was
deactivated. "Own" rows belong to Huddinge, "other" rows to Botkyrka; an action led by
Botkyrka with Huddinge co-responsible is Huddinge's to change but not to delete.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, reverse
from simple_history.admin import SimpleHistoryAdmin

from actionplan.models import (
    Action,
    ActionPartner,
    ActionPlan,
    CommunicationActivity,
    FollowUpRound,
    FollowUpUpdate,
    FundingContribution,
)
from indicators.models import Assessment, Measurement, SubTarget
from programme.models import (
    Chapter,
    ChapterSection,
    MainTask,
    Organisation,
    RegionalCityCore,
    StaffMembership,
    SubStrategy,
    Vision,
)
from tests.decisions import coordination_decision

pytestmark = pytest.mark.django_db

PERSONAS = (
    "visitor",
    "coordinator:huddinge",
    "coordinator:botkyrka",
    "coordinator:region-stockholm",
    "editor",
    "steering",
    "superuser",
    "inactive-editor",
)
VERBS = ("list", "view", "add", "change", "delete", "history", "revert")
READ_VERBS = ("list", "view", "history")
SUPERUSER_ONLY = {
    "auth.group",
    "auth.user",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "django_tasks_database.dbtaskresult",
    "programme.staffmembership",
}
# Content the programme editors own; coordinators and steering read it.
EDITOR_CONTENT = {
    "programme.organisation",
    "programme.programme",
    "programme.developmentgoal",
    "programme.strategy",
    "programme.substrategy",
    "programme.chapter",
    "programme.chaptersection",
    "programme.regionalcitycore",
    "programme.vision",
    "programme.maintask",
    "programme.decision",
    "indicators.subtarget",
    "indicators.assessment",
    "actionplan.actionplan",
    "actionplan.followupround",
}
# Models coordinators work on, each with an owner organisation per row (see Case).
COORDINATED = {
    "indicators.measurement",
    "actionplan.action",
    "actionplan.followupupdate",
    "actionplan.communicationactivity",
}
# Admin actions (by name) and who may run them.
ACTIONS = {
    "publish": "editors",
    "unpublish": "editors",
    "roll_forward": "editors",
    "close_rounds": "editors",
    "store_missing_reports": "editors",
    "export_follow_up_reports": "report readers",
    "delete_selected": "deleters",
    "cleanup_expired_attempts": "superusers",
}
# Inlines (model of the inline, within the admin of the model).
INLINES = {
    ("programme.programme", "programme.vision"): "editors",
    ("programme.programme", "programme.maintask"): "editors",
    ("programme.strategy", "programme.substrategy"): "editors",
    ("programme.chapter", "programme.chaptersection"): "editors",
    ("programme.programme", "programme.sourcecorrection"): "editors",
    ("indicators.subtarget", "indicators.measurement"): "measuring party",
    ("indicators.subtarget", "indicators.assessment"): "editors",
    ("actionplan.actionplan", "actionplan.fundingcontribution"): "editors, until adopted",
    ("actionplan.actionplan", "actionplan.plantransition"): "nobody",
    ("actionplan.followupround", "actionplan.roundsignoff"): "nobody",
    ("actionplan.action", "actionplan.actionpartner"): "lead party",
    ("actionplan.action", "actionplan.followupupdate"): "follow-up",
}


@dataclass
class Case:
    """One row of a model to try every verb on, and what makes it special."""

    name: str
    obj: object
    lead: str | None = None  # the organisation that owns/leads it (slug)
    partners: tuple[str, ...] = ()  # co-responsible organisations (actions)
    frozen: bool = False  # part of an adopted plan
    extra: dict = field(default_factory=dict)


# ------------------------------------------------------------------------------ the world


@pytest.fixture
def world(build_programme, parties, make_staff):
    programme = build_programme(goals=2, strategies=1)
    goal = programme.goals.order_by("order").first()
    strategy = programme.strategies.first()
    chapter = Chapter.objects.create(
        programme=programme, number=1, slug="k1", title="Kapitel", is_published=True
    )
    section = ChapterSection.objects.create(
        chapter=chapter, slug="s1", title="Avsnitt", body="Text", is_published=True
    )
    core = RegionalCityCore.objects.create(
        programme=programme, number=1, name="Flemingsberg", is_published=True
    )
    main_task = MainTask.objects.create(programme=programme, title="Uppgift", is_published=True)
    sub_targets = {
        "huddinge": SubTarget.objects.get(slug="delmal-1"),
        "botkyrka": SubTarget.objects.get(slug="delmal-2"),
    }
    for slug, sub_target in sub_targets.items():
        sub_target.measuring_organisation = parties[slug]
        sub_target.save()
    measurements = {
        slug: Measurement.objects.create(
            sub_target=sub_target, period_year=2024, value=Decimal(10), is_published=True
        )
        for slug, sub_target in sub_targets.items()
    }
    draft = ActionPlan.objects.create(programme=programme, year=2027, title="Utkast 2027")
    adopted = ActionPlan.objects.create(
        programme=programme,
        year=2026,
        title="Handlingsplan 2026",
        status=ActionPlan.Status.ADOPTED,
        decision=coordination_decision(datetime.date(2025, 12, 1)),
    )
    FundingContribution.objects.create(
        plan=draft, organisation=parties["huddinge"], year=2027, amount_sek=1000
    )

    def action(plan, number, lead, partners=()):
        row = Action.objects.create(
            plan=plan, number=number, title=f"Åtgärd {number}", lead_organisation=parties[lead]
        )
        row.goals.add(goal)
        for slug in partners:
            ActionPartner.objects.create(action=row, organisation=parties[slug])
        return row

    actions = {
        "own": action(draft, "2027:01", "huddinge"),
        "co-responsible": action(draft, "2027:02", "botkyrka", ["huddinge"]),
        "other": action(draft, "2027:03", "botkyrka"),
        "own, adopted": action(adopted, "2026:01", "huddinge"),
    }
    updates = {
        name: FollowUpUpdate.objects.create(
            action=actions[name], date=datetime.date(2026, 3, 1), status="ongoing", progress=10
        )
        for name in ("own", "other")
    }
    activities = {
        slug: CommunicationActivity.objects.create(
            plan=draft, title=f"Aktivitet {slug}", responsible_organisation=parties[slug]
        )
        for slug in ("huddinge", "botkyrka")
    }
    open_round = FollowUpRound.objects.create(
        plan=adopted,
        title="Uppföljning tertial 2 2026",
        reports_on=datetime.date(2026, 8, 31),
        deadline=datetime.date(2026, 9, 15),
    )
    closed_round = FollowUpRound.objects.create(
        plan=adopted,
        title="Uppföljning tertial 1 2026",
        reports_on=datetime.date(2026, 4, 30),
        deadline=datetime.date(2026, 5, 15),
        status=FollowUpRound.Status.CLOSED,
        closed_at=datetime.datetime(2026, 5, 20, tzinfo=datetime.UTC),
    )
    users = {
        "editor": make_staff("editor"),
        "steering": make_staff("steering"),
        "coordinator:huddinge": make_staff("coordinator", "huddinge"),
        "coordinator:botkyrka": make_staff("coordinator", "botkyrka"),
        "coordinator:region-stockholm": make_staff("coordinator", "region-stockholm"),
        "superuser": get_user_model().objects.create_superuser("root", "", "x" * 20),
        "inactive-editor": make_staff("editor", username="gone"),
    }
    users["inactive-editor"].is_active = False
    users["inactive-editor"].save()
    attempt = AccessAttempt.objects.create(
        username="x", ip_address="127.0.0.1", user_agent="", failures_since_start=1
    )
    access_log = AccessLog.objects.create(username="x", ip_address="127.0.0.1", user_agent="")
    failure_log = AccessFailureLog.objects.create(
        username="x", ip_address="127.0.0.1", user_agent=""
    )
    from django_tasks_db.models import DBTaskResult

    task_result = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="flemingsberg.tasks.example",
        backend_name="default",
        run_after=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        exception_class_path="",
        traceback="",
    )

    def plain(obj):
        return [Case("row", obj)]

    cases = {
        "auth.group": plain(Group.objects.first()),
        "auth.user": plain(users["steering"]),
        "axes.accessattempt": plain(attempt),
        "axes.accesslog": plain(access_log),
        "axes.accessfailurelog": plain(failure_log),
        "django_tasks_database.dbtaskresult": plain(task_result),
        "programme.staffmembership": plain(StaffMembership.objects.first()),
        "programme.organisation": plain(Organisation.objects.get(slug="huddinge")),
        "programme.programme": plain(programme),
        "programme.developmentgoal": plain(goal),
        "programme.strategy": plain(strategy),
        "programme.substrategy": plain(SubStrategy.objects.first()),
        "programme.chapter": plain(chapter),
        "programme.chaptersection": plain(section),
        "programme.regionalcitycore": plain(core),
        "programme.vision": plain(Vision.objects.get(programme=programme)),
        "programme.maintask": plain(main_task),
        "indicators.subtarget": [
            Case(f"measured by {slug}", sub_target, lead=slug)
            for slug, sub_target in sub_targets.items()
        ],
        "indicators.assessment": plain(
            Assessment.objects.create(
                sub_target=sub_targets["huddinge"],
                assessed_on=datetime.date(2026, 11, 1),
                verdict="close",
                trend="positive",
                author_organisation=parties["huddinge"],
            )
        ),
        "indicators.measurement": [
            Case(f"of {slug}", measurement, lead=slug) for slug, measurement in measurements.items()
        ],
        "actionplan.actionplan": [
            Case("draft", draft),
            Case("adopted", adopted, frozen=True),
        ],
        # Recorded by editors; the one an adopted plan rests on is part of its decision.
        "programme.decision": [
            Case("not yet used", coordination_decision(datetime.date(2026, 11, 12))),
            Case("of the adopted plan", adopted.decision, frozen=True),
        ],
        "actionplan.action": [
            Case(name, row, lead=row.lead_organisation.slug, frozen=row.plan.is_frozen)
            for name, row in actions.items()
        ],
        "actionplan.followupupdate": [
            Case(f"of {name}", update, lead=update.action.lead_organisation.slug)
            for name, update in updates.items()
        ],
        "actionplan.followupround": [
            Case("open", open_round),
            # A closed round is a record: its snapshot and report stand (frozen).
            Case("closed", closed_round, frozen=True),
        ],
        "actionplan.communicationactivity": [
            Case(f"of {slug}", activity, lead=slug) for slug, activity in activities.items()
        ],
    }
    cases["actionplan.action"][1].partners = ("huddinge",)
    return {"users": users, "cases": cases, "draft": draft, "adopted": adopted}


# ------------------------------------------------------------------------------ expectations


def _org(persona: str) -> str | None:
    return persona.split(":")[1] if persona.startswith("coordinator:") else None


def reads_admin(persona: str) -> bool:
    return persona in ("editor", "steering", "superuser") or persona.startswith("coordinator:")


def expected(persona: str, verb: str, label: str, case: Case | None) -> bool:
    """May ``persona`` ``verb`` this row (or, without a case, some row) of the model?"""
    if not reads_admin(persona):
        return False
    if verb == "delete" and case is not None and case.frozen:
        return False  # an adopted plan and its actions are the decision: never deleted
    if label == "actionplan.followupround" and case is not None and case.frozen:
        return verb in READ_VERBS  # a closed round is a record: read, never changed
    if persona == "superuser":
        if label == "django_tasks_database.dbtaskresult":
            return verb in READ_VERBS  # the task queue's results: a log, never written by hand
        if label.startswith("axes."):
            return verb != "add"  # sign-in records come from sign-ins only
        return True
    if label in SUPERUSER_ONLY:
        return False
    if verb in READ_VERBS:
        return True
    if persona == "editor":
        return True
    if persona == "steering":
        return False
    org = _org(persona)
    involved = case is not None and (case.lead == org or org in case.partners)
    leads = case is not None and case.lead == org
    if label == "indicators.subtarget":
        # Not the sub-target's text, but its change page is where the values are entered.
        return verb in ("change", "revert") and leads
    if label not in COORDINATED:
        return False
    if verb == "add":
        return label != "actionplan.followupupdate" or True  # the page; the row's owner on save
    if label == "actionplan.action":
        if verb in ("change", "revert"):
            return involved
        if verb == "delete":
            return leads and not case.frozen
    if label == "actionplan.followupupdate":
        return False  # follow-up is added, not rewritten: editors (and its author) correct it
    if label == "indicators.measurement" and verb == "delete":
        return False  # the values here are published (reviewed): an editor corrects them
    return leads  # measurements, communication activities: change, delete, revert


def expected_action(persona: str, action: str, label: str) -> bool:
    who = ACTIONS[action]
    if persona == "superuser":
        return True
    if not reads_admin(persona) or label in SUPERUSER_ONLY:
        return False
    if who == "editors":
        return persona == "editor"
    if who == "report readers":
        return True
    if who == "deleters":
        return persona == "editor" or (
            _org(persona) is not None
            and label in COORDINATED
            and label != "actionplan.followupupdate"
        )
    return False


def expected_inline(persona: str, who: str, verb: str, parent: Case) -> bool:
    if not reads_admin(persona):
        return False
    if verb == "view":
        return True
    if who == "nobody":
        return False  # a record (plan transitions): never added, changed or deleted by hand
    if who in ("lead party", "editors, until adopted") and parent.frozen:
        return False  # who is co-responsible, and the funding, are part of the decision
    if who == "follow-up" and verb == "add" and not parent.frozen:
        return False  # a draft plan is not carried out yet: it has no follow-up
    if persona in ("editor", "superuser"):
        return True
    if persona == "steering" or who in ("editors", "editors, until adopted"):
        return False
    org = _org(persona)
    if who == "measuring party":
        return parent.lead == org
    if who == "lead party":
        return parent.lead == org and not parent.frozen
    if who == "follow-up":
        return verb == "add" and (parent.lead == org or org in parent.partners)
    return False


# ------------------------------------------------------------------------------ requests


def _url(label: str, view: str, *args) -> str | None:
    app, model = label.split(".")
    try:
        return reverse(f"admin:{app}_{model}_{view}", args=args)
    except NoReverseMatch:
        return None


def _client(world, persona: str) -> Client:
    client = Client()
    if persona != "visitor":
        client.force_login(world["users"][persona])
    return client


def _allowed(response) -> bool:
    """A refused admin request: 403, or (not signed in) the login page."""
    if response.status_code == 302 and "/login/" in response["Location"]:
        return False
    return response.status_code != 403


def _try(client: Client, label: str, verb: str, case: Case | None, history: bool):
    pk = case.obj.pk if case else None
    if verb == "list":
        return client.get(_url(label, "changelist"))
    if verb == "add":
        return client.get(_url(label, "add"))
    if verb == "view":
        return client.get(_url(label, "change", pk))
    if verb == "change":
        # An empty form: refused (403) before validation, or answered with the form's errors.
        return client.post(_url(label, "change", pk), {})
    if verb == "delete":
        return client.get(_url(label, "delete", pk))  # the confirmation page; nothing deleted
    if verb == "history":
        return client.get(_url(label, "history", pk))
    if verb == "revert":
        first = case.obj.history.order_by("history_id").first()
        if first is None:  # loaded by loaddata, which writes no history: save a version
            case.obj.save()
            first = case.obj.history.order_by("history_id").first()
        version = first.history_id
        return client.post(_url(label, "simple_history", pk, version), {})
    raise AssertionError(verb)


def _registered(label: str):
    for model, model_admin in admin.site._registry.items():
        if model._meta.label_lower == label:
            return model, model_admin
    raise AssertionError(f"{label} is not registered")


LABELS = sorted(model._meta.label_lower for model in admin.site._registry)


def test_every_admin_model_and_action_is_in_the_matrix(world):
    assert set(LABELS) == SUPERUSER_ONLY | EDITOR_CONTENT | COORDINATED
    superuser = world["users"]["superuser"]
    request = RequestFactory().get("/admin/")
    request.user = superuser
    for label in LABELS:
        _model, model_admin = _registered(label)
        unknown = set(model_admin.get_actions(request)) - set(ACTIONS)
        assert not unknown, f"{label}: admin actions without a line in ACTIONS: {unknown}"
        for inline in model_admin.inlines:
            assert (label, inline.model._meta.label_lower) in INLINES, (label, inline)


@pytest.mark.parametrize("label", LABELS)
def test_matrix(world, label):
    _model, model_admin = _registered(label)
    history = isinstance(model_admin, SimpleHistoryAdmin)
    cases = world["cases"][label]
    verbs = [verb for verb in VERBS if history or verb != "revert"]
    failures = []
    cells = 0
    for persona in PERSONAS:
        client = _client(world, persona)
        for verb in verbs:
            for case in [None] if verb in ("list", "add") else cases:
                got = _allowed(_try(client, label, verb, case, history))
                want = expected(persona, verb, label, case)
                cells += 1
                if got != want:
                    where = case.name if case else "—"
                    failures.append(f"{persona} {verb} {where}: got {got}, expected {want}")
    assert not failures, f"{label} ({cells} cells):\n" + "\n".join(failures)


@pytest.mark.parametrize("label", LABELS)
def test_admin_actions(world, label):
    model, model_admin = _registered(label)
    cases = world["cases"][label]
    failures = []
    for persona in PERSONAS:
        client = _client(world, persona)
        page = client.get(_url(label, "changelist"))
        html = page.content.decode() if page.status_code == 200 else ""
        for action in ACTIONS:
            request = RequestFactory().get("/admin/")
            request.user = world["users"]["superuser"]
            if action not in model_admin.get_actions(request):
                continue
            offered = f'<option value="{action}">' in html
            want = expected_action(persona, action, label)
            if offered != want:
                failures.append(f"{persona} {action}: offered {offered}, expected {want}")
            if not want and cases:
                # Refused on the server too, whatever the page offered: nothing changes.
                obj = cases[0].obj
                before = (model.objects.count(), getattr(obj, "is_published", None))
                plans_before = ActionPlan.objects.count()
                client.post(
                    _url(label, "changelist"),
                    {"action": action, "_selected_action": [obj.pk], "index": 0, "post": "yes"},
                )
                obj.refresh_from_db()
                after = (model.objects.count(), getattr(obj, "is_published", None))
                if before != after or plans_before != ActionPlan.objects.count():
                    failures.append(f"{persona} {action}: ran although refused")
    assert not failures, f"{label}:\n" + "\n".join(failures)


@pytest.mark.parametrize(("label", "inline_label"), sorted(INLINES))
def test_inlines(world, label, inline_label):
    _model, model_admin = _registered(label)
    inline_class = next(i for i in model_admin.inlines if i.model._meta.label_lower == inline_label)
    inline = inline_class(model_admin.model, admin.site)
    who = INLINES[(label, inline_label)]
    failures = []
    for persona in PERSONAS:
        request = RequestFactory().get("/admin/")
        request.user = world["users"].get(persona) or _anonymous()
        for case in world["cases"][label]:
            for verb in ("view", "add", "change", "delete"):
                got = getattr(inline, f"has_{verb}_permission")(request, case.obj)
                want = expected_inline(persona, who, verb, case)
                if bool(got) != want:
                    failures.append(f"{persona} {verb} on {case.name}: got {got}, want {want}")
    assert not failures, f"{label} › {inline_label}:\n" + "\n".join(failures)


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


# ------------------------------------------------------------------------------ other views


def test_plan_views_import_export_pdf_and_transition(world, monkeypatch):
    """The plan admin's own views: import and export of actions, the PDFs, the lifecycle."""
    monkeypatch.setattr(
        "actionplan.renders.PlanDocumentRenderer.render", lambda *args: b"%PDF-1.7 test"
    )
    draft = world["draft"]
    failures = []
    for persona in PERSONAS:
        client = _client(world, persona)
        staff = reads_admin(persona)
        writer = persona in ("editor", "superuser") or persona.startswith("coordinator:")
        checks = {
            "import": (
                client.get(reverse("admin:actionplan_actionplan_import", args=[draft.pk])),
                writer,
            ),
            "export": (
                client.get(reverse("admin:actionplan_actionplan_export", args=[draft.pk, "csv"])),
                staff,
            ),
            "pdf": (
                client.get(
                    reverse("admin:actionplan_actionplan_pdf", args=[draft.pk, "action-plan"])
                ),
                staff,
            ),
            "transition": (
                client.post(
                    reverse("admin:actionplan_actionplan_transition", args=[draft.pk]),
                    {"to_status": "proposed"},
                ),
                persona in ("editor", "superuser"),
            ),
            "measurement import": (
                client.get(reverse("admin:indicators_measurement_import")),
                writer,
            ),
        }
        for name, (response, want) in checks.items():
            if _allowed(response) != want:
                failures.append(f"{persona} {name}: got {response.status_code}, want {want}")
        draft.refresh_from_db()
        if draft.status != ActionPlan.Status.DRAFT:
            draft.status = ActionPlan.Status.DRAFT
            draft.save()
    assert not failures, "\n".join(failures)
