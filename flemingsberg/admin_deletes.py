"""Refused deletions that say why (content that plans, measurements or decisions rest on).

Models protect their dependants with ``on_delete=PROTECT``; Django's delete page then lists
the protected objects. This mixin lists them as a reader knows them: a link row of a
many-to-many table (an action's goal) is shown as the action itself, each with a link to
its page, and the page (``templates/admin/delete_confirmation.html``) says what to do
instead: unpublish.
"""

from __future__ import annotations

from django.contrib.admin.utils import NestedObjects, quote
from django.db import router
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import capfirst


class ProtectedDeleteAdminMixin:
    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            protected = self._readable_protected(objs)
        return deleted, model_count, perms_needed, protected

    def _readable_protected(self, objs) -> list[str]:
        objs = list(objs)
        collector = NestedObjects(using=router.db_for_write(self.model), origin=objs)
        collector.collect(objs)
        seen, rows = set(), []
        for obj in sorted(collector.protected, key=lambda o: (o._meta.label, str(o))):
            obj = _shown_as(obj, self.model)
            key = (obj._meta.label, obj.pk)
            if key in seen:
                continue
            seen.add(key)
            rows.append(self._format(obj))
        return rows

    def _format(self, obj) -> str:
        label = capfirst(str(obj._meta.verbose_name))
        if self.admin_site.is_registered(type(obj)):
            try:
                url = reverse(
                    f"{self.admin_site.name}:{obj._meta.app_label}_{obj._meta.model_name}_change",
                    args=[quote(obj.pk)],
                )
            except NoReverseMatch:
                pass
            else:
                return format_html('{}: <a href="{}">{}</a>', label, url, obj)
        return format_html("{}: {}", label, obj)


def _shown_as(obj, deleted_model):
    """A row of an automatic many-to-many table stands for the object it links from."""
    if not obj._meta.auto_created:
        return obj
    for field in obj._meta.concrete_fields:
        if field.is_relation and field.related_model is not deleted_model:
            return getattr(obj, field.name)
    return obj
