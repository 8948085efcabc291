"""What every LTI service endpoint (AGS, NRPS) shares: CSRF-exempt, errors as JSON in words."""

import logging
from decimal import Decimal
from functools import wraps

from django.views.decorators.csrf import csrf_exempt

from lti_quiz.practice_lms.access import ServiceError

logger = logging.getLogger("lti_quiz.practice_lms")


def service_endpoint(view):
    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ServiceError as exc:
            logger.info(
                "practice LMS refused %s %s: %s %s",
                request.method,
                request.get_full_path(),
                exc.status,
                exc.message,
            )
            return exc.response()

    return wrapper


def media_type(request) -> str:
    return request.content_type.split(";")[0].strip().lower()


def json_number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)
