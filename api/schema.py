"""The OpenAPI schema's additions: the ``lang`` parameter and the error answers."""

from drf_spectacular.openapi import AutoSchema as BaseAutoSchema
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes

from .language import LANG_PARAMETER, LanguageMixin

ERROR_RESPONSES = {
    "400": "A parameter's value is not valid (the body names the parameter).",
    "404": "No such object, or no such page.",
    "429": "Too many requests from this address: wait and try again (see `Retry-After`).",
}


class AutoSchema(BaseAutoSchema):
    def _is_api_view(self) -> bool:
        return isinstance(self.view, LanguageMixin)

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self._is_api_view():
            parameters = [*parameters, LANG_PARAMETER]
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction == "response" and self._is_api_view():
            for code, description in ERROR_RESPONSES.items():
                # Every operation has a 400: `lang` is a parameter of each.
                response = self._get_response_for_code(
                    build_basic_type(OpenApiTypes.OBJECT), code, direction=direction
                )
                response["description"] = description
                responses.setdefault(code, response)
        return responses
