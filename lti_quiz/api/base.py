"""What every API resource shares: strict input fields, throttling, paging and the viewset
that validates input, calls one service and serializes the result."""

from collections.abc import Mapping
from typing import Any, ClassVar

from django.db import models, transaction
from rest_framework import serializers, status, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import UserRateThrottle

from lti_quiz.api.nesting import JSONParser
from lti_quiz.api.schema import ApiSchema

# Primary keys are 64-bit integers (BigAutoField): a larger id cannot exist, and the database
# drivers refuse to even compare with one.
MAX_ID = 2**63 - 1


class WriteThrottle(UserRateThrottle):
    """REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["writes"] per user, on writes only."""

    scope = "writes"

    def allow_request(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)


class Pagination(PageNumberPagination):
    """?page=2&page_size=100 (at most 200 a page; REST_FRAMEWORK["PAGE_SIZE"] by default)."""

    page_size_query_param = "page_size"
    max_page_size = 200


class StrictCharField(serializers.CharField):
    """A JSON string, nothing else: 5 or true are wrong types, not text."""

    default_error_messages = {"invalid": "Must be a string."}

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    default_error_messages = {"invalid": "Must be true or false."}

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class StrictIntegerField(serializers.IntegerField):
    default_error_messages = {"invalid": "Must be a whole number."}

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class IdField(StrictIntegerField):
    """The id of another resource (existence is the service's or a related field's check)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class StrictDecimalField(serializers.DecimalField):
    """A number or a numeric string ("2.5"); booleans are not numbers."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, str | int | float):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictRelatedField(serializers.PrimaryKeyRelatedField):
    """Another resource by id: a whole number in range, then it must exist."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 1 <= data <= MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


class InputSerializer(serializers.Serializer):
    """Input serializers reject fields they do not know, by name, instead of ignoring them."""

    unknown_field_message = "Unknown field: this API does not accept it."

    def to_internal_value(self, data: Any) -> Any:
        unknown: dict[str, list[str]] = {}
        if isinstance(data, Mapping):
            known = {name for name, field in self.fields.items() if not field.read_only}
            unknown = {
                str(name): [self.unknown_field_message] for name in data if name not in known
            }
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            detail = (
                exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
            )
            raise serializers.ValidationError({**unknown, **detail}) from None
        if unknown:
            raise serializers.ValidationError(unknown)
        return value

    def to_representation(self, instance: Any) -> Any:
        # Only the browsable API asks: its raw-data form shows the object as the body you
        # would send back, i.e. the output representation cut to the fields accepted here.
        view = self.context.get("view")
        if view is None or isinstance(instance, Mapping):
            return super().to_representation(instance)
        shown = view.output(instance)
        return {name: shown[name] for name in self.fields if name in shown}


def plain(value: Any) -> Any:
    """Validated data (OrderedDicts, ReturnLists) → plain dicts and lists for the services."""
    if isinstance(value, Mapping):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


class ResourceViewSet(viewsets.GenericViewSet):
    """List, retrieve, create, update (PUT and PATCH) and delete through the services.

    Subclasses name their input and output serializers and implement `perform_create`,
    `perform_update` and `perform_destroy` as one service call each.
    """

    input_serializer_class: ClassVar[type[serializers.Serializer]]
    output_serializer_class: ClassVar[type[serializers.Serializer]]
    parser_classes = [JSONParser]
    throttle_classes = [WriteThrottle]
    pagination_class = Pagination
    schema = ApiSchema()

    def get_serializer_class(self) -> type[serializers.Serializer]:
        # The browsable API renders its forms with the write method's serializer.
        if self.request is not None and self.request.method in ("POST", "PUT", "PATCH"):
            return self.input_serializer_class
        return self.output_serializer_class

    def output(self, instance: Any, **kwargs: Any) -> Any:
        return self.output_serializer_class(
            instance, context=self.get_serializer_context(), **kwargs
        ).data

    def validated_input(self, request: Request, *, partial: bool = False) -> dict[str, Any]:
        serializer = self.input_serializer_class(
            data=request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return plain(serializer.validated_data)

    def fresh(self, instance: models.Model) -> Any:
        """The instance again through get_queryset: its annotations and prefetches."""
        return self.get_queryset().get(pk=instance.pk)

    def list(self, request: Request) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        if page is None:
            return Response(self.output(queryset, many=True))
        return self.get_paginated_response(self.output(page, many=True))

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(self.output(self.get_object()))

    # Writes run in one transaction: whatever fails after a service call (serializing the
    # answer included) leaves nothing half-done.

    def create(self, request: Request) -> Response:
        with transaction.atomic():
            instance = self.perform_create(self.validated_input(request))
            data = self.output(self.fresh(instance))
        return Response(data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, pk: str, partial: bool = False) -> Response:
        with transaction.atomic():
            instance = self.get_object()
            changes = self.validated_input(request, partial=partial)
            instance = self.perform_update(instance, changes, partial=partial)
            data = self.output(self.fresh(instance))
        return Response(data)

    def partial_update(self, request: Request, pk: str) -> Response:
        return self.update(request, pk, partial=True)

    def destroy(self, request: Request, pk: str) -> Response:
        with transaction.atomic():
            return self.perform_destroy(self.get_object())

    def perform_create(self, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def perform_update(self, instance: Any, data: dict[str, Any], *, partial: bool) -> Any:
        raise NotImplementedError

    def perform_destroy(self, instance: Any) -> Response:
        raise NotImplementedError
