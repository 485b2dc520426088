"""E-mail: SMTP settings from the environment, the console when unset, and a task that the
worker tries again when the server does not answer (issue 15, item 4)."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django_tasks import default_task_backend

from flemingsberg import settings as portal_settings
from flemingsberg.mail import queue_email, send_email

ROOT = Path(__file__).resolve().parents[2]


def test_an_email_url_gives_host_port_user_password_and_security():
    assert portal_settings._email_settings("smtps://anna:hemligt%40ord@mail.example.se") == {
        "EMAIL_HOST": "mail.example.se",
        "EMAIL_PORT": 465,
        "EMAIL_HOST_USER": "anna",
        "EMAIL_HOST_PASSWORD": "hemligt@ord",
        "EMAIL_USE_TLS": False,
        "EMAIL_USE_SSL": True,
    }
    starttls = portal_settings._email_settings("smtp+tls://anna:x@mail.example.se")
    assert (starttls["EMAIL_PORT"], starttls["EMAIL_USE_TLS"]) == (587, True)
    plain = portal_settings._email_settings("smtp://relay.example.se:2525")
    assert (plain["EMAIL_PORT"], plain["EMAIL_HOST_USER"], plain["EMAIL_USE_TLS"]) == (
        2525,
        "",
        False,
    )


@pytest.mark.parametrize("url", ["http://mail.example.se", "smtp://", "mail.example.se"])
def test_a_wrong_email_url_is_refused(url):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        portal_settings._email_settings(url)


def _settings_in_a_fresh_process(**variables) -> str:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("EMAIL_") and key not in {"DEFAULT_FROM_EMAIL"}
    }
    environment.update(variables)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings as s; import django; django.setup(); "
            "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, "
            "s.EMAIL_CONFIGURED)",
        ],
        cwd=ROOT,
        env={**environment, "DJANGO_SETTINGS_MODULE": "flemingsberg.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return result.stdout + result.stderr


def test_without_email_settings_mail_goes_to_the_console():
    output = _settings_in_a_fresh_process(DEBUG="1")
    # backend, (no host), port, TLS, configured
    assert output.split() == [
        "django.core.mail.backends.console.EmailBackend",
        "25",
        "False",
        "False",
    ]


def test_host_variables_choose_the_smtp_backend():
    output = _settings_in_a_fresh_process(
        DEBUG="1", EMAIL_HOST="smtp.example.se", EMAIL_USE_TLS="1"
    )
    assert output.split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.se",
        "587",
        "True",
        "True",
    ]


def test_production_refuses_to_send_from_a_made_up_address():
    output = _settings_in_a_fresh_process(
        DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS="example.se", EMAIL_HOST="smtp.example.se"
    )
    assert "DEFAULT_FROM_EMAIL must be set" in output


def test_the_task_sends_the_message(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    queue_email(to=["anna@example.se"], subject="Påminnelse", body="Hej")
    assert [(m.to, m.subject, m.body) for m in mail.outbox] == [
        (["anna@example.se"], "Påminnelse", "Hej")
    ]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_failed_delivery_is_queued_again_later(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = (
        "127.0.0.1",
        _closed_port(),
        2,
    )
    settings.EMAIL_SEND_ATTEMPTS = 3
    default_task_backend.clear()
    assert send_email.call(to=["anna@example.se"], subject="S", body="B") == 0
    (retry,) = default_task_backend.results
    assert retry.kwargs["attempt"] == 2
    assert retry.task.run_after is not None
    # the last attempt fails for good (the task result keeps the error)
    with pytest.raises(OSError):
        send_email.call(to=["anna@example.se"], subject="S", body="B", attempt=3)
    assert len(default_task_backend.results) == 1
