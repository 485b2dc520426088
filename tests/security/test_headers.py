"""Security headers on public pages and the admin; no inline script or style anywhere public."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    ("programme:home", []),
    ("programme:about", []),
    ("programme:history", []),
    ("accessibility", []),
]


def _csp(response) -> dict[str, list[str]]:
    policy = {}
    for directive in response["Content-Security-Policy"].split(";"):
        name, *sources = directive.split()
        policy[name] = sources
    return policy


@pytest.fixture
def programme(build_programme):
    return build_programme()


@pytest.fixture
def home(visitor, programme):
    return visitor.get(reverse("programme:home"), secure=True)


def test_content_security_policy_allows_nothing_inline_and_no_other_host(home):
    policy = _csp(home)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in home["Content-Security-Policy"]
    assert "'unsafe-eval'" not in home["Content-Security-Policy"]


def test_framing_is_refused(home):
    assert _csp(home)["frame-ancestors"] == ["'none'"]
    assert home["X-Frame-Options"] == "DENY"


def test_hsts_for_a_year_with_subdomains(home):
    assert home["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_no_content_type_sniffing(home):
    assert home["X-Content-Type-Options"] == "nosniff"


def test_referrer_policy(home):
    assert home["Referrer-Policy"] == "same-origin"


def test_cross_origin_opener_policy(home):
    assert home["Cross-Origin-Opener-Policy"] == "same-origin"


def test_plain_http_is_redirected_to_https_in_production(visitor, settings, programme):
    settings.SECURE_SSL_REDIRECT = True
    response = visitor.get(reverse("programme:home"))
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


@pytest.mark.parametrize("language", ["sv", "en"])
def test_public_pages_have_no_inline_script_or_style(visitor, programme, language):
    from django.utils import translation

    goal = programme.goals.first()
    strategy = programme.strategies.first()
    assert goal and strategy
    with translation.override(language):
        urls = [reverse(name, args=args) for name, args in PUBLIC_PAGES]
        urls += [goal.get_absolute_url(), strategy.get_absolute_url()]
    for url in urls:
        response = visitor.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert "<style" not in html, url
        assert not re.search(r"\sstyle=", html), url
        assert not re.search(r"\son[a-z]+=", html), url


def test_admin_gets_only_hash_pinned_exceptions(client, editor, programme):
    client.force_login(editor)
    response = client.get(reverse("admin:index"))
    policy = _csp(response)
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-hashes'" in policy["script-src"]
    assert all(
        source in {"'self'", "'unsafe-hashes'"} or source.startswith("'sha256-")
        for source in policy["script-src"] + policy["style-src"]
    )
    assert policy["frame-ancestors"] == ["'none'"]


def test_public_pages_do_not_get_the_admin_exceptions(home):
    assert "unsafe-hashes" not in home["Content-Security-Policy"]


def _views(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _views(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def test_csrf_protects_every_view():
    from django.conf import settings

    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE
    exempt = [
        route
        for route, view in _views(get_resolver())
        if getattr(view, "csrf_exempt", False) and not _is_rest_framework_view(view)
    ]
    assert exempt == []


def _is_rest_framework_view(view) -> bool:
    # REST framework marks its views csrf_exempt and enforces CSRF itself, in
    # SessionAuthentication, for every request that carries a session.
    cls = getattr(view, "cls", None)
    return cls is not None and any(
        base.__module__.startswith("rest_framework.") for base in cls.__mro__
    )


def test_a_form_post_without_a_csrf_token_is_refused(programme):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("admin:login"), {"username": "a", "password": "b"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Formuläret har gått ut" in html
    assert "CSRF" not in html  # no reason, no mechanism, nothing for an attacker


def test_session_and_csrf_cookies_are_secure_and_http_only(editor, programme):
    from django.test import Client

    from tests.conftest import STAFF_PASSWORD

    client = Client()
    login = reverse("admin:login")
    form = client.get(login, secure=True)
    csrf = form.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"
    response = client.post(
        login,
        {"username": editor.username, "password": STAFF_PASSWORD, "next": "/admin/"},
        secure=True,
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    # Expires with the browser (no max-age/expires), and on the server after SESSION_COOKIE_AGE.
    assert not session["max-age"] and not session["expires"]
    assert client.session.get_expiry_age() == 60 * 60 * 8


# --- Permissions-Policy, Cross-Origin-Resource-Policy (issue 14) ---------------------------


def _permissions(response) -> dict[str, str]:
    return dict(item.strip().split("=", 1) for item in response["Permissions-Policy"].split(","))


def test_permissions_policy_refuses_powerful_features(home):
    policy = _permissions(home)
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"):
        assert policy[feature] == "()", feature
    assert all(allow == "()" for allow in policy.values())  # nothing is allowed anywhere


def test_pages_and_static_files_are_same_origin_resources(visitor, home):
    assert home["Cross-Origin-Resource-Policy"] == "same-origin"
    admin = visitor.get(reverse("admin:login"), secure=True)
    assert admin["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "Permissions-Policy" in admin


def test_open_data_may_be_used_by_other_sites(visitor, programme):
    for url in (
        "/api/v1/",
        "/api/v1/catalog/",
        "/datasets/dcat",
        reverse("indicators:all_csv"),
        reverse("indicators:all_json"),
    ):
        response = visitor.get(url, secure=True)
        assert response.status_code == 200, url
        assert response["Cross-Origin-Resource-Policy"] == "cross-origin", url
        assert "Permissions-Policy" in response, url


def test_the_headers_reach_static_files_served_by_whitenoise(settings):
    from django.test import Client

    # WhiteNoise as in production, but reading the files where they are (no collectstatic).
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    response = Client().get("/static/css/pdf.css", secure=True)
    assert response.status_code == 200
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["Permissions-Policy"].startswith("accelerometer=()")
