"""Security pieces the settings point at: the CSP middleware, the headers Django does not
send itself (Permissions-Policy, Cross-Origin-Resource-Policy), the NUL-byte guard and the
login throttle backend."""

from __future__ import annotations

import base64
import hashlib

from axes.backends import AxesStandaloneBackend
from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.middleware import PolicyParts
from django.http import HttpRequest, HttpResponseBadRequest, HttpResponseBase, JsonResponse


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


class RefuseNulBytesMiddleware:
    """A NUL byte in a path, or in the API's query string, is a 400 before any view sees it.

    No URL or API parameter of the portal can contain one, and PostgreSQL refuses it in a
    query ("A string literal cannot contain NUL"), which would otherwise be a 500. The
    pages' own forms (search) take any text calmly and drop the byte themselves.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        is_api = request.path.startswith("/api/")
        if "\x00" in request.path or (
            is_api
            and any(
                "\x00" in key or any("\x00" in value for value in values)
                for key, values in request.GET.lists()
            )
        ):
            message = "A NUL byte is not allowed in a URL."
            if is_api:  # the API answers errors in JSON
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


#: Powerful browser features no page of the portal uses: refused for the page and anything
#: it could embed (the empty allow-list "()").
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "sync-xhr",
        "usb",
        "xr-spatial-tracking",
    )
)
#: What other sites may load: the open data (API, catalogue, downloads) is for everyone.
OPEN_DATA_PREFIXES = ("/api/", "/datasets/")
OPEN_DATA_FILES = ("/data.csv", "/data.json", "/data-excel.csv")


def is_open_data(path: str) -> bool:
    return path.startswith(OPEN_DATA_PREFIXES) or path.endswith(OPEN_DATA_FILES)


class SecurityHeadersMiddleware:
    """Permissions-Policy and Cross-Origin-Resource-Policy on every response (pages, static
    files, the admin). Cross-Origin-Opener-Policy and the others come from Django's
    SecurityMiddleware (settings ``SECURE_*``); the CSP from :class:`CSPMiddleware`.

    Resources are ``same-origin`` – another site cannot embed the portal's pages, images or
    fonts – except the open data, which is ``cross-origin`` so that anyone may use it (its
    CORS headers say the same for scripts).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.setdefault(
            "Cross-Origin-Resource-Policy",
            "cross-origin" if is_open_data(request.path) else "same-origin",
        )
        return response
