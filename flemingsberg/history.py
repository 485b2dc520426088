"""The admin's history pages (django-simple-history), readable in Swedish.

Field names are the models' verbose names (simple-history does that already); values are
shown as the admin shows them: a choice's label, yes/no, a related object's name, "–"
for empty. The page titles and the templates' texts are the portal's own msgids (the
templates in ``templates/simple_history/`` replace the library's), so the Swedish
catalogue translates them; the library ships no Swedish.

``history_related`` lists rows edited inline (a plan's funding, an action's
co-responsible organisations): their history is shown below the object's own.
"""

from __future__ import annotations

import itertools

from django.db import models
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper


class ReadableChangeHelper(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if field.many_to_many:
            return super().prepare_delta_change_value(change, value)
        return display_value(field, value)


def display_value(field, value) -> str:
    if value is None or value == "":
        return "–"
    if getattr(field, "choices", None):
        return force_str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(value, models.Model):
        return force_str(value)
    if isinstance(value, DeletedObject):
        # diff_against() gives this for a related row that no longer exists (or none).
        return "–" if value.pk is None else _("deleted (%(id)s)") % {"id": value.pk}
    if field.is_relation:
        # diff_against() gives the related object when it still exists, else its key.
        related = field.related_model._default_manager.filter(pk=value).first()
        return force_str(related) if related is not None else force_str(value)
    return force_str(value)


class ReadableHistoryAdmin(SimpleHistoryAdmin):
    #: (title, history manager of the inline model, lookup to this object's id)
    history_related: tuple[tuple[str, object, str], ...] = ()

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableChangeHelper(self.model, historical_record)

    def history_view_title(self, request, obj):
        return _("History: %(object)s") % {"object": force_str(obj)}

    def history_form_view_title(self, request, obj):
        if self.revert_disabled(request, obj):
            return _("Earlier version: %(object)s") % {"object": force_str(obj)}
        return _("Revert to an earlier version: %(object)s") % {"object": force_str(obj)}

    def history_view(self, request, object_id, extra_context=None):
        extra_context = dict(extra_context or {})
        extra_context["related_histories"] = [
            {"title": title, "records": self._related_records(request, manager, lookup, object_id)}
            for title, manager, lookup in self.get_history_related(request)
        ]
        return super().history_view(request, object_id, extra_context)

    def get_history_related(self, request):
        return self.history_related

    def _related_records(self, request, manager, lookup, object_id) -> list:
        records = list(
            manager.filter(**{lookup: object_id})
            .select_related("history_user")
            .order_by("id", "-history_date", "-history_id")[:200]
        )
        # The delta of each record against the row's previous version.
        by_row: dict = {}
        for record in records:
            by_row.setdefault(record.id, []).append(record)
        model = manager.model.instance_type
        for versions in by_row.values():
            for newer, older in itertools.pairwise(versions):
                delta = newer.diff_against(older, foreign_keys_are_objs=True)
                newer.history_delta_changes = ReadableChangeHelper(
                    model, newer
                ).context_for_delta_changes(delta)
        return sorted(records, key=lambda r: (r.history_date, r.history_id), reverse=True)
