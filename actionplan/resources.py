"""A plan's actions to and from spreadsheets (django-import-export).

The same columns go out as come in. Parties and goals are referenced by slug or name.
Each row is checked as a whole before anything is set on a model (``before_import_row``),
so a bad row gives exactly one error naming its column and the reason; the import is
all or nothing (see ``services.import_actions``).

Lookups (parties, goals, strategies, the plan's actions) are read once per import into
dictionaries: a 1,000-row file costs a handful of queries per row (insert, M2M, history),
none for resolving references.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources

from programme import roles
from programme.models import DevelopmentGoal, Organisation, Strategy, SubStrategy

from .models import Action, ActionPartner, ActionPlan, ActionStatus

LIST_SEPARATOR = ";"

COLUMNS = (
    "number",
    "title_sv",
    "title_en",
    "description_sv",
    "description_en",
    "lead_party",
    "co_responsible",
    "contact_person",
    "goals",
    "strategies",
    "sub_strategies",
    "start_year",
    "start_quarter",
    "end_year",
    "end_quarter",
    "status",
    "progress",
    "completed_on",
    "budget_sek",
    "funder",
    "predecessor",
)
REQUIRED_COLUMNS = ("number", "title_sv", "lead_party", "goals", "status")


def _text(value) -> str:
    """A cell as text: spreadsheets give ints, floats, dates or None."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _split(value) -> list[str]:
    return [item.strip() for item in _text(value).split(LIST_SEPARATOR) if item.strip()]


class RowError(Exception):
    def __init__(self, column: str, reason: str):
        super().__init__(reason)
        self.column = column
        self.reason = reason


class _Lookup:
    """Objects by slug and by name (case-insensitive), in every language."""

    def __init__(self, objects, names=("name",)):
        self.by_key = {}
        for obj in objects:
            keys = [getattr(obj, "slug", "")]
            for name in names:
                for suffix in ("", "_sv", "_en"):
                    keys.append(getattr(obj, f"{name}{suffix}", "") or "")
            for key in keys:
                if key:
                    self.by_key.setdefault(key.casefold(), obj)

    def get(self, key: str):
        return self.by_key.get(key.casefold())


class ActionResource(resources.ModelResource):
    """Rows of one plan's actions. Give it the plan and the importing/exporting user."""

    number = fields.Field(attribute="number", column_name="number")
    title_sv = fields.Field(attribute="title_sv", column_name="title_sv")
    title_en = fields.Field(attribute="title_en", column_name="title_en")
    description_sv = fields.Field(attribute="description_sv", column_name="description_sv")
    description_en = fields.Field(attribute="description_en", column_name="description_en")
    lead_party = fields.Field(column_name="lead_party")
    co_responsible = fields.Field(column_name="co_responsible")
    contact_person = fields.Field(attribute="contact_person", column_name="contact_person")
    goals = fields.Field(column_name="goals")
    strategies = fields.Field(column_name="strategies")
    sub_strategies = fields.Field(column_name="sub_strategies")
    start_year = fields.Field(attribute="start_year", column_name="start_year")
    start_quarter = fields.Field(attribute="start_quarter", column_name="start_quarter")
    end_year = fields.Field(attribute="end_year", column_name="end_year")
    end_quarter = fields.Field(attribute="end_quarter", column_name="end_quarter")
    status = fields.Field(attribute="status", column_name="status")
    progress = fields.Field(attribute="progress", column_name="progress")
    completed_on = fields.Field(column_name="completed_on")
    budget_sek = fields.Field(attribute="budget_sek", column_name="budget_sek")
    funder = fields.Field(column_name="funder")
    predecessor = fields.Field(column_name="predecessor")

    class Meta:
        model = Action
        fields = COLUMNS
        export_order = COLUMNS
        import_order = COLUMNS
        import_id_fields = ("number",)
        skip_diff = True
        clean_model_instances = False
        use_transactions = True

    def __init__(self, *, plan: ActionPlan, user=None):
        super().__init__()
        self.plan = plan
        self.user = user
        self._loaded = False

    # --- export -------------------------------------------------------------------

    def get_export_queryset(self, request=None):
        return (
            Action.objects.in_plan(self.plan)
            .select_related("lead_organisation", "funder", "predecessor")
            .prefetch_related(
                "partners__organisation", "goals", "strategies", "sub_strategies__strategy"
            )
            .order_by("number", "pk")
        )

    def dehydrate_lead_party(self, action):
        return action.lead_organisation.slug if action.lead_organisation else ""

    def dehydrate_co_responsible(self, action):
        return f"{LIST_SEPARATOR} ".join(
            f"{p.organisation.slug}: {p.role}" if p.role else p.organisation.slug
            for p in action.partners.all()
        )

    def dehydrate_goals(self, action):
        return f"{LIST_SEPARATOR} ".join(goal.slug for goal in action.goals.all())

    def dehydrate_strategies(self, action):
        return f"{LIST_SEPARATOR} ".join(s.slug for s in action.strategies.all())

    def dehydrate_sub_strategies(self, action):
        return f"{LIST_SEPARATOR} ".join(
            f"{s.strategy.slug}/{s.slug}" for s in action.sub_strategies.all()
        )

    def dehydrate_completed_on(self, action):
        return action.completed_on.isoformat() if action.completed_on else ""

    def dehydrate_funder(self, action):
        return action.funder.slug if action.funder else ""

    def dehydrate_predecessor(self, action):
        return action.predecessor.number if action.predecessor else ""

    # --- import: references read once -----------------------------------------------

    def _load(self):
        if self._loaded:
            return
        programme = self.plan.programme_id
        self.organisations = _Lookup(Organisation.objects.all(), names=("name", "short_name"))
        self.goal_lookup = _Lookup(
            DevelopmentGoal.objects.filter(programme=programme), names=("title",)
        )
        self.strategy_lookup = _Lookup(
            Strategy.objects.filter(programme=programme), names=("title", "short_title")
        )
        self.sub_strategies = {}
        for sub in SubStrategy.objects.filter(strategy__programme=programme).select_related(
            "strategy"
        ):
            for key in (f"{sub.strategy.slug}/{sub.slug}", sub.title_sv, sub.title_en):
                if key:
                    self.sub_strategies.setdefault(key.casefold(), sub)
        self.existing = {
            action.number: action for action in Action.objects.in_plan(self.plan).exclude(number="")
        }
        self.predecessors = dict(
            Action.objects.filter(plan__programme=programme, plan__year__lt=self.plan.year)
            .exclude(number="")
            .order_by("plan__year")
            .values_list("number", "pk")
        )
        self.statuses = {}
        for value, label in ActionStatus.choices:
            self.statuses[value] = value
            self.statuses[str(label).casefold()] = value
        self.statuses.update(
            {
                "planerad": "planned",
                "pågående": "ongoing",
                "avslutad": "completed",
                "genomförd": "completed",
                "uppskjuten": "postponed",
                "inställd": "cancelled",
                "avbruten": "cancelled",
            }
        )
        # Which actions this import may create or change (programme.roles): every one for
        # editors; for a coordinator those their organisation leads, and no other lead.
        self.rows = roles.import_scope(self.user, Action)
        self.is_editor = self.rows.everything
        self.own_organisation_id = self.rows.organisation_id
        self.modifiable_ids = (
            None
            if self.is_editor
            else set(
                self.rows.filter(Action.objects.in_plan(self.plan)).values_list("pk", flat=True)
            )
        )
        self.seen_numbers: dict[str, int] = {}
        self.parsed: dict[int, dict] = {}
        self._loaded = True

    def before_import(self, dataset, **kwargs):
        self._load()

    # --- import: one row -------------------------------------------------------------

    def _organisation(self, column: str, key: str):
        organisation = self.organisations.get(key)
        if organisation is None:
            raise RowError(column, _("unknown party “%(value)s”") % {"value": key})
        return organisation

    def _integer(self, column: str, raw, low: int | None = None, high: int | None = None):
        text = _text(raw)
        if not text:
            return None
        try:
            number = Decimal(text.replace(" ", "").replace(",", "."))
        except InvalidOperation:
            raise RowError(column, _("“%(value)s” is not a number") % {"value": text}) from None
        if number != number.to_integral_value():
            raise RowError(column, _("“%(value)s” is not a whole number") % {"value": text})
        number = int(number)
        if (low is not None and number < low) or (high is not None and number > high):
            raise RowError(
                column,
                _("%(value)s is outside %(low)d–%(high)d")
                % {"value": number, "low": low, "high": high},
            )
        return number

    def parse_row(self, row, row_number: int) -> dict:
        """Check a row and resolve its references; raise RowError at the first fault."""
        parsed: dict = {}
        number = _text(row.get("number"))
        if not number:
            raise RowError("number", _("missing number"))
        if number in self.seen_numbers:
            raise RowError(
                "number",
                _("duplicate number %(number)s (also on row %(row)d)")
                % {"number": number, "row": self.seen_numbers[number] + 1},
            )
        self.seen_numbers[number] = row_number
        parsed["number"] = number
        parsed["title_sv"] = _text(row.get("title_sv"))
        if not parsed["title_sv"]:
            raise RowError("title_sv", _("missing title"))
        for column in ("title_en", "description_sv", "description_en", "contact_person"):
            parsed[column] = _text(row.get(column))
        lead_key = _text(row.get("lead_party"))
        if not lead_key:
            raise RowError("lead_party", _("missing lead party"))
        lead = self._organisation("lead_party", lead_key)
        existing = self.existing.get(number)
        if not self.is_editor:
            if lead.pk != self.own_organisation_id:
                raise RowError("lead_party", _("you may import only your own party's actions"))
            if existing is not None and existing.pk not in self.modifiable_ids:
                raise RowError(
                    "number", _("action %(number)s belongs to another party") % {"number": number}
                )
        parsed["lead_organisation"] = lead
        partners = []
        for item in _split(row.get("co_responsible")):
            key, _sep, role = item.partition(":")
            partners.append((self._organisation("co_responsible", key.strip()), role.strip()))
        parsed["partners"] = partners
        goals = []
        for key in _split(row.get("goals")):
            goal = self.goal_lookup.get(key)
            if goal is None:
                raise RowError("goals", _("unknown goal “%(value)s”") % {"value": key})
            goals.append(goal)
        if not goals:
            raise RowError("goals", _("at least one development goal is needed"))
        parsed["goals"] = goals
        strategies = []
        for key in _split(row.get("strategies")):
            strategy = self.strategy_lookup.get(key)
            if strategy is None:
                raise RowError("strategies", _("unknown strategy “%(value)s”") % {"value": key})
            strategies.append(strategy)
        parsed["strategies"] = strategies
        subs = []
        for key in _split(row.get("sub_strategies")):
            sub = self.sub_strategies.get(key.casefold())
            if sub is None:
                raise RowError(
                    "sub_strategies", _("unknown sub-strategy “%(value)s”") % {"value": key}
                )
            subs.append(sub)
        parsed["sub_strategies"] = subs
        first, last = self.plan.year, self.plan.end_year
        for column in ("start_year", "end_year"):
            parsed[column] = self._integer(column, row.get(column), first, last)
        for column in ("start_quarter", "end_quarter"):
            parsed[column] = self._integer(column, row.get(column), 1, 4)
        if (
            parsed["start_year"]
            and parsed["end_year"]
            and (parsed["start_year"], parsed["start_quarter"] or 1)
            > (parsed["end_year"], parsed["end_quarter"] or 4)
        ):
            raise RowError("end_year", _("the end lies before the start"))
        status_key = _text(row.get("status"))
        status = self.statuses.get(status_key.casefold()) if status_key else ActionStatus.PLANNED
        if status is None:
            raise RowError("status", _("unknown status “%(value)s”") % {"value": status_key})
        parsed["status"] = status
        parsed["progress"] = self._integer("progress", row.get("progress"), 0, 100)
        completed = _text(row.get("completed_on"))
        try:
            parsed["completed_on"] = (
                datetime.date.fromisoformat(completed[:10]) if completed else None
            )
        except ValueError:
            raise RowError(
                "completed_on", _("“%(value)s” is not a date (YYYY-MM-DD)") % {"value": completed}
            ) from None
        if status == ActionStatus.COMPLETED:
            if parsed["progress"] != 100:
                raise RowError("progress", _("a completed action has a progress of 100"))
            if parsed["completed_on"] is None:
                raise RowError("completed_on", _("a completed action needs its completion date"))
        parsed["budget_sek"] = self._integer("budget_sek", row.get("budget_sek"), 0, 10**15)
        funder = _text(row.get("funder"))
        parsed["funder"] = self._organisation("funder", funder) if funder else None
        predecessor = _text(row.get("predecessor"))
        if predecessor and predecessor not in self.predecessors:
            raise RowError(
                "predecessor",
                _("no action %(value)s in an earlier plan") % {"value": predecessor},
            )
        parsed["predecessor_id"] = self.predecessors.get(predecessor) if predecessor else None
        return parsed

    def before_import_row(self, row, **kwargs):
        row_number = kwargs["row_number"]
        try:
            self.parsed[row_number] = self.parse_row(row, row_number)
        except RowError as error:
            raise ValidationError({error.column: error.reason}) from None
        self._current = self.parsed[row_number]

    def get_instance(self, instance_loader, row):
        return self.existing.get(_text(row.get("number")))

    def init_instance(self, row=None):
        action = Action(plan=self.plan)
        action._imported_as_new = True
        return action

    def import_instance(self, instance, row, **kwargs):
        parsed = self._current
        for name in (
            "number",
            "title_sv",
            "title_en",
            "description_sv",
            "description_en",
            "contact_person",
            "start_year",
            "start_quarter",
            "end_year",
            "end_quarter",
            "status",
            "progress",
            "completed_on",
            "budget_sek",
            "predecessor_id",
        ):
            setattr(instance, name, parsed[name])
        instance.lead_organisation = parsed["lead_organisation"]
        instance.funder = parsed["funder"]
        instance.plan = self.plan

    def before_save_instance(self, instance, row, **kwargs):
        instance._history_user = self.user

    def save_m2m(self, instance, row, **kwargs):
        if self._is_dry_run(kwargs) and not self._is_using_transactions(kwargs):
            return
        parsed = self._current
        if getattr(instance, "_imported_as_new", False):
            # A new action has no relations yet: one INSERT per relation, no SELECTs.
            for name, related in (
                ("goals", parsed["goals"]),
                ("strategies", parsed["strategies"]),
                ("sub_strategies", parsed["sub_strategies"]),
            ):
                if related:
                    manager = getattr(instance, name)
                    through = manager.through
                    target = manager.target_field_name
                    through.objects.bulk_create(
                        through(action_id=instance.pk, **{f"{target}_id": obj.pk})
                        for obj in related
                    )
            if parsed["partners"]:
                ActionPartner.objects.bulk_create(
                    ActionPartner(action=instance, organisation=organisation, role=role)
                    for organisation, role in parsed["partners"]
                )
            return
        instance.goals.set(parsed["goals"])
        instance.strategies.set(parsed["strategies"])
        instance.sub_strategies.set(parsed["sub_strategies"])
        wanted = {organisation.pk: role for organisation, role in parsed["partners"]}
        current = {p.organisation_id: p for p in instance.partners.all()}
        for organisation_id, partner in current.items():
            if organisation_id not in wanted:
                partner.delete()
            elif partner.role != wanted[organisation_id]:
                partner.role = wanted[organisation_id]
                partner.save(update_fields=["role"])
        ActionPartner.objects.bulk_create(
            ActionPartner(action=instance, organisation_id=organisation_id, role=role)
            for organisation_id, role in wanted.items()
            if organisation_id not in current
        )
