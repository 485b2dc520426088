from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from .models import Organisation, StaffMembership
from .roles import role_group


@transaction.atomic
def create_staff_member(
    *, username: str, organisation: Organisation, role: str, password: str | None, email: str = ""
):
    """Create (or update) a staff user in one organisation and role, with the role's group."""
    user_model = get_user_model()
    user, _ = user_model.objects.get_or_create(username=username, defaults={"email": email})
    user.is_staff = True
    if password:
        user.set_password(password)
    user.save()
    StaffMembership.objects.update_or_create(
        user=user, defaults={"organisation": organisation, "role": role}
    )
    # A user holds exactly one role: drop the groups of the other roles.
    user.groups.set([role_group(role)])
    return user
