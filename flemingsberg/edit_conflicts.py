"""Lost updates in the admin: a change form carries the version it was opened at.

The version is the id of the object's latest history record (django-simple-history
writes one on every save, so no column of our own has to be kept in step). Saving a form
whose version is no longer the latest is refused: the form comes back with the user's
input untouched and a message saying who changed what, and when, since it was opened.
The form then carries the current version, so saving again is a deliberate choice.

The same form also turns a model error about a field the form does not show (a read-only
field, e.g. when reverting to a version from the history) into a message at the top of
the form instead of a crash.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ImproperlyConfigured, ValidationError
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

VERSION_FIELD = "edit_version"


def history_manager(model):
    manager_name = getattr(model._meta, "simple_history_manager_attribute", None)
    if manager_name is None:
        raise ImproperlyConfigured(f"{model.__name__} has no history (django-simple-history).")
    return getattr(model, manager_name)


def current_version(obj) -> int:
    """The id of the object's latest history record; 0 when it has none yet."""
    latest = (
        history_manager(type(obj))
        .filter(**{obj._meta.pk.attname: obj.pk})
        .order_by("-history_id")
        .values_list("history_id", flat=True)
        .first()
    )
    return latest or 0


def describe_changes_since(obj, version: int) -> str:
    """Who saved the object after ``version``, when, and which fields they changed."""
    records = list(
        history_manager(type(obj))
        .filter(**{obj._meta.pk.attname: obj.pk}, history_id__gt=version)
        .select_related("history_user")
        .order_by("history_id")
    )
    if not records:
        return ""
    people = []
    for record in records:
        name = (
            (record.history_user.get_full_name() or record.history_user.get_username())
            if record.history_user
            else _("someone")
        )
        if name not in people:
            people.append(name)
    when = formats.date_format(timezone.localtime(records[-1].history_date), "DATETIME_FORMAT")
    changed = []
    before = history_manager(type(obj)).filter(history_id=version).first() if version else None
    if before is not None:
        delta = records[-1].diff_against(before)
        for change in delta.changes:
            field = obj._meta.get_field(change.field)
            changed.append(capfirst(str(field.verbose_name)))
    text = _("%(people)s saved this after you opened it (last at %(when)s).") % {
        "people": ", ".join(people),
        "when": when,
    }
    if changed:
        text += " " + _("Changed: %(fields)s.") % {"fields": ", ".join(changed)}
    return text


class EditConflictForm(forms.ModelForm):
    """Mixed into an admin's form class by ``EditConflictAdminMixin``."""

    edit_version = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields[VERSION_FIELD].initial = current_version(self.instance)

    def clean(self):
        cleaned = super().clean()
        seen = cleaned.get(VERSION_FIELD)
        if self.instance.pk is None or seen is None:
            return cleaned  # a new object, or a client that sends no version (no check)
        model = type(self.instance)
        # Lock the row until this save commits, so two saves cannot both pass the check.
        model._default_manager.select_for_update().filter(pk=self.instance.pk).exists()
        now = current_version(self.instance)
        if now != seen:
            # Saving again means "keep my version": the redisplayed form carries the
            # current version (the rest of the input is kept as typed).
            self.data = self.data.copy()
            self.data[self.add_prefix(VERSION_FIELD)] = str(now)
            raise ValidationError(
                " ".join(
                    (
                        describe_changes_since(self.instance, seen),
                        _(
                            "Your changes have not been saved; they are still in the form "
                            "below. Compare them with the saved version (open it in a new "
                            "tab), then save again to keep yours."
                        ),
                    )
                ),
                code="edit_conflict",
            )
        return cleaned

    def add_error(self, field, error):
        # A model's clean() may name a field this form does not show (read-only here):
        # show that message at the top of the form instead of raising ValueError.
        if field is None and isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            moved: dict[str, list] = {}
            for name, errors in error.error_dict.items():
                key = name if name == NON_FIELD_ERRORS or name in self.fields else None
                if key is None:
                    label = _label(self._meta.model, name)
                    errors = [ValidationError(f"{label}: {' '.join(e.messages)}") for e in errors]
                    key = NON_FIELD_ERRORS
                moved.setdefault(key, []).extend(errors)
            error = ValidationError(moved)
        elif field is not None and field != NON_FIELD_ERRORS and field not in self.fields:
            field = None
        super().add_error(field, error)


def _label(model, name: str) -> str:
    try:
        return capfirst(str(model._meta.get_field(name).verbose_name))
    except Exception:  # not a model field: the name is the best label there is
        return name


class EditConflictAdminMixin:
    """Put first in an admin's bases: its change form detects a stale save (see above)."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The version is this form's own field, not the model's: keep it out of the field
        # list the admin derives from its fieldsets (where it shows, as a hidden input).
        fields = kwargs["fields"] if "fields" in kwargs else self._fieldset_fields(request, obj)
        if fields is not None:
            kwargs["fields"] = [name for name in fields if name != VERSION_FIELD]
        form = super().get_form(request, obj, change=change, **kwargs)
        if issubclass(form, EditConflictForm):
            return form
        return type(form.__name__, (EditConflictForm, form), {"__module__": form.__module__})

    def _fieldset_fields(self, request, obj):
        from django.contrib.admin.utils import flatten_fieldsets

        return flatten_fieldsets(self.get_fieldsets(request, obj))
