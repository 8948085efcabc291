"""Receiving AGS scores the way the course's LMS does (Course.behaves_like).

Every family refuses a user who is not a gradable student of the course (400). Then:
- practice-lms: keeps every score as sent; 409 for a timestamp not after the last one.
- Moodle (mod/lti/service/gradebookservices/classes/local/resources/scores.php): keeps the Unix
  time of the last score, so 409 for a timestamp not in a later *second*; keeps scoreGiven only
  when gradingProgress is FullyGraded (a PendingManual score shows as no grade).
- Canvas (app/controllers/lti/ims/scores_controller.rb): 400 for a timestamp before the last
  one (an equal one is accepted); keeps scoreGiven with FullyGraded or PendingManual (the latter
  shows as "needs grading"), clears it otherwise.
"""

import json
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction

from lti_quiz.practice_lms import vocab
from lti_quiz.practice_lms.access import ServiceError
from lti_quiz.practice_lms.models import Course, LineItem, Person, Score


def _number(body: dict, name: str) -> Decimal | None:
    if name not in body or body[name] is None:
        return None
    value = body[name]
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ServiceError(400, f"{name} must be a number, got {value!r}.")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ServiceError(400, f"{name} must be a number, got {value!r}.") from None
    if not number.is_finite() or number < 0:
        raise ServiceError(400, f"{name} must be a number of 0 or more, got {value!r}.")
    return number


def _timestamp(text) -> datetime:
    if not isinstance(text, str) or "T" not in text:
        raise ServiceError(400, f"timestamp must be an ISO 8601 date-time, got {text!r}.")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ServiceError(400, f"timestamp must be an ISO 8601 date-time, got {text!r}.") from None
    if moment.tzinfo is None:
        raise ServiceError(400, f"timestamp must carry a time zone (Z or +hh:mm), got {text!r}.")
    return moment


# The gradingProgress values whose scoreGiven each family keeps.
KEPT_GRADING = {
    Course.BehavesLike.PRACTICE: frozenset(vocab.GRADING_PROGRESS),
    Course.BehavesLike.MOODLE: frozenset({"FullyGraded"}),
    Course.BehavesLike.CANVAS: frozenset({"FullyGraded", "PendingManual"}),
}


def _check_newer(
    behaves_like: str, *, last: Score, moment: datetime, line_item: LineItem, body: dict
) -> None:
    if behaves_like == Course.BehavesLike.CANVAS:
        if moment < last.timestamp:
            raise ServiceError(
                400,
                f"Provided timestamp of {body['timestamp']} before last updated timestamp of "
                f"{last.timestamp_text}",
            )
        return
    if behaves_like == Course.BehavesLike.MOODLE:
        refused = int(last.timestamp.timestamp()) >= int(moment.timestamp())
    else:
        refused = last.timestamp >= moment
    if refused:
        raise ServiceError(
            409,
            f"Refusing score with an earlier timestamp for item {line_item.pk} and user "
            f"{body['userId']}: {body['timestamp']} is not after {last.timestamp_text}.",
        )


def score_parse(raw: bytes) -> dict:
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ServiceError(400, "The score body is not JSON.") from None
    if not isinstance(body, dict):
        raise ServiceError(400, "The score body must be a JSON object.")
    for name in ("userId", "timestamp", "activityProgress", "gradingProgress"):
        if name not in body:
            raise ServiceError(400, f"Incorrect score received: {name} is missing.")
    if body["activityProgress"] not in vocab.ACTIVITY_PROGRESS:
        raise ServiceError(400, f"activityProgress {body['activityProgress']!r} is not valid.")
    if body["gradingProgress"] not in vocab.GRADING_PROGRESS:
        raise ServiceError(400, f"gradingProgress {body['gradingProgress']!r} is not valid.")
    return body


@transaction.atomic
def score_record(*, line_item: LineItem, body: dict) -> Score:
    given = _number(body, "scoreGiven")
    maximum = _number(body, "scoreMaximum")
    if given is not None and maximum is None:
        raise ServiceError(400, "scoreMaximum is required when scoreGiven is present.")
    if maximum is not None and maximum == 0:
        raise ServiceError(400, "scoreMaximum must be more than 0.")
    if given is not None and maximum is not None and given > maximum:
        raise ServiceError(400, f"scoreGiven {given} is more than scoreMaximum {maximum}.")
    moment = _timestamp(body["timestamp"])

    user_id = body["userId"]
    # The learner's row is locked: two scores for one learner are checked and stored one after
    # the other, while scores for different learners are stored at once (Moodle and Canvas keep
    # a grade per learner; locking the whole line item made a tool's concurrent sends wait in
    # line here, which no real platform does).
    person = (
        Person.objects.select_for_update()
        .filter(course=line_item.course_id, user_id=str(user_id))
        .first()
    )
    if person is None or not person.is_student:
        raise ServiceError(
            400, f"Incorrect score received: user {user_id!r} is not a student of this course."
        )
    behaves_like = Course.BehavesLike(line_item.course.behaves_like)
    last = Score.objects.filter(line_item=line_item, person=person).order_by("-timestamp").first()
    if last is not None:
        _check_newer(behaves_like, last=last, moment=moment, line_item=line_item, body=body)
    if given is not None and body["gradingProgress"] not in KEPT_GRADING[behaves_like]:
        given = None
    comment = body.get("comment")
    return Score.objects.create(
        line_item=line_item,
        person=person,
        score_given=given,
        score_maximum=maximum,
        activity_progress=body["activityProgress"],
        grading_progress=body["gradingProgress"],
        timestamp=moment,
        timestamp_text=body["timestamp"],
        comment=comment if isinstance(comment, str) else "",
        body=body,
    )
