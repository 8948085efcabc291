"""Taking a line item PUT (AGS 2.0 §3.2.6: the body is the whole line item) the way the course's
LMS does (Course.behaves_like):

- Moodle (mod/lti/service/gradebookservices/classes/local/resources/lineitem.php,
  process_put_request): `label` and `scoreMaximum` are required (400 without them); resourceId
  and tag are set to what the body says, so a member left out is cleared; a resource link that
  is not one of the course's is refused with 403. (Moodle also rescales the grades the item
  holds to a new maximum, keeping each percentage; the practice gradebook shows scores as sent.)
- Canvas (app/controllers/lti/ims/line_items_controller.rb, update): only the members sent
  change (scoreMaximum, label, resourceId, tag); a `resourceLinkId` other than the item's own
  is refused with 412 "The specified LTI link ID is not associated with the line item.".
- practice-lms: the whole item is replaced, every member checked (the POST's rules).
"""

from decimal import Decimal, InvalidOperation

from lti_quiz.practice_lms.access import ServiceError
from lti_quiz.practice_lms.models import Course, LineItem, ResourceLink


def lineitem_maximum(value: object) -> Decimal:
    try:
        maximum = Decimal(str(value))
    except InvalidOperation:
        raise ServiceError(400, "scoreMaximum must be a number more than 0.") from None
    if isinstance(value, bool) or not maximum.is_finite() or maximum <= 0:
        raise ServiceError(400, "scoreMaximum must be a number more than 0.")
    return maximum


def lineitem_label(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ServiceError(400, "label is required.")
    return value.strip()


def lineitem_fields_apply(item: LineItem, body: dict, course: Course) -> None:
    """The practice LMS's own rules, for a POST and a PUT: the whole item, every member checked."""
    item.label = lineitem_label(body.get("label"))
    item.score_maximum = lineitem_maximum(body.get("scoreMaximum"))
    item.tag = str(body.get("tag") or "")
    item.resource_id = str(body.get("resourceId") or "")
    if "resourceLinkId" in body:
        link = ResourceLink.objects.filter(
            course=course, resource_link_id=body["resourceLinkId"]
        ).first()
        if link is None:
            raise ServiceError(
                400, f"resourceLinkId {body['resourceLinkId']!r} is not a link in this course."
            )
        item.resource_link = link


def _moodle_put(item: LineItem, body: dict, course: Course) -> None:
    if "label" not in body or "scoreMaximum" not in body:
        # Moodle throws Exception(null, 400): no words. Ours say which members it wants.
        raise ServiceError(400, "Invalid request made: label and scoreMaximum are required.")
    if "resourceLinkId" in body:
        link = ResourceLink.objects.filter(
            course=course, resource_link_id=body["resourceLinkId"]
        ).first()
        if link is None:
            raise ServiceError(403, "The resource link is not one of this course's.")
        item.resource_link = link
    item.label = lineitem_label(body["label"])
    item.score_maximum = lineitem_maximum(body["scoreMaximum"])
    item.resource_id = str(body.get("resourceId") or "")
    item.tag = str(body.get("tag") or "")


def _canvas_put(item: LineItem, body: dict) -> None:
    sent_link = body.get("resourceLinkId")
    own_link = item.resource_link.resource_link_id if item.resource_link else None
    if sent_link and sent_link != own_link:
        raise ServiceError(412, "The specified LTI link ID is not associated with the line item.")
    if "label" in body:
        item.label = lineitem_label(body["label"])
    if "scoreMaximum" in body:
        item.score_maximum = lineitem_maximum(body["scoreMaximum"])
    if "resourceId" in body:
        item.resource_id = str(body["resourceId"] or "")
    if "tag" in body:
        item.tag = str(body["tag"] or "")


def lineitem_put(*, item: LineItem, body: dict) -> LineItem:
    """Apply a PUT to a line item by the course's LMS's rules, and save it."""
    course = item.course
    if course.behaves_like == Course.BehavesLike.MOODLE:
        _moodle_put(item, body, course)
    elif course.behaves_like == Course.BehavesLike.CANVAS:
        _canvas_put(item, body)
    else:
        lineitem_fields_apply(item, body, course)
    item.save()
    return item
