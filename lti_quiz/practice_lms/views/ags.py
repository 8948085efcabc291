"""Assignment and Grade Services 2.0: line items, scores and results of the one course."""

import json

from django.http import HttpRequest, HttpResponse, JsonResponse

from lti_quiz.practice_lms import endpoints, vocab
from lti_quiz.practice_lms.access import ServiceError, bearer_check, type_id_check
from lti_quiz.practice_lms.lineitems import lineitem_fields_apply, lineitem_put
from lti_quiz.practice_lms.models import (
    AccessToken,
    Counter,
    Course,
    FailureSwitch,
    LineItem,
    Score,
)
from lti_quiz.practice_lms.scores import score_parse, score_record
from lti_quiz.practice_lms.views.service import json_number, media_type, service_endpoint

READ_LINEITEMS = (vocab.SCOPE_LINEITEM, vocab.SCOPE_LINEITEM_READONLY)
WRITE_LINEITEMS = (vocab.SCOPE_LINEITEM,)


def _authorize(request: HttpRequest, scopes: tuple[str, ...]) -> AccessToken:
    access = bearer_check(request, any_of=scopes)
    type_id_check(request, access)
    return access


def _course(course_id: int) -> Course:
    course = Course.objects.filter(pk=course_id).first()
    if course is None:
        raise ServiceError(404, f"Course {course_id} does not exist.")
    return course


def _line_item(course_id: int, item_id: int) -> LineItem:
    item = LineItem.objects.select_related("resource_link", "course").filter(pk=item_id).first()
    if item is None or item.course_id != course_id:
        raise ServiceError(404, f"Line item {item_id} does not exist in course {course_id}.")
    return item


def lineitem_json(request: HttpRequest, item: LineItem, access: AccessToken) -> dict:
    data = {
        "id": endpoints.lineitem_url(request, item, access.tool),
        "label": item.label,
        "scoreMaximum": json_number(item.score_maximum),
        "tag": item.tag,
        "resourceId": item.resource_id,
    }
    if item.resource_link is not None:
        data["resourceLinkId"] = item.resource_link.resource_link_id
    return data


def _json_body(request: HttpRequest, expected_media_type: str) -> dict:
    if media_type(request) != expected_media_type:
        raise ServiceError(
            415, f"Content-Type must be {expected_media_type}, got {request.content_type!r}."
        )
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        raise ServiceError(400, "The body is not JSON.") from None
    if not isinstance(body, dict):
        raise ServiceError(400, "The body must be a JSON object.")
    return body


@service_endpoint
def lineitems(request: HttpRequest, course_id: int) -> HttpResponse:
    course = _course(course_id)
    if request.method == "GET":
        access = _authorize(request, READ_LINEITEMS)
        items = LineItem.objects.filter(course=course).select_related("resource_link")
        if "resource_link_id" in request.GET:
            items = items.filter(resource_link__resource_link_id=request.GET["resource_link_id"])
        if "resource_id" in request.GET:
            items = items.filter(resource_id=request.GET["resource_id"])
        if "tag" in request.GET:
            items = items.filter(tag=request.GET["tag"])
        data = [lineitem_json(request, item, access) for item in items]
        return JsonResponse(data, safe=False, content_type=vocab.MEDIA_LINEITEM_CONTAINER)
    if request.method == "POST":
        access = _authorize(request, WRITE_LINEITEMS)
        body = _json_body(request, vocab.MEDIA_LINEITEM)
        item = LineItem(course=course)
        lineitem_fields_apply(item, body, course)
        item.save()
        return JsonResponse(
            lineitem_json(request, item, access), status=201, content_type=vocab.MEDIA_LINEITEM
        )
    raise ServiceError(405, f"{request.method} is not allowed here: use GET or POST.")


@service_endpoint
def lineitem(request: HttpRequest, course_id: int, item_id: int) -> HttpResponse:
    item = _line_item(course_id, item_id)
    if request.method == "GET":
        access = _authorize(request, READ_LINEITEMS)
        return JsonResponse(lineitem_json(request, item, access), content_type=vocab.MEDIA_LINEITEM)
    if request.method == "PUT":
        access = _authorize(request, WRITE_LINEITEMS)
        body = _json_body(request, vocab.MEDIA_LINEITEM)
        lineitem_put(item=item, body=body)
        return JsonResponse(lineitem_json(request, item, access), content_type=vocab.MEDIA_LINEITEM)
    if request.method == "DELETE":
        _authorize(request, WRITE_LINEITEMS)
        item.delete()
        return HttpResponse(status=204)
    raise ServiceError(
        405,
        f"{request.method} is not allowed on a line item. Scores go to <lineitem>/scores, "
        "with /scores inserted before the query string.",
    )


@service_endpoint
def scores(request: HttpRequest, course_id: int, item_id: int) -> HttpResponse:
    Counter.bump(Counter.SCORE_CALLS)
    switch = FailureSwitch.objects.filter(course=course_id).first()
    if switch is not None and switch.take():
        raise ServiceError(
            switch.status,
            f"Practice LMS failure switch: answering {switch.status} on purpose.",
            {"Retry-After": "1"},
        )
    if request.method != "POST":
        raise ServiceError(405, "Scores can only be POSTed.")
    item = _line_item(course_id, item_id)
    _authorize(request, (vocab.SCOPE_SCORE,))
    if media_type(request) != vocab.MEDIA_SCORE:
        raise ServiceError(
            415, f"Content-Type must be {vocab.MEDIA_SCORE}, got {request.content_type!r}."
        )
    score = score_record(line_item=item, body=score_parse(request.body))
    results = endpoints.absolute(request, "results", course_id, item_id)
    return JsonResponse(
        {"resultUrl": f"{results}?type_id={request.GET['type_id']}&user_id={score.person.user_id}"}
    )


@service_endpoint
def results(request: HttpRequest, course_id: int, item_id: int) -> HttpResponse:
    if request.method != "GET":
        raise ServiceError(405, "Results can only be read (GET).")
    item = _line_item(course_id, item_id)
    access = _authorize(request, (vocab.SCOPE_RESULT_READONLY,))
    latest: dict[int, Score] = {}
    for score in item.scores.select_related("person").order_by("timestamp", "id"):
        latest[score.person_id] = score
    wanted = request.GET.get("user_id")
    data = [
        {
            "id": f"{endpoints.absolute(request, 'results', course_id, item_id)}"
            f"?type_id={access.tool_id}&user_id={score.person.user_id}",
            "scoreOf": endpoints.lineitem_url(request, item, access.tool),
            "userId": score.person.user_id,
            "resultScore": json_number(score.score_given),
            "resultMaximum": json_number(score.score_maximum),
            "comment": score.comment,
        }
        for score in latest.values()
        if wanted is None or score.person.user_id == wanted
    ]
    return JsonResponse(data, safe=False, content_type=vocab.MEDIA_RESULT_CONTAINER)
