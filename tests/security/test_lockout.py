"""Admin sign-in throttling (django-axes): locked after AXES_FAILURE_LIMIT failures, cool-off."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.conftest import STAFF_PASSWORD

pytestmark = pytest.mark.django_db


def _sign_in(client: Client, username: str, password: str, language: str = "sv"):
    with translation.override(language):
        url = reverse("admin:login")
    return client.post(url, {"username": username, "password": password, "next": "/admin/"})


def test_five_failures_lock_the_account_even_for_the_right_password(editor):
    assert settings.AXES_FAILURE_LIMIT == 5
    client = Client()
    for _ in range(4):
        response = _sign_in(client, editor.username, "wrong password")
        assert response.status_code == 200  # the login form again, with its error
    locked = _sign_in(client, editor.username, "wrong password")
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Inloggningen är tillfälligt spärrad" in html
    assert "30 minuter" in html
    assert "To the home page in English" in html
    # Locked: the right password is refused too, and nobody is signed in.
    again = _sign_in(client, editor.username, STAFF_PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_in_english(editor):
    client = Client()
    for _ in range(5):
        response = _sign_in(client, editor.username, "wrong", language="en")
    assert response.status_code == 429
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Sign-in temporarily blocked" in html
    assert "for 30 minutes" in html


def test_after_the_cool_off_the_right_password_works(editor):
    client = Client()
    for _ in range(5):
        _sign_in(client, editor.username, "wrong")
    assert _sign_in(client, editor.username, STAFF_PASSWORD).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=31)
    )
    response = _sign_in(client, editor.username, STAFF_PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_a_lockout_concerns_one_username_from_one_address(editor, steering_member):
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        _sign_in(attacker, editor.username, "wrong")
    # The same person from their own address, and another user, can still sign in.
    assert _sign_in(Client(), editor.username, STAFF_PASSWORD).status_code == 302
    assert _sign_in(attacker, steering_member.username, STAFF_PASSWORD).status_code == 302


def test_success_resets_the_failure_count(editor):
    client = Client()
    for _ in range(4):
        _sign_in(client, editor.username, "wrong")
    assert _sign_in(client, editor.username, STAFF_PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert _sign_in(client, editor.username, "wrong").status_code == 200


def test_the_test_client_login_still_works(editor):
    # Tests (and commands) authenticate without a request: not throttled, not an error.
    client = Client()
    assert client.login(username=editor.username, password=STAFF_PASSWORD)
