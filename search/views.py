from django.shortcuts import render

from . import engine
from .forms import SearchForm


def search(request):
    """The search page: the form, and the hits grouped by kind.

    Queries: the parties for the filter (1), then one per kind searched (at most
    ``len(engine.KINDS)``); none for an empty query.
    """
    parties = engine.parties()
    query, shortened = engine.normalise_query(request.GET.get("q"))
    data = None
    if request.GET:
        # The form shows the query as searched: control characters gone, cut to length.
        data = request.GET.copy()
        data["q"] = query
    form = SearchForm(data, parties=parties)
    kind = form.value("kind")
    party = form.value("party")
    results = engine.search(
        query,
        kinds=[kind] if kind else None,
        party=party or None,
        limit=50 if kind else engine.DEFAULT_LIMIT,
    )
    results.shortened = shortened
    return render(
        request,
        "search/search.html",
        {
            "form": form,
            "results": results,
            "selected_kind": engine.KINDS.get(kind),
            "selected_party": next((p for p in parties if p.slug == party), None),
        },
    )
