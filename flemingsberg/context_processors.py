from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language


def site(request):
    """Values every page needs: the language switcher's links to the same page."""
    current = get_language()
    path = request.get_full_path()
    languages = [
        {
            "code": code,
            "name": name,
            "url": translate_url(path, code),
            "is_current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]
    return {"language_links": languages}
