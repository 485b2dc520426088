"""Who may do what: the one module that decides it.

Every question of the form "may this user do X (to this object)" is answered here, and
everything else asks: the admin (``programme.admin_rules``: its ``has_*_permission``,
``get_queryset``, actions and history views), the QuerySets' ``modifiable_by(user)`` and
``visible_to(user)``, the public views, the API, the imports and the PDF exports.

Two layers, both decided here:

* **Model permissions**, granted through one auth group per role (:func:`role_group`): the
  editor changes every content model, the coordinator the models listed in
  :data:`COORDINATOR_RIGHTS`, the steering group only views. A user without the model
  permission gets nothing, whatever the second layer says.
* **Object scope** (:func:`scope`): on top of the model permission, *which rows*. Editors and
  active superusers: every row. A coordinator: the rows of their own organisation, at the
  level :data:`COORDINATOR_RIGHTS` names (``LEAD``: rows their organisation leads or is
  responsible for; ``INVOLVED``: also rows it is co-responsible for). Everyone else: none.

A scope knows nothing about the model it is applied to: each model with an owner says what
"owned by this organisation" means for it, in ``QuerySet.owned_by(scope)`` and
``Model.is_owned_by(scope)`` (an action: its lead party, or also its partners; a measurement:
its sub-target's measuring organisation; …). Inactive users may do nothing at all.

This module imports no models at import time (``programme.models`` imports it for
:class:`Role`); it reaches the membership through ``user.membership``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    EDITOR = "editor", _("Programme editor")
    STEERING = "steering", _("Steering group member")


class Level(enum.Enum):
    """How closely an organisation must own a row for its coordinator to act on it."""

    LEAD = "lead"  # it leads the action, is responsible for the activity, measures the target
    INVOLVED = "involved"  # LEAD, or co-responsible for the action


@dataclass(frozen=True)
class Scope:
    """The rows a user may act on: every row, none, or one organisation's at a level."""

    everything: bool = False
    organisation_id: int | None = None
    level: Level = Level.LEAD

    def __bool__(self) -> bool:
        return self.everything or self.organisation_id is not None

    def filter(self, queryset):
        """``queryset`` narrowed to the scope (the model's ``owned_by`` says what that means)."""
        if self.everything:
            return queryset
        if not self:
            return queryset.none()
        return queryset.owned_by(self)

    def allows(self, obj) -> bool:
        """Whether ``obj`` lies in the scope (``obj.is_owned_by`` says what that means)."""
        if self.everything:
            return True
        if not self or obj is None:
            return False
        return obj.is_owned_by(self)


NOTHING = Scope()
EVERYTHING = Scope(everything=True)

CONTENT_APPS = ("programme", "indicators", "actionplan")

# The models a coordinator works on, and for each verb the level of ownership it needs.
# A coordinator gets the model permissions (add, change, delete, view) of exactly these
# models; every other content model is view-only for them.
LEAD, INVOLVED = Level.LEAD, Level.INVOLVED
COORDINATOR_RIGHTS: dict[str, dict[str, Level]] = {
    # Their own party's actions: co-responsible parties change and follow them up; only the
    # lead party adds, deletes, imports them or changes who is co-responsible.
    "actionplan.action": {"add": LEAD, "change": INVOLVED, "delete": LEAD, "import": LEAD},
    "actionplan.actionpartner": {"add": LEAD, "change": LEAD, "delete": LEAD},
    "actionplan.followupupdate": {"add": INVOLVED},
    "actionplan.communicationactivity": {"add": LEAD, "change": LEAD, "delete": LEAD},
    # Signing off their own party's part of a follow-up round (and withdrawing it).
    "actionplan.roundsignoff": {"add": LEAD, "change": LEAD},
    # Values of the sub-targets their organisation measures, entered as drafts.
    "indicators.measurement": {"add": LEAD, "change": LEAD, "delete": LEAD, "import": LEAD},
}

# Never granted through a role: who is staff, and in which role, is the superuser's call.
EXCLUDED_MODELS = ("staffmembership",)

DJANGO_VERBS = ("add", "change", "delete", "view")


# ------------------------------------------------------------------------------ who is who


def is_active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def membership_of(user):
    """The staff membership of an active user, or None (anonymous, inactive, no role)."""
    if not is_active(user):
        return None
    try:
        return user.membership
    except ObjectDoesNotExist:
        return None


def role_of(user) -> str | None:
    membership = membership_of(user)
    return membership.role if membership is not None else None


def organisation_id_of(user) -> int | None:
    """The organisation an active staff member works for (None for superusers without one)."""
    membership = membership_of(user)
    return membership.organisation_id if membership is not None else None


def is_editor(user) -> bool:
    """Active superusers and programme editors: every content row, every plan's lifecycle."""
    if not is_active(user):
        return False
    return user.is_superuser or role_of(user) == Role.EDITOR


def is_coordinator(user) -> bool:
    return role_of(user) == Role.COORDINATOR


def reads_admin(user) -> bool:
    """Active staff with a role (or superusers) read the admin: every content row, drafts too."""
    return is_active(user) and user.is_staff and (user.is_superuser or role_of(user) is not None)


def may_preview_drafts(user) -> bool:
    """Staff see drafts on the public pages (marked as drafts); nobody else ever does."""
    return reads_admin(user)


def may_manage_staff(user) -> bool:
    return is_active(user) and user.is_superuser


# ------------------------------------------------------------------------------ rows


def _label(model) -> str:
    return model._meta.label_lower


def _has_model_permission(user, verb: str, model) -> bool:
    opts = model._meta
    if verb in DJANGO_VERBS:
        return user.has_perm(f"{opts.app_label}.{verb}_{opts.model_name}")
    # A capability beyond Django's four (e.g. import) needs one of the write permissions.
    return user.has_perm(f"{opts.app_label}.add_{opts.model_name}") or user.has_perm(
        f"{opts.app_label}.change_{opts.model_name}"
    )


def scope(user, verb: str, model) -> Scope:
    """The rows of ``model`` the user may ``verb`` (add, change, delete, import, …)."""
    if not is_active(user) or not _has_model_permission(user, verb, model):
        return NOTHING
    if is_editor(user):
        return EVERYTHING
    membership = membership_of(user)
    if membership is None or membership.role != Role.COORDINATOR:
        return NOTHING
    level = COORDINATOR_RIGHTS.get(_label(model), {}).get(verb)
    if level is None:
        return NOTHING
    return Scope(organisation_id=membership.organisation_id, level=level)


def may(user, verb: str, model, obj=None) -> bool:
    """May the user ``verb`` ``obj`` (or, without one, some row of ``model``)?"""
    rows = scope(user, verb, model)
    return bool(rows) if obj is None else rows.allows(obj)


def may_view(user, model) -> bool:
    """Staff with a role read every content row (the steering group reads everything)."""
    if not reads_admin(user):
        return False
    return user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}") or may(
        user, "change", model
    )


# ------------------------------------------------------------------------------ capabilities


def may_publish(user, model) -> bool:
    """Publishing and unpublishing is an editor's decision (measurements: the review)."""
    return is_editor(user) and _has_model_permission(user, "change", model)


def may_move_plans(user) -> bool:
    """Moving a plan through its lifecycle (propose, adopt, supersede, roll forward)."""
    return is_editor(user) and user.has_perm("actionplan.transition_actionplan")


def _model(label: str):
    # By label: this app imports neither indicators nor actionplan (ARCHITECTURE.md).
    from django.apps import apps

    return apps.get_model(label)


def follow_up_scope(user) -> Scope:
    """The actions the user may follow up (add follow-up updates to)."""
    return scope(user, "add", _model("actionplan.FollowUpUpdate"))


def may_follow_up(user, action=None) -> bool:
    """May the user follow up ``action``: in their scope, and carried out (its plan is
    adopted: a draft has no follow-up; ``Action.is_in_follow_up``)."""
    if action is not None and not action.is_in_follow_up:
        return False
    return may(user, "add", _model("actionplan.FollowUpUpdate"), action)


def may_correct_follow_up(user, update) -> bool:
    """Editors change every follow-up update; its author corrects their own while they may
    still follow up its action (the history keeps the earlier text)."""
    if may(user, "change", _model("actionplan.FollowUpUpdate"), update):
        return True
    return is_active(user) and update.author_id == user.pk and may_follow_up(user, update.action)


# ------------------------------------------------------------------------------ rounds


def may_run_rounds(user) -> bool:
    """Opening and closing a follow-up round is a programme editor's (the close also
    needs the permission ``close_followupround``, which the editor's group holds)."""
    return (
        is_editor(user)
        and user.has_perm("actionplan.add_followupround")
        and user.has_perm("actionplan.close_followupround")
    )


def sign_off_scope(user) -> Scope:
    """The parties whose part of a round the user may sign off or withdraw: a coordinator
    their own organisation's; an editor every party's (on a party's behalf, recorded as
    theirs); nobody else."""
    return scope(user, "add", _model("actionplan.RoundSignOff"))


def may_sign_off(user, round=None, organisation=None) -> bool:
    """May the user sign off (or withdraw) ``organisation``'s part of ``round``: in their
    sign-off scope, and the round still open."""
    if round is not None and not round.is_open:
        return False
    rows = sign_off_scope(user)
    if organisation is None:
        return bool(rows)
    return rows.everything or rows.organisation_id == getattr(organisation, "pk", organisation)


def may_mark_no_change(user, action=None) -> bool:
    """A "no change since last round" mark is a follow-up: whoever may follow up the
    action may record it."""
    return may_follow_up(user, action)


def measurement_scope(user) -> Scope:
    """The sub-targets whose values the user may enter (as drafts)."""
    return scope(user, "add", _model("indicators.Measurement"))


def may_enter_measurements(user, sub_target=None) -> bool:
    return may(user, "add", _model("indicators.Measurement"), sub_target)


def import_scope(user, model) -> Scope:
    """The rows of ``model`` an import by the user may create or change."""
    return scope(user, "import", model)


def may_export_reports(user) -> bool:
    """Every report from the admin, drafts included: editors, the steering group, and
    coordinators (they write the follow-up the report shows and check it before the group
    meets); each with the view permission their role's group grants."""
    if not reads_admin(user):
        return False
    return user.is_superuser or (
        role_of(user) in (Role.EDITOR, Role.STEERING, Role.COORDINATOR)
        and user.has_perm("actionplan.view_actionplan")
    )


# ------------------------------------------------------------------------------ groups


def permissions_for(role: str):
    """The model permissions of a role's group (see the module docstring)."""
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    query = Q(content_type__app_label__in=CONTENT_APPS, codename__startswith="view_")
    if role == Role.EDITOR:
        query |= Q(content_type__app_label__in=CONTENT_APPS)
    elif role == Role.COORDINATOR:
        for label in COORDINATOR_RIGHTS:
            app, model = label.split(".")
            query |= Q(content_type__app_label=app, content_type__model=model)
    return Permission.objects.filter(query).exclude(content_type__model__in=EXCLUDED_MODELS)


def role_group(role: str):
    """The auth group of a role, its permissions brought up to date."""
    from django.contrib.auth.models import Group

    # Named by the untranslated label, so the name does not depend on the active language.
    with translation.override(None):
        name = str(Role(role).label)
    group, _created = Group.objects.get_or_create(name=name)
    group.permissions.set(permissions_for(role))
    return group


def refresh_role_groups(sender=None, using="default", **kwargs) -> None:
    """Bring the permissions of the roles' groups that exist up to date (``post_migrate``):
    staff created before a model existed get its permissions as their role grants them
    (e.g. a coordinator's sign-off of a follow-up round). Creates no group."""
    if sender is not None and getattr(sender, "label", None) not in CONTENT_APPS:
        return
    from django.contrib.auth.models import Group

    names = {}
    with translation.override(None):
        for role in Role:
            names[str(role.label)] = role.value
    for group in Group.objects.using(using).filter(name__in=names):
        group.permissions.set(permissions_for(names[group.name]))
