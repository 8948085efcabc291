"""OpenAPI description of the API: the error format as a component, and every operation's
error responses added in one place instead of on each view."""

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
BODY_METHODS = ("POST", "PUT", "PATCH")


class ErrorDetailSerializer(serializers.Serializer):
    status = serializers.IntegerField(help_text="The HTTP status code, again.")
    code = serializers.CharField(
        help_text="A stable machine-readable code: invalid, parse_error, not_authenticated, "
        "authentication_failed, permission_denied, not_found, method_not_allowed, "
        "not_acceptable, unsupported_media_type, conflict, precondition_failed, too_large, "
        "throttled."
    )
    message = serializers.CharField(help_text="What went wrong, as a sentence for a person.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Each invalid field (nested ones as dotted paths such as `choices.1.text`) "
        "with its messages; `non_field_errors` for the body as a whole; `{}` when the error "
        "is not about fields.",
    )


class ErrorSerializer(serializers.Serializer):
    """The one error format of the API, for every 4xx status."""

    error = ErrorDetailSerializer()


def error_response(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


ERRORS = {
    400: "Invalid input: `error.fields` names each invalid field with its messages.",
    401: "No credentials or invalid ones. Send `Authorization: Token <key>`.",
    403: 'Authenticated, but neither staff nor in the "question bank editor" group.',
    404: "No such resource (or page).",
    409: "The resource is in use and cannot be deleted.",
    412: "`If-Match` names a version that is no longer current: fetch again, then retry.",
    413: "The request body is larger than the server accepts.",
    415: "Unsupported `Content-Type`.",
    429: "Too many writes: wait for the number of seconds in `Retry-After`.",
}


class ApiSchema(AutoSchema):
    """Request and response bodies from the view's input and output serializers, and the
    error responses every operation can give."""

    _STANDARD_WRITES = ("create", "update", "partial_update")

    def get_request_serializer(self) -> Any:
        if getattr(self.view, "action", None) in self._STANDARD_WRITES:
            return self.view.input_serializer_class
        return super().get_request_serializer()

    def get_response_serializers(self) -> Any:
        if getattr(self.view, "action", None) in ("list", "retrieve", *self._STANDARD_WRITES):
            return self.view.output_serializer_class
        return super().get_response_serializers()

    def _get_filter_parameters(self) -> list[dict[str, Any]]:
        parameters = super()._get_filter_parameters()
        fields = getattr(self.view, "ordering_fields", None)
        for parameter in parameters:
            if parameter.get("name") == "ordering" and fields:
                parameter["description"] = (
                    f"Sort by {', '.join(fields)}; a leading - sorts descending, commas "
                    "separate several fields. Unknown fields are ignored."
                )
            elif parameter.get("name") == "search":
                parameter["description"] = (
                    "Only results whose "
                    + " or ".join(getattr(self.view, "search_fields", ()))
                    + " contain every word given (any case)."
                )
        return parameters

    def error_codes(self) -> list[int]:
        codes = [401, 403]
        if "{" in self.path:
            codes.append(404)
        if self.method == "GET" and self._is_list_view():
            codes += [400, 404]  # a filter value that is not allowed; a page past the end
        if any(
            isinstance(parameter, OpenApiParameter) and parameter.location == "query"
            for parameter in self.get_override_parameters()
        ):
            codes.append(400)
        if self.method in BODY_METHODS:
            codes += [400, 413, 415]
        if self.method in WRITE_METHODS:
            codes.append(429)
        return sorted(set(codes))

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        for code in self.error_codes():
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(
                    error_response(ERRORS[code]), str(code), ["application/json"], direction
                )
        if getattr(self.view, "action", None) in getattr(self.view, "json_file_actions", ()):
            # The JSON answer is either the described object or a JSON file (native export).
            content = responses.get("200", {}).get("content", {}).get("application/json")
            if content:
                content["schema"] = {
                    "anyOf": [
                        content["schema"],
                        {"type": "object", "description": "The exported file itself."},
                    ]
                }
        return responses
