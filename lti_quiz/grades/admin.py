import json

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from lti_quiz.grades.models import GradeDelivery, LineItemUpdate
from lti_quiz.grades.services import ResendRefused, grade_delivery_resend
from lti_quiz.lti.ags import score_body


@admin.register(GradeDelivery)
class GradeDeliveryAdmin(admin.ModelAdmin):
    """Read-only: a delivery records what happened. Staff act on it only through "Send again",
    which writes a new delivery for the worker (nothing is sent from the admin's request)."""

    list_display = [
        "id",
        "created_at",
        "resource_link",
        "user_sub",
        "reason",
        "score",
        "grading_progress",
        "state",
        "attempts",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = ["state", "reason", "grading_progress"]
    search_fields = ["user_sub", "resource_link__resource_link_id", "resource_link__title"]
    list_select_related = ["resource_link"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    fields = (
        "state",
        "last_error",
        "answer_status",
        "answer_body",
        "resource_link",
        "user_sub",
        "attempt_id",
        "reason",
        "score_given",
        "score_maximum",
        "activity_progress",
        "grading_progress",
        "timestamp",
        "attempts",
        "next_attempt_at",
        "sending_until",
        "sent_at",
        "created_at",
        "task_id",
        "score_json",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: GradeDelivery | None = None) -> bool:
        return False

    def has_resend_permission(self, request: HttpRequest) -> bool:
        # Sending again changes the gradebook, so it takes the right to change deliveries.
        return request.user.has_perm("grades.change_gradedelivery")

    @admin.display(description=_("score"))
    def score(self, obj: GradeDelivery) -> str:
        given = "—" if obj.score_given is None else f"{obj.score_given.normalize():f}"
        return f"{given} / {obj.score_maximum.normalize():f}"

    @admin.display(description=_("score as sent (JSON)"))
    def score_json(self, obj: GradeDelivery) -> str:
        return format_html("<pre>{}</pre>", json.dumps(score_body(obj.as_score()), indent=2))

    @admin.action(description=_("Send again (queues a new delivery)"), permissions=["resend"])
    def send_again(self, request: HttpRequest, queryset: QuerySet[GradeDelivery]) -> None:
        created = 0
        for delivery in queryset.order_by("timestamp"):
            try:
                grade_delivery_resend(delivery_id=delivery.pk)
            except ResendRefused as exc:
                self.message_user(request, str(exc), messages.WARNING)
            else:
                created += 1
        if created:
            self.message_user(
                request,
                ngettext(
                    "Queued %(count)d new delivery; the worker will send it.",
                    "Queued %(count)d new deliveries; the worker will send them.",
                    created,
                )
                % {"count": created},
                messages.SUCCESS,
            )


@admin.register(LineItemUpdate)
class LineItemUpdateAdmin(admin.ModelAdmin):
    """Read-only, like deliveries: a change of a link's gradebook column and what the LMS said."""

    list_display = ["id", "created_at", "resource_link", "label", "score_maximum", "state"]
    list_filter = ["state"]
    list_select_related = ["resource_link"]
    readonly_fields = [field.name for field in LineItemUpdate._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: LineItemUpdate | None = None
    ) -> bool:
        return False
