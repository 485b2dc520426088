"""What each staff role may do, as Django model permissions per app.

Object-level rules (a coordinator changes only their own organisation's actions) sit on
top of these in the QuerySets and admin classes of the app concerned.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from django.utils import translation

from .models import StaffMembership

Role = StaffMembership.Role

CONTENT_APPS = ("programme", "indicators", "actionplan")

# Models of which the role gets every permission (add, change, delete, view), by app.
# Everything else in CONTENT_APPS is view-only for every role.
FULL_ACCESS: dict[str, dict[str, tuple[str, ...]]] = {
    Role.EDITOR: dict.fromkeys(CONTENT_APPS, ("*",)),
    Role.COORDINATOR: {
        "actionplan": ("action", "actionpartner", "followupupdate", "communicationactivity"),
        "indicators": ("measurement",),
    },
    Role.STEERING: {},
}

# Never granted through a role: who is staff, and in which role, is the superuser's call.
EXCLUDED_MODELS = ("staffmembership",)


def permissions_for(role: str):
    query = Q(content_type__app_label__in=CONTENT_APPS, codename__startswith="view_")
    for app, models in FULL_ACCESS[role].items():
        if "*" in models:
            query |= Q(content_type__app_label=app)
        else:
            query |= Q(content_type__app_label=app, content_type__model__in=models)
    return Permission.objects.filter(query).exclude(content_type__model__in=EXCLUDED_MODELS)


def role_group(role: str) -> Group:
    """The auth group of a role, its permissions brought up to date."""
    # Named by the untranslated label, so the name does not depend on the active language.
    with translation.override(None):
        name = str(Role(role).label)
    group, _ = Group.objects.get_or_create(name=name)
    group.permissions.set(permissions_for(role))
    return group
