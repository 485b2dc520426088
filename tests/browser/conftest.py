"""Browser tests: Playwright driving Debian's Chromium against the portal on a live server.

Reuse in any test under tests/browser/::

    pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

    def test_something(page, live_url, programme_content):
        page.goto(live_url("/en/"))

``page`` is a fresh browser context (no cookies) per test; it fails the test if the page broke
the Content-Security-Policy. ``live_url(path)`` turns a path into the live server's URL.
``sign_in(page, user)`` signs in through the real admin login form. The browser is Debian's
(`apt-get install chromium`, done by scripts/ensure-system-packages); Playwright never
downloads one.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# The live server listens on loopback IPv4 only (pytest-django reads this when it starts).
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/ensure-system-packages (make test does)")
    # Playwright's sync API keeps an event loop in this thread; Django would then refuse
    # database access from the test ("SynchronousOnlyOperation") though nothing here is async.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def live_url(live_server) -> Callable[[str], str]:
    return lambda path: f"{live_server.url}{path}"


@pytest.fixture
def page(browser) -> Iterator:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    context.set_default_timeout(10_000)
    page = context.new_page()
    csp_violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            csp_violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    context.close()
    assert csp_violations == [], "the page broke its Content-Security-Policy"


@pytest.fixture
def sign_in(live_url) -> Callable:
    """Sign in through the admin's login form (so django-axes and CSRF are exercised)."""
    from tests.conftest import STAFF_PASSWORD

    def sign_in(page, user, password: str = STAFF_PASSWORD) -> None:
        page.goto(live_url("/admin/login/"))
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.click("input[type=submit]")

    return sign_in
