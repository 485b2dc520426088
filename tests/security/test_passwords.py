"""Issue 10, item 7: weak passwords are refused everywhere a password is set.

Before: ``huddinge1234`` and ``aaaaaaaaaaaa`` passed Django's four validators (12 characters,
not in the common list), and ``ensure_admin`` took ``admin`` without any check.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

WEAK = ["huddinge1234", "aaaaaaaaaaaa", "Flemingsberg2050!", "botkyrka2026", "qwertyuiopås"]
STRONG = ["correct horse battery staple", "tjänsteman-hösten-kaffe-7"]


@pytest.mark.parametrize("password", WEAK)
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.parametrize("password", STRONG)
def test_passphrases_pass(password):
    validate_password(password)


def test_the_users_own_name_and_organisation_count_as_guessable(make_staff):
    user = make_staff("coordinator", "huddinge", username="annasvensson")
    with pytest.raises(ValidationError):
        validate_password("annasvensson#1", user)


@pytest.mark.parametrize("password", ["huddinge1234", "aaaaaaaaaaaa"])
def test_create_staff_user_refuses_a_weak_password_and_saves_nothing(
    parties, monkeypatch, password
):
    monkeypatch.setenv("FLEMINGSBERG_STAFF_PASSWORD", password)
    with pytest.raises(CommandError, match="Password rejected"):
        call_command("create_staff_user", "anna", organisation="huddinge", role="coordinator")
    assert not get_user_model().objects.filter(username="anna").exists()


def test_ensure_admin_refuses_admin_as_password(db, monkeypatch):
    monkeypatch.setenv("FLEMINGSBERG_ADMIN_PASSWORD", "admin")
    with pytest.raises(CommandError, match="rejected"):
        call_command("ensure_admin")
    assert not get_user_model().objects.exists()


def test_ensure_admin_generates_a_password_that_passes(db, monkeypatch, capsys):
    monkeypatch.delenv("FLEMINGSBERG_ADMIN_PASSWORD", raising=False)
    call_command("ensure_admin")
    password = capsys.readouterr().out.split("this once: ")[1].split()[0]
    validate_password(password, get_user_model().objects.get())


def test_changing_a_password_in_the_admin_refuses_a_weak_one(make_staff):
    user = make_staff("editor", "botkyrka", username="bo")
    client = Client()
    client.force_login(user)
    response = client.post(
        reverse("admin:password_change"),
        {
            "old_password": "correct horse battery staple",
            "new_password1": "botkyrka1234",
            "new_password2": "botkyrka1234",
        },
    )
    assert response.status_code == 200
    assert "för lätt att gissa" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("correct horse battery staple")
