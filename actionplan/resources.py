"""A plan's actions to and from spreadsheets (django-import-export).

The same columns go out as come in. Parties and goals are referenced by slug or name; lists
are separated by ";". Each column is a library ``Field`` with a widget that reads the cell and
says in one message what is wrong with it; the row is then checked as a whole (the rules that
span columns, and who may import what) and by the model (``clean_model_instances``). Every bad
cell gets one problem naming its column.

**An empty cell in an update keeps the stored value** (each field's widget gives None for an
empty cell and the field does not save None); what the file changes is shown per row and
column in the dry run (``skip_unchanged`` tells unchanged rows apart). To clear a text, edit
the action in the admin.

**Who may import what**: programme editors every action of the plan; a coordinator only the
actions their own organisation leads, and new actions led by it. Nobody's import changes the
lead party of an existing action but an editor's.

Lookups (parties, goals, strategies, the plan's actions with their relations) are read once
per import into dictionaries, so a row costs its own writes and no query to resolve
references, and the dry run compares against the prefetched relations.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from import_export import fields, resources, widgets

from flemingsberg.imports import ImportResourceMixin
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
REQUIRED_COLUMNS = ("number",)
# A new action needs these; an update may leave them out or empty (the stored value stays).
REQUIRED_FOR_NEW = {
    "title_sv": gettext_noop("missing title"),
    "lead_party": gettext_noop("missing lead party"),
    "goals": gettext_noop("at least one development goal is needed"),
}
# modeltranslation's fields behind title_sv/title_en: validated through those columns.
UNTRANSLATED = ("title", "description")
RELATIONS = ("co_responsible", "goals", "strategies", "sub_strategies")
WHOLE_NUMBER = re.compile(r"-?\d+(?:[.,]0+)?")


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


def _join(items) -> str:
    return f"{LIST_SEPARATOR} ".join(items)


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


# --- widgets: one cell each; None means "empty, keep what is stored" -------------------------


class TextWidget(widgets.CharWidget):
    def __init__(self):
        super().__init__(allow_blank=False)

    def clean(self, value, row=None, **kwargs):
        return _text(value) or None


class WholeNumberWidget(widgets.IntegerWidget):
    """A whole number within bounds (given, or read from the resource when callables)."""

    def __init__(self, low=None, high=None):
        super().__init__()
        self.low, self.high = low, high

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, float) and value.is_integer():
            number = int(value)
        elif isinstance(value, int):
            number = value
        else:
            text = _text(value).replace("\xa0", "").replace(" ", "")
            if not text:
                return None
            if not WHOLE_NUMBER.fullmatch(text):
                try:
                    Decimal(text.replace(",", "."))
                except InvalidOperation:
                    raise ValueError(_("“%(value)s” is not a number") % {"value": text}) from None
                raise ValueError(_("“%(value)s” is not a whole number") % {"value": text})
            number = int(re.split(r"[.,]", text)[0])
        low = self.low() if callable(self.low) else self.low
        high = self.high() if callable(self.high) else self.high
        if (low is not None and number < low) or (high is not None and number > high):
            raise ValueError(
                _("%(value)s is outside %(low)d–%(high)d")
                % {"value": number, "low": low, "high": high}
            )
        return number

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class DateWidget(widgets.DateWidget):
    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = _text(value)
        if not text:
            return None
        try:
            return datetime.date.fromisoformat(text[:10])
        except ValueError:
            raise ValueError(
                _("“%(value)s” is not a date (YYYY-MM-DD)") % {"value": text}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class LookupWidget(widgets.Widget):
    """One object by slug or name (``lookup()`` gives the resource's dictionary)."""

    def __init__(self, lookup, unknown: str):
        super().__init__()
        self.lookup, self.unknown = lookup, unknown

    def clean(self, value, row=None, **kwargs):
        key = _text(value)
        if not key:
            return None
        obj = self.lookup().get(key)
        if obj is None:
            raise ValueError(_(self.unknown) % {"value": key})
        return obj

    def render(self, value, obj=None, **kwargs):
        return getattr(value, "slug", "") if value is not None else ""


class ListWidget(LookupWidget):
    """Several objects, separated by ";"; the first unknown one is named."""

    def clean(self, value, row=None, **kwargs):
        keys = _split(value)
        if not keys:
            return None
        found = []
        for key in keys:
            obj = self.lookup().get(key)
            if obj is None:
                raise ValueError(_(self.unknown) % {"value": key})
            if obj not in found:
                found.append(obj)
        return found


class PartnersWidget(LookupWidget):
    """Co-responsible parties as "slug: role; slug" → [(organisation, role)]."""

    def clean(self, value, row=None, **kwargs):
        items = _split(value)
        if not items:
            return None
        partners = {}
        for item in items:
            key, _sep, role = item.partition(":")
            organisation = self.lookup().get(key.strip())
            if organisation is None:
                raise ValueError(_(self.unknown) % {"value": key.strip()})
            partners[organisation] = role.strip()
        return list(partners.items())


class StatusWidget(widgets.Widget):
    NAMES = {
        "planerad": ActionStatus.PLANNED,
        "pågående": ActionStatus.ONGOING,
        "avslutad": ActionStatus.COMPLETED,
        "genomförd": ActionStatus.COMPLETED,
        "uppskjuten": ActionStatus.POSTPONED,
        "inställd": ActionStatus.CANCELLED,
        "avbruten": ActionStatus.CANCELLED,
    }

    def clean(self, value, row=None, **kwargs):
        key = _text(value)
        if not key:
            return None
        names = dict(self.NAMES)
        for choice, label in ActionStatus.choices:
            names[choice] = choice
            names[str(label).casefold()] = choice
        status = names.get(key.casefold())
        if status is None:
            raise ValueError(_("unknown status “%(value)s”") % {"value": key})
        return str(status)

    def render(self, value, obj=None, **kwargs):
        return value or ""


# Marked for translation here; the widgets translate them when they raise.
gettext_noop("unknown party “%(value)s”")
gettext_noop("unknown goal “%(value)s”")
gettext_noop("unknown strategy “%(value)s”")
gettext_noop("unknown sub-strategy “%(value)s”")
gettext_noop("no action %(value)s in an earlier plan")


class ActionResource(ImportResourceMixin, resources.ModelResource):
    """Rows of one plan's actions. Give it the plan and the importing/exporting user."""

    number = fields.Field("number", "number", widget=TextWidget(), saves_null_values=False)
    title_sv = fields.Field("title_sv", "title_sv", widget=TextWidget(), saves_null_values=False)
    title_en = fields.Field("title_en", "title_en", widget=TextWidget(), saves_null_values=False)
    description_sv = fields.Field(
        "description_sv", "description_sv", widget=TextWidget(), saves_null_values=False
    )
    description_en = fields.Field(
        "description_en", "description_en", widget=TextWidget(), saves_null_values=False
    )
    lead_party = fields.Field("lead_organisation", "lead_party", saves_null_values=False)
    co_responsible = fields.Field(column_name="co_responsible")
    contact_person = fields.Field(
        "contact_person", "contact_person", widget=TextWidget(), saves_null_values=False
    )
    goals = fields.Field(column_name="goals")
    strategies = fields.Field(column_name="strategies")
    sub_strategies = fields.Field(column_name="sub_strategies")
    start_year = fields.Field("start_year", "start_year", saves_null_values=False)
    start_quarter = fields.Field(
        "start_quarter", "start_quarter", widget=WholeNumberWidget(1, 4), saves_null_values=False
    )
    end_year = fields.Field("end_year", "end_year", saves_null_values=False)
    end_quarter = fields.Field(
        "end_quarter", "end_quarter", widget=WholeNumberWidget(1, 4), saves_null_values=False
    )
    status = fields.Field("status", "status", widget=StatusWidget(), saves_null_values=False)
    progress = fields.Field(
        "progress", "progress", widget=WholeNumberWidget(0, 100), saves_null_values=False
    )
    completed_on = fields.Field(
        "completed_on", "completed_on", widget=DateWidget(), saves_null_values=False
    )
    budget_sek = fields.Field(
        "budget_sek", "budget_sek", widget=WholeNumberWidget(0, 10**15), saves_null_values=False
    )
    funder = fields.Field("funder", "funder", saves_null_values=False)
    predecessor = fields.Field("predecessor", "predecessor", saves_null_values=False)

    class Meta:
        model = Action
        fields = COLUMNS
        export_order = COLUMNS
        import_order = COLUMNS
        import_id_fields = ("number",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def __init__(self, *, plan: ActionPlan, user=None, line_numbers=None):
        super().__init__()
        self.plan = plan
        self.user = user
        self.line_numbers = line_numbers
        self._loaded = False
        plan_years = (lambda: self.plan.year, lambda: self.plan.end_year)
        widgets_by_field = {
            "lead_party": LookupWidget(lambda: self.organisations, "unknown party “%(value)s”"),
            "co_responsible": PartnersWidget(
                lambda: self.organisations, "unknown party “%(value)s”"
            ),
            "goals": ListWidget(lambda: self.goal_lookup, "unknown goal “%(value)s”"),
            "strategies": ListWidget(lambda: self.strategy_lookup, "unknown strategy “%(value)s”"),
            "sub_strategies": ListWidget(
                lambda: self.sub_strategy_lookup, "unknown sub-strategy “%(value)s”"
            ),
            "start_year": WholeNumberWidget(*plan_years),
            "end_year": WholeNumberWidget(*plan_years),
            "funder": LookupWidget(lambda: self.organisations, "unknown party “%(value)s”"),
            "predecessor": LookupWidget(
                lambda: self.predecessors, "no action %(value)s in an earlier plan"
            ),
        }
        for name, widget in widgets_by_field.items():
            self.fields[name].widget = widget

    # --- export (and the dry run's comparison) ----------------------------------------

    def get_export_queryset(self, request=None):
        return (
            Action.objects.in_plan(self.plan)
            .select_related("lead_organisation", "funder", "predecessor")
            .prefetch_related(
                "partners__organisation", "goals", "strategies", "sub_strategies__strategy"
            )
            .order_by("number", "pk")
        )

    @staticmethod
    def _related(action, name: str) -> list:
        """A relation's objects: those the row gives (not saved in a dry run), else stored."""
        pending = getattr(action, "_pending", {})
        if name in pending:
            return pending[name]
        if action.pk is None:
            return []
        if name == "co_responsible":
            return [(p.organisation, p.role) for p in action.partners.all()]
        return list(getattr(action, name).all())

    def dehydrate_lead_party(self, action):
        return action.lead_organisation.slug if action.lead_organisation else ""

    def dehydrate_co_responsible(self, action):
        partners = sorted(self._related(action, "co_responsible"), key=lambda p: p[0].order)
        return _join(f"{org.slug}: {role}" if role else org.slug for org, role in partners)

    def dehydrate_goals(self, action):
        goals = sorted(self._related(action, "goals"), key=lambda g: (g.order, g.pk))
        return _join(goal.slug for goal in goals)

    def dehydrate_strategies(self, action):
        strategies = sorted(self._related(action, "strategies"), key=lambda s: (s.order, s.pk))
        return _join(s.slug for s in strategies)

    def dehydrate_sub_strategies(self, action):
        subs = sorted(
            self._related(action, "sub_strategies"), key=lambda s: (s.strategy.order, s.order)
        )
        return _join(f"{s.strategy.slug}/{s.slug}" for s in subs)

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
        subs = {}
        for sub in SubStrategy.objects.filter(strategy__programme=programme).select_related(
            "strategy"
        ):
            for key in (f"{sub.strategy.slug}/{sub.slug}", sub.title_sv, sub.title_en):
                if key:
                    subs.setdefault(key.casefold(), sub)
        self.sub_strategy_lookup = subs
        self.existing = {
            action.number: action for action in self.get_export_queryset().exclude(number="")
        }
        self.predecessors = {}
        for action in (
            Action.objects.filter(plan__programme=programme, plan__year__lt=self.plan.year)
            .exclude(number="")
            .order_by("plan__year", "pk")
        ):
            self.predecessors[action.number.casefold()] = action  # the latest plan's wins
        # Which actions this import may create or change (programme.roles): every one for
        # editors; for a coordinator those their organisation leads, and no other lead.
        rows = roles.import_scope(self.user, Action)
        self.is_editor = rows.everything
        self.own_organisation_id = rows.organisation_id
        self.importable_ids = (
            None
            if self.is_editor
            else set(rows.filter(Action.objects.in_plan(self.plan)).values_list("pk", flat=True))
        )
        self.seen_numbers: dict[str, int] = {}
        self._loaded = True

    def before_import(self, dataset, **kwargs):
        self._load()

    def _line(self, row_number: int) -> int:
        return self.line_numbers[row_number - 1] if self.line_numbers else row_number + 1

    # --- import: one row -------------------------------------------------------------

    def before_import_row(self, row, **kwargs):
        row_number = kwargs["row_number"]
        number = _text(row.get("number"))
        if not number:
            raise ValidationError({"number": _("missing number")})
        if number in self.seen_numbers:
            raise ValidationError(
                {
                    "number": _("duplicate number %(number)s (also on row %(row)d)")
                    % {"number": number, "row": self._line(self.seen_numbers[number])}
                }
            )
        self.seen_numbers[number] = row_number

    def get_instance(self, instance_loader, row):
        return self.existing.get(_text(row.get("number")))

    def init_instance(self, row=None):
        return Action(plan=self.plan)

    def import_instance(self, instance, row, **kwargs):
        """Read each cell through its field's widget, then check the row as a whole."""
        new = instance.pk is None
        instance._imported_as_new = new
        errors: dict[str, str] = {}
        before_lead = instance.lead_organisation_id
        instance._pending = {}
        for field in self.get_import_fields():
            if field.column_name not in row:
                continue
            try:
                if field.column_name in RELATIONS:
                    value = field.clean(row)
                    if value is not None:
                        instance._pending[field.column_name] = value
                else:
                    field.save(instance, row)
            except ValueError as error:
                errors[field.attribute or field.column_name] = str(error)
        instance.plan = self.plan
        if not new and not self.is_editor and instance.pk not in self.importable_ids:
            # Nothing else of the row matters: it may not touch this action at all.
            raise ValidationError(
                {
                    "number": _(
                        "action %(number)s is led by another party: you may import only the "
                        "actions your own party leads"
                    )
                    % {"number": instance.number}
                }
            )
        if new:
            for column, message in REQUIRED_FOR_NEW.items():
                key = "lead_organisation" if column == "lead_party" else column
                missing = (
                    not instance._pending.get(column)
                    if column in RELATIONS
                    else getattr(instance, key) in (None, "")
                )
                if missing and key not in errors:
                    errors[key] = _(message)
        if "lead_organisation" not in errors and not self.is_editor:
            if new and instance.lead_organisation_id not in (None, self.own_organisation_id):
                errors["lead_organisation"] = _("you may import only your own party's actions")
            elif not new and instance.lead_organisation_id != before_lead:
                errors["lead_organisation"] = _(
                    "the lead party cannot be changed by an import; ask a programme editor"
                )
        self._check_row(instance, errors)
        if errors:
            raise ValidationError(errors)

    def _check_row(self, action: Action, errors: dict) -> None:
        """The rules that span columns, on the values the row leaves (new or kept)."""
        partners = self._related(action, "co_responsible")
        if (
            "co_responsible" not in errors
            and "lead_organisation" not in errors
            and action.lead_organisation_id
            and any(org.pk == action.lead_organisation_id for org, _role in partners)
        ):
            errors["co_responsible"] = _(
                "%(party)s is the lead party and cannot also be co-responsible"
            ) % {"party": action.lead_organisation.slug}
        if (
            not {"start_year", "end_year", "start_quarter", "end_quarter"} & errors.keys()
            and action.start_year
            and action.end_year
            and (action.start_year, action.start_quarter or 1)
            > (action.end_year, action.end_quarter or 4)
        ):
            errors["end_year"] = _("the end lies before the start")
        if action.status == ActionStatus.COMPLETED and "status" not in errors:
            if action.progress != 100 and "progress" not in errors:
                errors["progress"] = _("a completed action has a progress of 100")
            if action.completed_on is None and "completed_on" not in errors:
                errors["completed_on"] = _("a completed action needs its completion date")

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # full_clean checks every field (lengths, choices); the number's uniqueness in the plan
        # and the check constraints are the row checks above (with a column each), so the
        # model does not run them again as one query each per row. The database still
        # enforces them on save.
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(
                exclude=[*errors, *UNTRANSLATED, "plan"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or instance.pk is None:
            return False
        diff = self.get_diff_class()(self, original, False)
        diff.compare_with(self, instance)
        return not diff.as_html()

    def before_save_instance(self, instance, row, **kwargs):
        instance._history_user = self.user

    def save_m2m(self, instance, row, **kwargs):
        if self._is_dry_run(kwargs):
            return
        pending = instance._pending
        if instance._imported_as_new:
            # A new action has no relations yet: one INSERT per relation, no SELECTs.
            for name in ("goals", "strategies", "sub_strategies"):
                if pending.get(name):
                    manager = getattr(instance, name)
                    through = manager.through
                    target = manager.target_field_name
                    through.objects.bulk_create(
                        through(action_id=instance.pk, **{f"{target}_id": obj.pk})
                        for obj in pending[name]
                    )
            if pending.get("co_responsible"):
                ActionPartner.objects.bulk_create(
                    ActionPartner(action=instance, organisation=organisation, role=role)
                    for organisation, role in pending["co_responsible"]
                )
            return
        for name in ("goals", "strategies", "sub_strategies"):
            if name in pending:
                getattr(instance, name).set(pending[name])
        if "co_responsible" in pending:
            wanted = {organisation.pk: role for organisation, role in pending["co_responsible"]}
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
