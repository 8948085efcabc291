"""Pages a person sees: the course with its launch buttons, the failure switch, the gradebook."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from lti_quiz.practice_lms import endpoints
from lti_quiz.practice_lms.models import (
    AccessToken,
    Counter,
    Course,
    FailureSwitch,
    LaunchRequest,
    Person,
    Score,
)
from lti_quiz.practice_lms.views.service import json_number

MAX_FAILURES = 100


def the_course() -> Course | None:
    return Course.objects.order_by("id").first()


def counters() -> dict[str, int]:
    values = dict(Counter.objects.values_list("name", "value"))
    names = (Counter.TOKEN_REQUESTS, Counter.SCORE_CALLS, Counter.NRPS_CALLS, Counter.LAUNCHES)
    return {name: values.get(name, 0) for name in names}


def gradebook_rows(course: Course) -> list[dict]:
    """A row per student with, per line item of the course (its columns, oldest first), the
    latest score and how many were received. Three queries whatever the size."""
    items = list(course.line_items.order_by("id"))
    latest: dict[tuple[int, int], Score] = {}
    counts: dict[tuple[int, int], int] = {}
    # Score is ordered newest timestamp first: the first seen per (person, item) is the latest.
    for score in Score.objects.filter(line_item__course=course):
        key = (score.person_id, score.line_item_id)
        latest.setdefault(key, score)
        counts[key] = counts.get(key, 0) + 1
    rows = []
    for person in course.people.filter(role=Person.Role.STUDENT):
        cells = [
            {
                "item": item,
                "first": index == 0,
                "latest": latest.get((person.pk, item.pk)),
                "count": counts.get((person.pk, item.pk), 0),
            }
            for index, item in enumerate(items)
        ]
        first = cells[0]["latest"] if cells else None
        rows.append({"person": person, "cells": cells, "first": first})
    return rows


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    course = the_course()
    if course is None:
        return render(request, "practice_lms/not_set_up.html", status=503)
    link = course.resource_links.select_related("tool").order_by("id").first()
    switch, _ = FailureSwitch.objects.get_or_create(course=course)
    launch_as = None
    launch_as_id = request.GET.get("launch", "")
    if launch_as_id.isdigit():
        launch_as = course.people.filter(pk=int(launch_as_id)).first()
    # Without a stored base URL the issuer comes from the host the browser uses, and the tool
    # knows the one given to setup: warn when they differ. With one, any host works.
    set_up_for = (
        urlsplit(link.tool.login_url).netloc
        if link and link.tool and not endpoints.stored_base_url()
        else ""
    )
    # ?storage=off: no platform storage frame (shows what a cookie-only launch does).
    with_storage = request.GET.get("storage") != "off"
    context = {
        "course": course,
        "set_up_for": set_up_for if set_up_for and set_up_for != request.get_host() else "",
        "people": course.people.all(),
        "link": link,
        "line_item": course.line_items.order_by("id").first(),
        "switch": switch,
        "statuses": FailureSwitch.Status.choices,
        "behaviours": Course.BehavesLike.choices,
        "locales": Course.LOCALES,
        "time_zones": Course.TIME_ZONES,
        "counters": counters(),
        "tokens_issued": AccessToken.objects.count(),
        "launch_as": launch_as,
        "iframe_src": (
            f"{reverse('practice_lms:launch', args=[launch_as.pk])}?mode=iframe"
            + ("&storage=on" if with_storage else "")
            if launch_as
            else ""
        ),
        "forwarding_src": (
            endpoints.absolute(request, "post_message_forwarding") if with_storage else ""
        ),
    }
    return render(request, "practice_lms/course.html", context)


@require_GET
def gradebook(request: HttpRequest) -> HttpResponse:
    course = the_course()
    if course is None:
        return render(request, "practice_lms/not_set_up.html", status=503)
    context = {
        "course": course,
        "line_items": list(course.line_items.order_by("id")),
        "rows": gradebook_rows(course),
    }
    return render(request, "practice_lms/gradebook.html", context)


@require_POST
def failure_switch(request: HttpRequest) -> HttpResponse:
    course = the_course()
    if course is None:
        return render(request, "practice_lms/not_set_up.html", status=503)
    status = request.POST.get("status", "")
    count = request.POST.get("count", "")
    if not status.isdigit() or int(status) not in FailureSwitch.Status.values:
        messages.error(request, "Choose 503 or 429.")
    elif not count.isdigit() or int(count) > MAX_FAILURES:
        messages.error(request, f"The number of failing calls must be 0 to {MAX_FAILURES}.")
    else:
        FailureSwitch.objects.update_or_create(
            course=course, defaults={"status": int(status), "remaining": int(count)}
        )
        messages.success(
            request, f"The score endpoint will answer {status} to the next {count} calls."
        )
    return redirect("practice_lms:home")


@require_POST
def behave_like(request: HttpRequest) -> HttpResponse:
    course = the_course()
    if course is None:
        return render(request, "practice_lms/not_set_up.html", status=503)
    value = request.POST.get("behaves_like", "")
    if value not in Course.BehavesLike.values:
        messages.error(request, "Choose one of the listed LMSs.")
    else:
        Course.objects.filter(pk=course.pk).update(behaves_like=value)
        messages.success(request, f"The course now behaves like {Course.BehavesLike(value).label}")
    return redirect("practice_lms:home")


@require_POST
def launch_language(request: HttpRequest) -> HttpResponse:
    course = the_course()
    if course is None:
        return render(request, "practice_lms/not_set_up.html", status=503)
    locale, time_zone = request.POST.get("locale", ""), request.POST.get("time_zone", "")
    if locale not in dict(Course.LOCALES) or time_zone not in dict(Course.TIME_ZONES):
        messages.error(request, "Choose one of the listed languages and time zones.")
    else:
        Course.objects.filter(pk=course.pk).update(locale=locale, time_zone=time_zone)
        messages.success(
            request, f"Launches now ask for {locale}, time zone {time_zone or 'not sent'}."
        )
    return redirect("practice_lms:home")


@require_GET
def tool_return(request: HttpRequest) -> HttpResponse:
    """launch_presentation.return_url: where the tool sends the person back to."""
    messages.info(request, "You are back in the course.")
    return redirect("practice_lms:home")


@require_GET
def scored(request: HttpRequest) -> JsonResponse:
    """How many people of the course have a score: one COUNT, for a load test that waits for
    every grade (state.json lists every score, which is heavy to ask for five times a second
    while a worker is still sending)."""
    course = the_course()
    if course is None:
        return JsonResponse({"error": "not set up"}, status=503)
    people = Score.objects.filter(line_item__course=course).values("person").distinct().count()
    return JsonResponse({"people_scored": people})


@require_GET
def state(request: HttpRequest) -> JsonResponse:
    """What the platform has seen, as JSON, for end-to-end tests and curious developers."""
    course = the_course()
    if course is None:
        return JsonResponse({"error": "not set up"}, status=503)
    switch, _ = FailureSwitch.objects.get_or_create(course=course)
    scores = []
    for line_item in course.line_items.order_by("id"):
        for score in line_item.scores.select_related("person").order_by("received_at", "id"):
            scores.append(
                {
                    "line_item": line_item.pk,
                    "user_id": score.person.user_id,
                    "name": score.person.name,
                    "score_given": json_number(score.score_given),
                    "score_maximum": json_number(score.score_maximum),
                    "activity_progress": score.activity_progress,
                    "grading_progress": score.grading_progress,
                    "timestamp": score.timestamp_text,
                    "received_at": score.received_at.isoformat(),
                }
            )
    return JsonResponse(
        {
            "counters": counters(),
            "tokens_issued": AccessToken.objects.count(),
            "launches": LaunchRequest.objects.count(),
            "failure_switch": {
                "status": switch.status,
                "remaining": switch.remaining,
                "injected": switch.injected,
            },
            "scores": scores,
            "behaves_like": course.behaves_like,
        }
    )
