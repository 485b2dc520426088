"""``reverse()`` remembered: the public pages link hundreds of rows (a plan page's 25 actions
link their goals twice, in the table and in the phone cards), and each ``reverse()`` walks the
URL resolvers again. A URL depends only on the view, its arguments, the language (the ``/en/``
prefix), the script prefix and the URLconf, so the result is kept under exactly those; the
URLconf never changes while a process runs (tests that swap it change the key).
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language


@functools.lru_cache(maxsize=8192)
def _reverse(viewname: str, kwargs: tuple, language, prefix: str, urlconf) -> str:
    return reverse(viewname, kwargs=dict(kwargs))


def cached_reverse(viewname: str, **kwargs) -> str:
    """``reverse(viewname, kwargs=kwargs)``, computed once per language and arguments."""
    return _reverse(
        viewname,
        tuple(sorted(kwargs.items())),
        get_language(),
        get_script_prefix(),
        get_urlconf() or settings.ROOT_URLCONF,
    )
