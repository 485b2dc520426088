import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from programme.models import Programme, StaffMembership

pytestmark = pytest.mark.django_db


def test_create_staff_user_as_coordinator(parties, monkeypatch):
    monkeypatch.setenv("FLEMINGSBERG_STAFF_PASSWORD", "a long and unusual passphrase")
    call_command("create_staff_user", "anna", organisation="huddinge", role="coordinator")
    user = get_user_model().objects.get(username="anna")
    assert user.is_staff and not user.is_superuser
    assert user.check_password("a long and unusual passphrase")
    assert user.membership.organisation.slug == "huddinge"
    assert user.membership.role == StaffMembership.Role.COORDINATOR
    assert user.has_perm("programme.view_developmentgoal")
    assert not user.has_perm("programme.change_developmentgoal")


def test_staff_write_in_swedish_unless_they_choose_english(parties, monkeypatch):
    monkeypatch.setenv("FLEMINGSBERG_STAFF_PASSWORD", "a long and unusual passphrase")
    call_command("create_staff_user", "sara", organisation="huddinge", role="coordinator")
    call_command(
        "create_staff_user", "john", organisation="botkyrka", role="coordinator", language="en"
    )
    languages = dict(StaffMembership.objects.values_list("user__username", "language"))
    assert languages == {"sara": "sv", "john": "en"}
    # A later change of role keeps the language chosen.
    call_command("create_staff_user", "john", organisation="botkyrka", role="editor")
    assert StaffMembership.objects.get(user__username="john").language == "en"


def test_create_staff_user_changes_role_without_keeping_the_old_one(parties, monkeypatch):
    monkeypatch.setenv("FLEMINGSBERG_STAFF_PASSWORD", "a long and unusual passphrase")
    call_command("create_staff_user", "bo", organisation="botkyrka", role="coordinator")
    call_command("create_staff_user", "bo", organisation="botkyrka", role="editor")
    user = get_user_model().objects.get(username="bo")
    assert [group.name for group in user.groups.all()] == ["Programme editor"]
    assert user.has_perm("programme.change_developmentgoal")


def test_create_staff_user_rejects_unknown_organisation(parties, monkeypatch):
    monkeypatch.setenv("FLEMINGSBERG_STAFF_PASSWORD", "a long and unusual passphrase")
    with pytest.raises(CommandError, match=r"Unknown organisation 'nacka'.*huddinge"):
        call_command("create_staff_user", "x", organisation="nacka", role="editor")
    assert not get_user_model().objects.filter(username="x").exists()


def test_create_staff_user_rejects_weak_password(parties, monkeypatch):
    monkeypatch.setenv("FLEMINGSBERG_STAFF_PASSWORD", "123")
    with pytest.raises(CommandError, match="Password rejected"):
        call_command("create_staff_user", "y", organisation="huddinge", role="steering")


def test_load_programme_content_is_idempotent_and_keeps_edits(db):
    call_command("load_programme_content", verbosity=0)
    programme = Programme.objects.get(slug="flemingsberg-2050")
    programme.title_sv = "Redigerad titel"
    programme.save()
    call_command("load_programme_content", verbosity=0)
    assert Programme.objects.get(slug="flemingsberg-2050").title_sv == "Redigerad titel"


def test_ensure_admin_creates_one_administrator(db, monkeypatch, capsys):
    monkeypatch.delenv("FLEMINGSBERG_ADMIN_PASSWORD", raising=False)
    call_command("ensure_admin")
    output = capsys.readouterr().out
    assert "shown only this once" in output
    call_command("ensure_admin")
    assert get_user_model().objects.filter(is_superuser=True).count() == 1
