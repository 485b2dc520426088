"""Security pieces the settings point at: the CSP middleware, the login throttle backend,
the client address behind proxies and the login cool-off."""

from __future__ import annotations

import base64
import datetime
import hashlib
import ipaddress

from axes.backends import AxesStandaloneBackend
from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.middleware import PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone


def _hash(source: str) -> str:
    digest = hashlib.sha256(source.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


# Django's own admin (5.2) has no inline script or style. Two third-party admin templates do:
# django-import-export's export page (an inline onchange handler on "Select all" and two style
# attributes) and django-simple-history's history list (one style attribute). Rather than
# 'unsafe-inline', the admin allows exactly those attribute values by hash ('unsafe-hashes'
# lets a hash match an attribute, not only a <script>/<style> element). Nothing else changes:
# no inline <script>, no other host. django-modeltranslation's plain TranslationAdmin needs
# nothing; its *tabbed* admin would load jQuery UI from ajax.googleapis.com, which this policy
# refuses on purpose (bundle it under static/ if the tabs are wanted).
ADMIN_CSP_UPDATE = {
    "script-src": ["'unsafe-hashes'", _hash("onSelectToggleChange(event)")],
    "style-src": [
        "'unsafe-hashes'",
        _hash("padding: 0;"),
        _hash("font-weight: bold;"),
        _hash("border-top: 0"),
    ],
}


class CSPMiddleware(BaseCSPMiddleware):
    """django-csp's middleware, with the hash-pinned admin exceptions on admin pages only."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        match = getattr(request, "resolver_match", None)
        if not report_only and match is not None and "admin" in match.namespaces:
            update = {key: list(values) for key, values in (parts.update or {}).items()}
            for directive, sources in ADMIN_CSP_UPDATE.items():
                update.setdefault(directive, []).extend(sources)
            parts.update = update
        return parts


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' throttle for sign-ins over HTTP (the admin login form always passes one).

    A call of ``authenticate()`` without a request – the test client's ``login()``, a
    management command – is not a sign-in over the web: it passes through unthrottled instead
    of raising ``AxesBackendRequestParameterRequired``, so tests log in as usual.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, the same for the login throttle (django-axes) and the API's.

    Behind ``TRUSTED_PROXY_COUNT`` reverse proxies, each appends the address it received
    the request from to ``X-Forwarded-For``; the client is the entry the outermost trusted
    proxy added, counted from the right (as Django REST framework's ``NUM_PROXIES``). Entries
    further left are whatever the client sent and are never trusted. With no proxy (the
    default), the header is ignored and the address is the connection's.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote
    chain = [entry.strip() for entry in forwarded.split(",")]
    if len(chain) < proxies:
        return remote  # fewer hops than configured: not from our proxies, trust nothing
    candidate = chain[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


# Escalating lockouts: a pair (username, address) that keeps failing waits longer each time.
COOL_OFF_TIERS = (1, 4, 16, 48)  # × AXES_COOLOFF_MINUTES; the last tier repeats
COOL_OFF_WINDOW = datetime.timedelta(hours=24)


def login_cool_off(request: HttpRequest | None = None) -> datetime.timedelta:
    """How long a locked (username, address) pair waits (django-axes ``AXES_COOLOFF_TIME``).

    The first lockout lasts ``AXES_COOLOFF_MINUTES`` (30); each further one within a day,
    for the same username from the same address, lasts longer (2 h, 8 h, 24 h), so guessing
    does not resume at full speed after every pause. Counted from the failure log: the
    failures made while not locked (``AXES_FAILURE_LIMIT`` − 1 of them before each lockout;
    attempts during a lockout only prolong that lockout, as django-axes does by default).
    """
    base = datetime.timedelta(minutes=settings.AXES_COOLOFF_MINUTES)
    if request is None:
        return base
    from axes.models import AccessFailureLog

    username = request.POST.get("username") if request.method == "POST" else None
    failures = AccessFailureLog.objects.filter(
        username=username,
        ip_address=client_ip(request),
        locked_out=False,
        attempt_time__gte=timezone.now() - COOL_OFF_WINDOW,
    ).count()
    tier = max(0, failures - 1) // max(1, settings.AXES_FAILURE_LIMIT - 1)
    return base * COOL_OFF_TIERS[min(tier, len(COOL_OFF_TIERS) - 1)]
