"""Which language an API response is in: ``?lang=sv|en``, else Accept-Language, else Swedish."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)

LANG_PARAMETER = OpenApiParameter(
    name="lang",
    type=OpenApiTypes.STR,
    location=OpenApiParameter.QUERY,
    enum=list(LANGUAGES),
    required=False,
    description=(
        "Language of the texts: `sv` (Swedish, the programme's authoritative wording) or `en` "
        "(English translation). Without it, the `Accept-Language` header decides, and Swedish "
        "when that names neither. Each text field holds that language's text only, an empty "
        "string where no translation exists (no fallback). The response's `Content-Language` "
        "header says which language was used."
    ),
)


def request_language(request) -> str:
    requested = request.GET.get("lang", "")
    if requested in LANGUAGES:
        return requested
    language = translation.get_language_from_request(request, check_path=False)
    language = (language or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in LANGUAGES else settings.LANGUAGE_CODE


class LanguageMixin:
    """For API views: serializers get ``context["lang"]``; the response says which it was.

    A ``lang`` the schema does not list (``?lang=AAA``) is a 400 naming the parameter, as
    the schema's enum says; without ``lang``, Accept-Language decides.
    """

    def initial(self, request, *args, **kwargs):
        requested = request.GET.get("lang")
        if requested is not None and requested not in LANGUAGES:
            raise ValidationError(
                {"lang": [f"“{requested}” is not one of: {', '.join(LANGUAGES)}."]}
            )
        super().initial(request, *args, **kwargs)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["lang"] = request_language(self.request)
        return context

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Language"] = request_language(request)
        patch_vary_headers(response, ["Accept-Language"])
        return response
