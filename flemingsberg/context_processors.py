from django.conf import settings
from django.urls import NoReverseMatch, translate_url
from django.utils.encoding import iri_to_uri
from django.utils.translation import get_language, override

from .links import cached_reverse


def _same_page_in(request, code: str) -> str:
    """``translate_url`` of the page in ``code`` without resolving its path again: the
    handler's match names the view and its arguments (``cached_reverse``)."""
    match = request.resolver_match
    if match is None or match.args:
        return translate_url(request.get_full_path(), code)
    try:
        with override(code):
            url = cached_reverse(match.view_name, **match.kwargs)
    except NoReverseMatch:
        return request.get_full_path()
    query = request.META.get("QUERY_STRING", "")
    return f"{url}?{iri_to_uri(query)}" if query else url


def site(request):
    """Values every page needs: the language switcher's links to the same page."""
    current = get_language()
    languages = [
        {
            "code": code,
            "name": name,
            "url": _same_page_in(request, code),
            "is_current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]
    return {"language_links": languages}
