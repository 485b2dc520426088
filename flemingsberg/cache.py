"""A per-language cache of published public pages for anonymous visitors.

Apply ``@cache_public_page`` to a public function view (outermost decorator), naming the
query parameters the view reads::

    from flemingsberg.cache import cache_public_page

    @cache_public_page(params=("goal", "status", "page"))
    def plan_detail(request, year): ...

    @cache_public_page          # a page that reads no query parameter
    def home(request): ...

**The key.** A page is cached under (language, scheme, host, path, the declared parameters
that have a value, in the declared order) with the content version as the cache framework's
key ``version``. Every other parameter – ``utm_*``, ``fbclid``, anything made up – is removed
from the request before the view sees it, so ``/?utm_source=x`` is the same entry as ``/``
and the page cannot show what was removed (a pager link keeping ``utm_source``, say).

**Invalidation.** The content version is one number in the shared cache; any save or delete
of a model of the programme, indicators or actionplan apps calls ``content_changed()`` (the
receivers below), so every cached page is invalidated at once – publishing, an edit in the
admin, a new measurement. Writes that send no signals – ``QuerySet.update()``,
``bulk_create()``, raw SQL – must call ``content_changed()`` themselves.

Inside a transaction the shared version is bumped **once, on commit** (``on_commit``,
coalesced: an import saving 50,000 rows bumps it once), and never when the transaction rolls
back (a dry run, a refused import). Until then other processes read the old rows, and cache
them under the old version, which the bump retires. The process that is writing must not serve
a page cached before its own change: while its transaction holds an uncommitted change, its
pages come from, and go to, its own memory only, under a generation that each change
increments – never the shared cache, which would hand uncommitted content to other processes.

The cache must be shared by every process that writes or serves (``REDIS_URL``): with the
default per-process memory cache, a change made in one gunicorn worker or in a management
command invalidates only that process's pages; the others serve theirs until the lifetime
``PUBLIC_PAGE_CACHE_SECONDS`` runs out. Redis must be given a memory limit with an LRU policy
(README, Production): the pages of retired versions are never deleted, only evicted or
expired.

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
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.cache import get_max_age, has_vary_header
from django.utils.translation import get_language

# Apps whose content appears on public pages.
CONTENT_APPS = frozenset({"programme", "indicators", "actionplan"})
VERSION_KEY = "public-page:version"
# Headers a cached copy keeps; the middleware adds the rest (CSP, security headers) each time.
# Content-Disposition: the open-data downloads keep their file name.
_KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language", "Vary")
T = TypeVar("T")
K = TypeVar("K")


class _LRU:
    """A small least-recently-used map for one process, at most ``limit()`` entries (a
    setting, read on each put so that tests can change it)."""

    def __init__(self, lock: threading.Lock, limit: Callable[[], int]) -> None:
        self._lock = lock
        self._limit = limit
        self._entries: OrderedDict[str, object] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: str, default=None):
        with self._lock:
            value = self._entries.get(key, _MISSING)
            if value is _MISSING:
                return default
            self._entries.move_to_end(key)
            return value

    def put(self, key: str, value) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self._limit():
                self._entries.popitem(last=False)


class _LocalState:
    """This process's memo of the shared version, its LRU of recently served pages and of
    the values ``memoised()`` keeps."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.version: int | None = None
        self.version_read_at = 0.0
        # Incremented by each change inside a transaction not yet committed (see docstring).
        self.uncommitted = 0
        self.pages = _LRU(self.lock, lambda: settings.PUBLIC_PAGE_LOCAL_ENTRIES)
        self.memo = _LRU(self.lock, lambda: settings.PUBLIC_MEMO_ENTRIES)

    def forget_version(self) -> None:
        with self.lock:
            self.version = None


_MISSING = object()
_local = _LocalState()


def _shared_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # First start, or evicted (allkeys-lru): start from the clock in milliseconds, above
        # every version counted before, so no page of an old version is served again.
        cache.add(VERSION_KEY, time.time_ns() // 1_000_000, timeout=None)
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
    except ValueError:  # not in the cache (yet, or evicted): a new start from the clock
        _shared_version()
    # This process sees its own change at once, whatever the memo's age.
    _local.forget_version()


def _uncommitted_change() -> bool:
    """Whether this thread's transaction holds a change whose bump waits for the commit."""
    connection = connections[DEFAULT_DB_ALIAS]
    return connection.in_atomic_block and any(
        _bump_version in entry for entry in connection.run_on_commit
    )


def content_changed() -> None:
    """Invalidate every cached public page (call after writes that send no model signals).

    Outside a transaction at once; inside one once, when it commits (never if it rolls back).
    """
    connection = connections[DEFAULT_DB_ALIAS]
    if not connection.in_atomic_block:
        _bump_version()
        return
    with _local.lock:
        _local.uncommitted += 1
    if not _uncommitted_change():
        transaction.on_commit(_bump_version, robust=True)


def _memo_generation() -> str | None:
    """The part of a memo key that retires every value at a change; None when memoising is
    off (``PUBLIC_MEMO_ENTRIES`` = 0)."""
    if not settings.PUBLIC_MEMO_ENTRIES:
        return None
    generation = str(content_version())
    if _uncommitted_change():
        generation = f"uncommitted:{_local.uncommitted}:{generation}"
    return "\0".join((generation, get_language() or ""))


def memoised(name: str, compute: Callable[[], T], *parts) -> T:
    """``compute()`` once per content version, language and ``parts`` in this process.

    For what is derived from the published content alone and shown on several public pages –
    the status band of the home page and the goal pages, in the page's language – so that
    a page the page cache does not hold (another page, another filter, the first visitor
    after a change) does not work it out again. Never for what depends on the visitor:
    callers memoise for anonymous visitors only (staff previews show drafts). The same
    invalidation as the cached pages (``content_changed``): a committed change retires every
    value at once; inside our own transaction, each change starts a new generation. Kept in
    memory, at most ``PUBLIC_MEMO_ENTRIES`` values (0 turns it off).
    """
    return memoised_each(name, [""], lambda keys: {"": compute()}, *parts)[""]


def memoised_each(
    name: str, keys: Iterable[K], compute: Callable[[list[K]], dict[K, T]], *parts
) -> dict[K, T]:
    """``memoised()`` for many values of one kind at once, such as one row per action: the
    values held for ``keys``, and ``compute(missing)`` – one call, with the keys not held, in
    their order – for the rest (so that what is held is never fetched again)."""
    keys = list(keys)
    generation = _memo_generation()
    if generation is None:
        return compute(keys)
    prefix = "\0".join((generation, name, *map(str, parts), ""))
    values = {key: _local.memo.get(f"{prefix}{key}", _MISSING) for key in keys}
    missing = [key for key, value in values.items() if value is _MISSING]
    if missing:
        computed = compute(missing)
        for key in missing:
            _local.memo.put(f"{prefix}{key}", computed[key])
        values.update(computed)
    return values


def _normalised_query(request: HttpRequest, params: tuple[str, ...]) -> QueryDict:
    query = QueryDict(mutable=True)
    for name in params:
        values = [value for value in request.GET.getlist(name) if value]
        if values:
            query.setlist(name, values)
    query._mutable = False
    return query


def _page_key(request: HttpRequest, query: str) -> str:
    url = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    return f"public-page:{get_language()}:{hashlib.sha256(url.encode()).hexdigest()}"


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


def _response_from(page) -> HttpResponse:
    content, headers = page
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    return response


def cache_public_page(
    view: Callable[..., HttpResponse] | None = None, *, params: Iterable[str] = ()
):
    """Serve the view's page from the cache to anonymous visitors (see the module docstring).

    ``params``: the query parameters the view reads; all others are dropped from the request.
    """
    if view is None:
        return functools.partial(cache_public_page, params=params)
    declared = tuple(params)

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        timeout = settings.PUBLIC_PAGE_CACHE_SECONDS
        if not timeout or request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        query = _normalised_query(request, declared)
        request.GET = query
        request.META["QUERY_STRING"] = query.urlencode()
        key = _page_key(request, request.META["QUERY_STRING"])
        if _uncommitted_change():
            # Our own transaction changed content: this process's memory only (docstring).
            local_key = f"uncommitted:{_local.uncommitted}:{content_version()}:{key}"
            cached = _local.pages.get(local_key)
            if cached is not None:
                return _response_from(cached)
            response = view(request, *args, **kwargs)
            if _cacheable(request, response):
                _local.pages.put(local_key, _page_of(response))
            return response
        version = content_version()
        local_key = f"{version}:{key}"
        cached = _local.pages.get(local_key)
        if cached is None:
            cached = cache.get(key, version=version)
            if cached is not None:
                _local.pages.put(local_key, cached)
        if cached is not None:
            return _response_from(cached)
        response = view(request, *args, **kwargs)
        if _cacheable(request, response):
            page = _page_of(response)
            cache.set(key, page, timeout, version=version)
            _local.pages.put(local_key, page)
        return response

    return wrapper


def _page_of(response: HttpResponse):
    if hasattr(response, "render") and callable(response.render):
        response.render()
    headers = [(name, response[name]) for name in _KEPT_HEADERS if name in response]
    return (response.content, headers)


@receiver(post_save, dispatch_uid="public-page-cache-save")
@receiver(post_delete, dispatch_uid="public-page-cache-delete")
@receiver(m2m_changed, dispatch_uid="public-page-cache-m2m")
def _invalidate_on_content_change(sender, **kwargs) -> None:
    # The one signal receiver with a side effect that the house style allows: invalidating a
    # cache cannot break a write, and forgetting it at one call site would serve stale pages.
    # Historical records (simple_history) live in the same apps, so they change it too; inside
    # a transaction all of them together bump the shared version once, at commit.
    meta = getattr(sender, "_meta", None)
    if meta is not None and meta.app_label in CONTENT_APPS:
        content_changed()


@receiver(setting_changed, dispatch_uid="public-page-cache-settings")
def _invalidate_on_setting_changed(**kwargs) -> None:
    # Only tests change settings at run time, and each test rolls its database back without
    # signals: starting a new generation then keeps one test's cached page out of the next.
    content_changed()
