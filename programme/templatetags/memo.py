"""``{% memoised "name" part … %}…{% endmemoised %}``: a fragment of a public page rendered
once per content version, language and parts for everyone who sees only public rows
(``memoised_for``), worked out each time for staff who preview drafts.

For what every page or every page of a kind repeats unchanged – the site's header and
footer, the head of a plan page – so that a page the page cache does not hold renders only
what differs. Django's ``{% cache %}`` keeps fragments for a time and for everyone alike; a
fragment here must follow the published content at once and never show a draft to a
visitor. The fragment may depend only on its name, its parts, the content and the language:
never on the request (its path, a CSRF token) – pass what it shows as a part.
"""

from __future__ import annotations

from django import template
from django.contrib.auth.models import AnonymousUser

from programme.models import memoised_for

register = template.Library()


def viewer(context):
    """Who the page is for: a template rendered without a request (a PDF, an e-mail) shows
    what a visitor sees."""
    request = context.get("request")
    return request.user if request is not None else AnonymousUser()


class MemoisedNode(template.Node):
    def __init__(self, nodelist, name, parts):
        self.nodelist = nodelist
        self.name = name
        self.parts = parts

    def render(self, context):
        def html():
            with context.push():
                return self.nodelist.render(context)

        parts = [part.resolve(context) for part in self.parts]
        return memoised_for(viewer(context), self.name.resolve(context), html, *parts)


@register.tag
def memoised(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(
            "'memoised' takes a name and the parts the fragment depends on."
        )
    nodelist = parser.parse(("endmemoised",))
    parser.delete_first_token()
    return MemoisedNode(
        nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]]
    )
