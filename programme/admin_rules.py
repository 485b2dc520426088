"""The admin side of ``programme.roles``: every admin class and inline asks it, nothing else.

* :class:`RulesAdminMixin` answers ``has_view/add/change/delete_permission`` from
  ``roles.may`` (model permission and object scope), checks a saved row against the
  user's scope in the form (an inline error that keeps the input, not a bare 403), gives
  the publish actions the permission they imply (``has_publish_permission``) and records
  each publish/unpublish in the admin log and the row's history, and makes
  django-simple-history's revert an ordinary edit: change permission on the object, the
  change form's own fields only (what is read-only there keeps its current value), the
  model's validation, and a refusal with a message where the object's lifecycle forbids it.
* :class:`RulesInlineMixin` answers an inline's permissions for its parent object.

Lifecycle rules (an adopted plan is frozen, …) stay with the models and the admin classes
concerned, which narrow these answers further (``super()`` first, then their own rule).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from . import roles


def _set_published(modeladmin, request, queryset, published: bool) -> None:
    """Publish or unpublish row by row: each change is saved (history, cache invalidation
    through the save signal) and written to the admin log, so none goes unrecorded."""
    rows = roles.scope(request.user, "change", modeladmin.model).filter(queryset)
    changed = 0
    for obj in rows.exclude(is_published=published):
        obj.is_published = published
        obj._history_user = request.user
        obj.save(update_fields=["is_published"])
        modeladmin.log_change(
            request,
            obj,
            [{"changed": {"fields": [str(obj._meta.get_field("is_published").verbose_name)]}}],
        )
        changed += 1
    if published:
        message = ngettext("%(count)d item published.", "%(count)d items published.", changed)
    else:
        message = ngettext("%(count)d item made a draft.", "%(count)d items made drafts.", changed)
    modeladmin.message_user(request, message % {"count": changed}, messages.SUCCESS)


@admin.action(description=_("Publish selected items"), permissions=["publish"])
def publish(modeladmin, request, queryset):
    _set_published(modeladmin, request, queryset, True)


@admin.action(description=_("Unpublish selected items (make them drafts)"), permissions=["publish"])
def unpublish(modeladmin, request, queryset):
    _set_published(modeladmin, request, queryset, False)


def _scoped_form(form_class, rows: roles.Scope, owner_field: str | None):
    """The admin's form, refusing a row outside the user's scope as a validation error."""

    class ScopedForm(form_class):
        def _post_clean(self):
            super()._post_clean()
            if not rows.allows(self.instance):
                field = owner_field if owner_field in self.fields else None
                self.add_error(
                    field,
                    gettext(
                        "You may save this only for your own organisation: choose what your "
                        "organisation is responsible for, or ask a programme editor."
                    ),
                )

    ScopedForm.__name__ = form_class.__name__
    return ScopedForm


def _revert_form(form_class, live):
    """The change form, filled from a historical version for the fields it edits; every
    other field keeps the object's current value (status, decision, …)."""

    class RevertForm(form_class):
        def __init__(self, *args, instance=None, **kwargs):
            if instance is not None:
                editable = set(self.base_fields)
                for field in instance._meta.concrete_fields:
                    if field.name not in editable:
                        setattr(instance, field.attname, getattr(live, field.attname))
                instance._state.adding = False
            super().__init__(*args, instance=instance, **kwargs)

    RevertForm.__name__ = form_class.__name__
    return RevertForm


class RulesAdminMixin:
    """Put first among an admin's bases (before SimpleHistoryAdmin and TranslationAdmin)."""

    def has_view_permission(self, request, obj=None):
        return roles.may_view(request.user, self.model)

    def has_add_permission(self, request):
        return roles.may(request.user, "add", self.model)

    def has_change_permission(self, request, obj=None):
        return roles.may(request.user, "change", self.model, obj)

    def has_delete_permission(self, request, obj=None):
        return roles.may(request.user, "delete", self.model, obj)

    def has_publish_permission(self, request):
        return roles.may_publish(request.user, self.model)

    # --- saving ---------------------------------------------------------------------------

    def save_scope(self, request, obj=None) -> roles.Scope:
        """The rows the user may save through this admin's form (``obj``: the stored row)."""
        return roles.scope(request.user, "change" if obj is not None else "add", self.model)

    def get_form(self, request, obj=None, change=False, **kwargs):
        live = getattr(request, "_history_revert_live", None)
        if live is not None:
            obj = live
        form = super().get_form(request, obj, change=change, **kwargs)
        rows = self.save_scope(request, obj)
        form = _scoped_form(form, rows, getattr(self.model, "owner_field", None))
        return _revert_form(form, live) if live is not None else form

    def save_model(self, request, obj, form, change):
        # Behind the form's check: nothing outside the user's scope is ever written.
        if not self.save_scope(request, obj if change else None).allows(obj):
            raise PermissionDenied
        obj._history_user = request.user
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        if not self.has_delete_permission(request, obj):
            raise PermissionDenied
        super().delete_model(request, obj)

    # --- history (django-simple-history) --------------------------------------------------

    def revert_refusal(self, request, obj) -> str | None:
        """Why ``obj`` may not be reverted to an earlier version (None: it may)."""
        return None

    def revert_disabled(self, request, obj=None):
        if obj is not None and self.revert_refusal(request, obj):
            return True
        return not self.has_change_permission(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        live = self.get_object(request, unquote(object_id))
        if live is None:
            # A deleted row is restored by an editor from its history list, not revived here.
            raise Http404
        if request.method == "POST":
            if not self.has_change_permission(request, live):
                raise PermissionDenied
            refusal = self.revert_refusal(request, live)
            if refusal:
                self.message_user(request, refusal, messages.ERROR)
                opts = self.model._meta
                return HttpResponseRedirect(
                    reverse(
                        f"admin:{opts.app_label}_{opts.model_name}_history",
                        args=[live.pk],
                        current_app=self.admin_site.name,
                    )
                )
        elif self.revert_refusal(request, live):
            self.message_user(request, self.revert_refusal(request, live), messages.WARNING)
        # The library's view renders and saves; through get_form above, its form edits the
        # live row's editable fields only and validates like the change form.
        request._history_revert_live = live
        return super().history_form_view(request, object_id, version_id, extra_context)


class RulesInlineMixin:
    """An inline's rows are allowed for its parent object (``obj``) by the inline's model."""

    def has_view_permission(self, request, obj=None):
        return roles.may_view(request.user, self.model)

    def has_add_permission(self, request, obj=None):
        return roles.may(request.user, "add", self.model, obj)

    def has_change_permission(self, request, obj=None):
        return roles.may(request.user, "change", self.model, obj)

    def has_delete_permission(self, request, obj=None):
        return roles.may(request.user, "delete", self.model, obj)
