from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from .models import Organisation, StaffMembership
from .roles import role_group


@transaction.atomic
def create_staff_member(
    *,
    username: str,
    organisation: Organisation,
    role: str,
    password: str | None,
    email: str = "",
    language: str | None = None,
):
    """Create (or update) a staff user in one organisation and role, with the role's group.

    The password goes through Django's validators (settings.AUTH_PASSWORD_VALIDATORS) with the
    user and their organisation known; a refused one raises ValidationError and nothing is
    saved.
    """
    user_model = get_user_model()
    user, _ = user_model.objects.get_or_create(username=username, defaults={"email": email})
    user.is_staff = True
    defaults = {"organisation": organisation, "role": role}
    if language:
        defaults["language"] = language
    membership, _ = StaffMembership.objects.update_or_create(user=user, defaults=defaults)
    user.membership = membership
    if password:
        validate_password(password, user)
        user.set_password(password)
    user.save()
    # A user holds exactly one role: drop the groups of the other roles.
    user.groups.set([role_group(role)])
    return user
