"""Grade deliveries: the outbox of scores on their way to the platform's gradebook.

A row is written in the same transaction as the attempt it reports; the worker sends it and
records the outcome on it. Rows are never edited to send again: a resend is a new row with a
newer timestamp, so the platform always ends with the newest score.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lti_quiz.lti.ags import ActivityProgress, GradingProgress, Score
from lti_quiz.lti.models import ResourceLink


class GradeDeliveryQuerySet(models.QuerySet["GradeDelivery"]):
    def for_learner(self, *, resource_link: ResourceLink, user_sub: str) -> "GradeDeliveryQuerySet":
        return self.filter(resource_link=resource_link, user_sub=user_sub)

    def pending(self) -> "GradeDeliveryQuerySet":
        return self.filter(state=GradeDelivery.State.PENDING)


class GradeDelivery(models.Model):
    class Reason(models.TextChoices):
        SUBMISSION = "submission", _("submission")
        RESEND = "resend", _("sent again by staff")
        REVIEW = "review", _("manual review")
        RESEND_ALL = "resend_all", _("every grade sent again")

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        SUPERSEDED = "superseded", _("superseded by a newer score")

    resource_link = models.ForeignKey(
        ResourceLink, on_delete=models.CASCADE, related_name="grade_deliveries"
    )
    user_sub = models.CharField(_("platform user id (sub)"), max_length=255)
    attempt_id = models.BigIntegerField(_("attempt id"), null=True, blank=True)
    reason = models.CharField(
        _("reason"), max_length=16, choices=Reason.choices, default=Reason.SUBMISSION
    )
    score_given = models.DecimalField(
        _("score given"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    score_maximum = models.DecimalField(_("score maximum"), max_digits=12, decimal_places=4)
    activity_progress = models.CharField(
        _("activity progress"), max_length=16, choices=ActivityProgress.choices
    )
    grading_progress = models.CharField(
        _("grading progress"), max_length=16, choices=GradingProgress.choices
    )
    # Strictly increasing per (resource_link, user_sub), in whole milliseconds (what is sent).
    timestamp = models.DateTimeField(_("score timestamp"))
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveIntegerField(_("send attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    # The lease of the worker sending it now; a worker that dies leaves it to expire.
    sending_until = models.DateTimeField(_("being sent until"), null=True, blank=True)
    task_id = models.CharField(_("queued task id"), max_length=64, blank=True)
    # The id of the request that wrote it (lib/request_id.py): the worker's log lines about
    # this delivery carry it, so one search finds the launch, the submit and the send.
    request_id = models.CharField(_("request id"), max_length=64, blank=True, editable=False)
    # The request id of the launch the learner came in by: the trail from the LMS's launch to
    # the score it gets back.
    launch_request_id = models.CharField(
        _("launch request id"), max_length=64, blank=True, editable=False
    )
    last_error = models.TextField(_("last error"), blank=True)
    # The platform's answer to the last try (success or refusal), for the grade history page.
    answer_status = models.PositiveSmallIntegerField(_("LMS answer status"), null=True, blank=True)
    answer_body = models.TextField(_("LMS answer"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    objects = GradeDeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("grade delivery")
        verbose_name_plural = _("grade deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Platforms refuse a score whose timestamp is not newer (Moodle 409, Canvas 400).
            models.UniqueConstraint(
                fields=["resource_link", "user_sub", "timestamp"],
                name="grades_delivery_unique_timestamp_per_learner",
            ),
            models.CheckConstraint(
                condition=Q(score_given__isnull=True) | Q(score_given__gte=0),
                name="grades_delivery_score_given_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(score_maximum__gt=0), name="grades_delivery_score_maximum_positive"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["pending", "sent", "failed", "superseded"]),
                name="grades_delivery_state_valid",
            ),
            models.CheckConstraint(
                condition=~Q(state="sent") | Q(sent_at__isnull=False),
                name="grades_delivery_sent_has_sent_at",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="grades_delivery_due_idx"),
            models.Index(
                fields=["resource_link", "user_sub", "-timestamp"],
                name="grades_delivery_learner_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Grade delivery #{self.pk} ({self.get_state_display()})"

    @property
    def lease_active(self) -> bool:
        return self.sending_until is not None and self.sending_until > timezone.now()

    def as_score(self) -> Score:
        is_submission = self.reason == self.Reason.SUBMISSION
        return Score(
            user_id=self.user_sub,
            score_given=self.score_given,
            score_maximum=self.score_maximum,
            activity_progress=self.activity_progress,
            grading_progress=self.grading_progress,
            timestamp=self.timestamp,
            new_submission=is_submission,
            # Written in the submit transaction, so the score's timestamp is the submission time.
            submitted_at=self.timestamp if is_submission else None,
        )


class LineItemUpdate(models.Model):
    """A change of a link's line item (its gradebook column) on its way to the platform: the
    label and maximum the placement now has. Sent by the worker like a delivery, retried the
    same way; a newer one supersedes an unsent older one."""

    State = GradeDelivery.State

    resource_link = models.ForeignKey(
        ResourceLink, on_delete=models.CASCADE, related_name="lineitem_updates"
    )
    label = models.CharField(_("label"), max_length=255)
    score_maximum = models.DecimalField(_("score maximum"), max_digits=12, decimal_places=4)
    state = models.CharField(
        _("state"), max_length=16, choices=GradeDelivery.State.choices, default=State.PENDING
    )
    attempts = models.PositiveIntegerField(_("send attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    sending_until = models.DateTimeField(_("being sent until"), null=True, blank=True)
    task_id = models.CharField(_("queued task id"), max_length=64, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    answer_status = models.PositiveSmallIntegerField(_("LMS answer status"), null=True, blank=True)
    answer_body = models.TextField(_("LMS answer"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("line item update")
        verbose_name_plural = _("line item updates")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score_maximum__gt=0), name="grades_lineitem_update_maximum_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["resource_link", "-created_at"], name="grades_lineitem_link_idx"),
        ]

    def __str__(self) -> str:
        return f"Line item update #{self.pk} ({self.get_state_display()})"
