"""Custom 403/404/500 pages in both languages that leak nothing."""

import pytest
from django.conf import settings
from django.template import loader
from django.test import Client
from django.utils import translation

LEAKS = ["Traceback", "secret detail", "SECRET_KEY", "settings", "/etc/passwd", "File &quot;"]


def _assert_leaks_nothing(html: str) -> None:
    for leak in LEAKS:
        assert leak not in html, leak


@pytest.fixture
def error_client(settings) -> Client:
    assert not settings.DEBUG
    settings.ROOT_URLCONF = "tests.security.urls_errors"
    return Client(raise_request_exception=False)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "heading", "lang"),
    [
        ("/finns-inte/", "Sidan finns inte", "sv"),
        ("/en/does-not-exist/", "Page not found", "en"),
    ],
)
def test_404_in_the_visitors_language(error_client, url, heading, lang):
    response = error_client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert f"<h1>{heading}</h1>" in html
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    _assert_leaks_nothing(html)


@pytest.mark.django_db
def test_403_leaks_nothing(error_client):
    response = error_client.get("/forbidden/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "<h1>Åtkomst nekad</h1>" in html
    _assert_leaks_nothing(html)


@pytest.mark.django_db
def test_500_leaks_nothing(error_client):
    response = error_client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "<h1>Något gick fel</h1>" in html
    assert "To the home page in English" in html
    _assert_leaks_nothing(html)


# No django_db mark: any database access here would fail the test.
@pytest.mark.parametrize(
    ("language", "heading"), [("sv", "Något gick fel"), ("en", "Something went wrong")]
)
def test_500_renders_without_database_or_request(language, heading):
    with translation.override(language):
        html = loader.get_template("500.html").render()
    assert f"<h1>{heading}</h1>" in html
    assert f'<html lang="{language}">' in html
    assert settings.STATIC_URL in html  # the stylesheet, without any context processor
    _assert_leaks_nothing(html)


@pytest.mark.parametrize("template", ["403.html", "404.html", "500.html", "403_csrf.html"])
@pytest.mark.parametrize("language", ["sv", "en"])
def test_error_pages_have_no_inline_script_or_style(template, language):
    with translation.override(language):
        html = loader.get_template(template).render()
    assert "<script" not in html
    assert "style=" not in html
    assert "<style" not in html
