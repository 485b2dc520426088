"""A per-language cache of published public pages for anonymous visitors.

Apply ``@cache_public_page`` to a public function view (outermost decorator)::

    from flemingsberg.cache import cache_public_page

    @cache_public_page
    def plan_index(request): ...

A page is cached under (content version, language, absolute URL). The content version is one
number in the cache; any save or delete of a model of the programme, indicators or actionplan
apps bumps it (the receivers below), so every cached page is invalidated at once – publishing,
an edit in the admin, a new measurement. Writes that send no signals – ``QuerySet.update()``,
``bulk_create()``, raw SQL, e.g. an admin action "publish selected" or a service rolling a
plan forward – must call ``content_changed()`` themselves.

Inside a transaction the version is bumped twice: at once (so this process never serves what
it just changed) and again on commit, because until then other processes still read the old
rows and may cache them under the new version.

The cache must be shared by every process that writes or serves (``REDIS_URL``): with the
default per-process memory cache, a change made in one gunicorn worker or in a management
command invalidates only that process's pages; the others serve theirs until the lifetime
``PUBLIC_PAGE_CACHE_SECONDS`` runs out.

Two levels, so that a hit costs no network round trip: each process keeps the pages it
served last in a small in-memory LRU (``PUBLIC_PAGE_LOCAL_ENTRIES``) in front of the shared
cache, and reads the shared content version at most every ``PUBLIC_PAGE_VERSION_SECONDS``
(1 s). A change therefore reaches the other processes within that second; the process that
made it sees it at once.

Never cached: a signed-in user (staff see drafts), anything but GET/HEAD, a status other than
200, and a response that sets a cookie, varies on Cookie or uses the CSRF token (a form).
"""

from __future__ import annotations

import functools
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_max_age, has_vary_header
from django.utils.translation import get_language

# Apps whose content appears on public pages.
CONTENT_APPS = frozenset({"programme", "indicators", "actionplan"})
VERSION_KEY = "public-page:version"
# Headers a cached copy keeps; the middleware adds the rest (CSP, security headers) each time.
# Content-Disposition: the open-data downloads keep their file name.
_KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language", "Vary")


class _LocalState:
    """This process's memo of the shared version and its LRU of recently served pages."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.version: int | None = None
        self.version_read_at = 0.0
        self.pages: OrderedDict[str, tuple[bytes, list[tuple[str, str]]]] = OrderedDict()

    def forget_version(self) -> None:
        with self.lock:
            self.version = None

    def get_page(self, key: str):
        with self.lock:
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
            return page

    def put_page(self, key: str, page) -> None:
        with self.lock:
            self.pages[key] = page
            self.pages.move_to_end(key)
            while len(self.pages) > settings.PUBLIC_PAGE_LOCAL_ENTRIES:
                self.pages.popitem(last=False)


_local = _LocalState()


def _shared_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def content_version() -> int:
    """The shared content version, read from the cache at most every few tenths of a second."""
    now = time.monotonic()
    version = _local.version
    if version is None or now - _local.version_read_at > settings.PUBLIC_PAGE_VERSION_SECONDS:
        version = _shared_version()
        with _local.lock:
            _local.version, _local.version_read_at = version, now
    return version


def _bump_version() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not in the cache (yet, or evicted): any new value differs from old keys
        cache.set(VERSION_KEY, _shared_version() + 1, timeout=None)
    # This process sees its own change at once, whatever the memo's age.
    _local.forget_version()


def content_changed() -> None:
    """Invalidate every cached public page (call after writes that send no model signals)."""
    _bump_version()
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.in_atomic_block:
        # Once per transaction, however many rows it writes (an import saves thousands).
        pending = getattr(connection, "run_on_commit", ())
        if not any(_bump_version in entry for entry in pending):
            transaction.on_commit(_bump_version, robust=True)


def _page_key(request: HttpRequest) -> str:
    url = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    return f"public-page:{content_version()}:{get_language()}:{url}"


def _cacheable(request: HttpRequest, response: HttpResponse) -> bool:
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not has_vary_header(response, "Cookie")
        and get_max_age(response) != 0
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # the page carries a CSRF token
        and not (session is not None and session.modified)
    )


def cache_public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve the view's page from the cache to anonymous visitors (see the module docstring)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        timeout = settings.PUBLIC_PAGE_CACHE_SECONDS
        if not timeout or request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        key = _page_key(request)
        cached = _local.get_page(key)
        if cached is None:
            cached = cache.get(key)
            if cached is not None:
                _local.put_page(key, cached)
        if cached is not None:
            content, headers = cached
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            return response
        response = view(request, *args, **kwargs)
        if _cacheable(request, response):
            if hasattr(response, "render") and callable(response.render):
                response.render()
            headers = [(name, response[name]) for name in _KEPT_HEADERS if name in response]
            page = (response.content, headers)
            cache.set(key, page, timeout)
            _local.put_page(key, page)
        return response

    return wrapper


@receiver(post_save, dispatch_uid="public-page-cache-save")
@receiver(post_delete, dispatch_uid="public-page-cache-delete")
@receiver(m2m_changed, dispatch_uid="public-page-cache-m2m")
def _invalidate_on_content_change(sender, **kwargs) -> None:
    # The one signal receiver with a side effect that the house style allows: invalidating a
    # cache cannot break a write, and forgetting it at one call site would serve stale pages.
    # Historical records (simple_history) live in the same apps, so they bump it too.
    meta = getattr(sender, "_meta", None)
    if meta is not None and meta.app_label in CONTENT_APPS:
        content_changed()


@receiver(setting_changed, dispatch_uid="public-page-cache-settings")
def _invalidate_on_setting_changed(**kwargs) -> None:
    # Only tests change settings at run time, and each test rolls its database back without
    # signals: starting a new version then keeps one test's cached page out of the next.
    content_changed()
