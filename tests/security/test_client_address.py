"""Issue 10, items 6 and 7 (lockout): the client's address is read one way, from a configured
number of trusted proxies, by the API's rate limit and the login throttle alike.

Before: the API's anonymous throttle keyed on the whole X-Forwarded-For header, so 200 of 200
requests with a varying header passed while throttled; behind a proxy, the login throttle saw
only the proxy's address, so anyone could lock a named staff account for everyone.
"""

import datetime

import pytest
from axes.models import AccessFailureLog
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from flemingsberg.security import client_ip, login_cool_off
from tests.conftest import STAFF_PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"


def _request(remote: str, forwarded: str | None = None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "198.51.100.7", "1.2.3.4", "198.51.100.7"),  # no proxy: the header is ignored
        (1, PROXY, "198.51.100.7", "198.51.100.7"),
        (1, PROXY, "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # forged left part ignored
        (2, PROXY, "6.6.6.6, 198.51.100.7, 10.0.0.1", "198.51.100.7"),
        (2, PROXY, "198.51.100.7", PROXY),  # too few hops: not from our proxies
        (1, PROXY, "not-an-address", PROXY),
        (1, PROXY, None, PROXY),
        (1, PROXY, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_ip(settings, proxies, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip(_request(remote, forwarded)) == expected


@pytest.fixture
def throttled(settings):
    settings.API_ANON_THROTTLE_RATE = "3/hour"
    cache.clear()
    yield
    cache.clear()


def test_a_varying_forwarded_header_does_not_escape_the_api_throttle(throttled, db):
    client = Client(REMOTE_ADDR="198.51.100.7")
    codes = [
        client.get("/api/v1/organisations/", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(20)
    ]
    assert codes[:3] == [200, 200, 200]
    assert set(codes[3:]) == {429}


def test_behind_a_proxy_each_client_has_its_own_api_limit(throttled, settings, db):
    settings.TRUSTED_PROXY_COUNT = 1
    client = Client(REMOTE_ADDR=PROXY)
    for _ in range(3):
        response = client.get("/api/v1/organisations/", HTTP_X_FORWARDED_FOR="198.51.100.7")
        assert response.status_code == 200
    assert (
        client.get("/api/v1/organisations/", HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429
    )
    # A forged left part does not make a new client; another real client is not throttled.
    forged = client.get("/api/v1/organisations/", HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.7")
    assert forged.status_code == 429
    other = client.get("/api/v1/organisations/", HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert other.status_code == 200


def _sign_in(client: Client, username: str, password: str, forwarded: str):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_behind_a_proxy_an_attacker_cannot_lock_the_account_for_its_owner(editor, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    attacker = Client(REMOTE_ADDR=PROXY)
    for _ in range(5):
        _sign_in(attacker, editor.username, "wrong", "203.0.113.9")
    assert _sign_in(attacker, editor.username, STAFF_PASSWORD, "203.0.113.9").status_code == 429
    # The owner comes through the same proxy from their own address: not locked.
    owner = Client(REMOTE_ADDR=PROXY)
    assert _sign_in(owner, editor.username, STAFF_PASSWORD, "198.51.100.7").status_code == 302


def test_without_a_proxy_a_forged_header_does_not_escape_the_lockout(editor):
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(5):
        _sign_in(attacker, editor.username, "wrong", f"192.0.2.{n}")
    assert _sign_in(attacker, editor.username, STAFF_PASSWORD, "192.0.2.99").status_code == 429


def test_lockouts_within_a_day_last_longer_each_time(editor, settings):
    request = RequestFactory().post(
        "/admin/login/", {"username": editor.username}, REMOTE_ADDR="203.0.113.9"
    )
    base = datetime.timedelta(minutes=settings.AXES_COOLOFF_MINUTES)
    assert login_cool_off(request) == base

    def fail(times: int, locked: bool = False, **when):
        for _ in range(times):
            AccessFailureLog.objects.create(
                username=editor.username,
                ip_address="203.0.113.9",
                user_agent="",
                path_info="/admin/login/",
                locked_out=locked,
                **when,
            )

    fail(4)
    fail(1, locked=True)  # the fifth: locked out
    assert login_cool_off(request) == base
    fail(3, locked=True)  # hammering during the lockout prolongs it, not the tier
    assert login_cool_off(request) == base
    fail(4)  # after the cool-off: four more, then the next lockout
    assert login_cool_off(request) == base * 4
    fail(8)
    assert login_cool_off(request) == base * 48  # capped: a day
    # Another address and failures older than a day do not count.
    other = RequestFactory().post(
        "/admin/login/", {"username": editor.username}, REMOTE_ADDR="198.51.100.7"
    )
    assert login_cool_off(other) == base
    AccessFailureLog.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=2)
    )
    assert login_cool_off(request) == base
