"""Placements (where a quiz is offered) and the attempts learners make there.

An attempt keeps a snapshot of exactly what was asked, including the answer key it is scored
with, so editing a question later never changes a past result.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lti_quiz.quiz import display
from lti_quiz.quiz.errors import AttemptNotSubmitted
from lti_quiz.quiz.models.bank import Question, Quiz, ReviewScores, ScoringPolicy
from lti_quiz.quiz.models.rules import ReviewWhen


class Placement(models.Model):
    """Where a quiz is offered (for LTI: one resource link), with optional overrides."""

    key = models.CharField(_("key"), max_length=255, unique=True)
    title = models.CharField(_("title"), max_length=255, blank=True)
    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="placements")
    attempts_allowed = models.PositiveIntegerField(
        _("attempts allowed"), null=True, blank=True, help_text=_("Empty: the quiz's setting.")
    )
    scoring_policy = models.CharField(
        _("attempt that counts"),
        max_length=16,
        choices=ScoringPolicy.choices,
        blank=True,
        help_text=_("Empty: the quiz's setting."),
    )
    shuffle_choices = models.BooleanField(
        _("shuffle choices"), null=True, blank=True, help_text=_("Empty: the quiz's setting.")
    )
    review_scores = models.CharField(
        _("while an answer waits for review, send"),
        max_length=16,
        choices=ReviewScores.choices,
        blank=True,
        help_text=_("Empty: what suits the LMS (its gradebook may drop a score marked pending)."),
    )
    one_question_per_page = models.BooleanField(
        _("one question per page"),
        default=False,
        help_text=_("Show the quiz one question at a time, with Previous and Next."),
    )
    # What a learner sees of an attempt and when (quiz/review_rules.py); empty: the default.
    review_score = ReviewWhen.field(_("score shown"))
    review_marks = ReviewWhen.field(_("right and wrong shown"))
    review_correct = ReviewWhen.field(_("correct answers shown"))
    review_feedback = ReviewWhen.field(_("feedback shown"))
    time_limit_minutes = models.PositiveIntegerField(
        _("time limit (minutes)"), null=True, blank=True, help_text=_("Empty: no time limit.")
    )
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    # The settings the LMS last sent with the link (deep-linked custom parameters), as applied:
    # a setting changed here afterwards stays until the LMS sends a different value.
    link_settings = models.JSONField(_("settings from the link"), default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("placement")
        ordering = ["title", "key"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(opens_at__isnull=True)
                    | models.Q(closes_at__isnull=True)
                    | models.Q(opens_at__lt=models.F("closes_at"))
                ),
                name="quiz_placement_opens_before_it_closes",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.key

    @property
    def attempts_limit(self) -> int:
        """Attempts allowed here (0: unlimited): the placement's override, else the quiz's."""
        if self.attempts_allowed is not None:
            return self.attempts_allowed
        return self.quiz.attempts_allowed

    @property
    def effective_scoring_policy(self) -> str:
        return self.scoring_policy or self.quiz.scoring_policy

    @property
    def effective_shuffle_choices(self) -> bool:
        if self.shuffle_choices is not None:
            return self.shuffle_choices
        return self.quiz.shuffle_choices


class Attempt(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("in progress")
        SUBMITTED = "submitted", _("submitted")

    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="attempts")
    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="attempts")
    learner_key = models.CharField(_("learner"), max_length=255)
    number = models.PositiveIntegerField(_("number"))
    is_preview = models.BooleanField(
        _("preview"), default=False, help_text=_("Staff previews: never graded, never counted.")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.IN_PROGRESS
    )
    snapshot = models.JSONField(_("what was asked"), default=dict, editable=False)
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(_("max score"), max_digits=8, decimal_places=2)
    needs_review = models.BooleanField(_("needs review"), default=False)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("attempt")
        ordering = ["placement", "learner_key", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "learner_key", "number"], name="quiz_attempt_unique_number"
            ),
            # At most one open attempt per learner and placement (one real, one staff preview):
            # two tabs or two launches resume the same attempt instead of starting another.
            models.UniqueConstraint(
                fields=["placement", "learner_key", "is_preview"],
                condition=models.Q(status="in_progress"),
                name="quiz_attempt_one_in_progress",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(status="in_progress", submitted_at__isnull=True, score__isnull=True)
                    | models.Q(status="submitted", submitted_at__isnull=False, score__isnull=False)
                ),
                name="quiz_attempt_submitted_has_score_and_time",
            ),
        ]
        indexes = [models.Index(fields=["learner_key"], name="quiz_attempt_learner_idx")]

    def __str__(self) -> str:
        return f"{self.learner_key} #{self.number} on {self.placement}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    def questions_for_display(self) -> list[dict[str, Any]]:
        """What the learner is asked: never correctness, feedback or explanations; while in
        progress, with the answers saved as they went (DraftAnswer)."""
        drafts = [] if self.is_submitted else list(self.drafts.all())
        return display.questions(self.snapshot, drafts)

    def draft_saved_at(self) -> datetime | None:
        """When the learner's answers were last saved as they went; None before any. Read from
        the drafts themselves, so a page that prefetched them (the quiz page shows them too)
        asks the database once."""
        return max((draft.saved_at for draft in self.drafts.all()), default=None)

    def questions_waiting_for_review(self) -> list[int]:
        """Numbers (1-based, in the order the learner saw them) of answers awaiting review."""
        pending = {
            response.slot
            for response in self.responses.all()
            if response.review_state == Response.ReviewState.PENDING
        }
        return [
            number
            for number, question in enumerate(self.snapshot.get("questions", []), start=1)
            if question["slot"] in pending
        ]

    def results_for_display(self) -> list[dict[str, Any]]:
        """The marked attempt, question by question. Only once submitted."""
        if not self.is_submitted:
            raise AttemptNotSubmitted()
        return display.results(self.snapshot, list(self.responses.all()))


class AttemptQuestion(models.Model):
    """A question an attempt asked, and in which version: the index behind "is this question
    referenced?" (the snapshot holds the content; JSON is not searchable everywhere)."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="asked")
    # PROTECT: history is kept. A question an attempt asked is archived, never deleted.
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="asked_in")
    version = models.PositiveIntegerField(_("version"))
    slot = models.CharField(_("slot"), max_length=16)

    class Meta:
        ordering = ["attempt", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "slot"], name="quiz_attemptquestion_once_per_slot"
            )
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id} slot {self.slot}: question {self.question_id} v{self.version}"


class Response(models.Model):
    class ReviewState(models.TextChoices):
        AUTO = "auto", _("scored automatically")
        PENDING = "pending", _("waiting for review")
        ACCEPTED = "accepted", _("accepted by reviewer")
        PARTIAL = "partial", _("partial credit from reviewer")
        REJECTED = "rejected", _("rejected by reviewer")

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="responses")
    slot = models.CharField(_("slot"), max_length=16)
    # Kept for review lists and item statistics; the snapshot stays the record of what was asked.
    question = models.ForeignKey(
        Question, on_delete=models.SET_NULL, null=True, blank=True, related_name="responses"
    )
    answer = models.JSONField(_("answer"), default=list, blank=True)
    is_correct = models.BooleanField(_("correct"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, default=Decimal(0))
    feedback = models.TextField(_("feedback"), blank=True)
    review_state = models.CharField(
        _("review"), max_length=16, choices=ReviewState.choices, default=ReviewState.AUTO
    )
    # Why scoring left it to a person ("Matched `test*`, but 'don't' comes before it.").
    review_reason = models.TextField(_("sent to review because"), blank=True)
    # The reviewer's words to the learner, shown on their result page.
    review_comment = models.TextField(_("reviewer's comment"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    class Meta:
        ordering = ["attempt", "id"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "slot"], name="quiz_response_once_per_slot"),
            # Undecided exactly while waiting for review.
            models.CheckConstraint(
                condition=(
                    models.Q(review_state="pending", is_correct__isnull=True)
                    | (~models.Q(review_state="pending") & models.Q(is_correct__isnull=False))
                ),
                name="quiz_response_pending_is_undecided",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attempt} slot {self.slot}"


class DraftAnswer(models.Model):
    """An answer (and flag) of an attempt in progress, stored as the learner changes it, so a
    reload, a new launch or another device shows the form as they left it. A submit scores the
    posted form, and the drafts of the questions it did not show; then it deletes the drafts."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="drafts")
    slot = models.CharField(_("slot"), max_length=16)
    answer = models.JSONField(_("answer"), default=list, blank=True)  # choice keys, or the text
    flagged = models.BooleanField(_("flagged for review"), default=False)
    saved_at = models.DateTimeField(_("saved"), default=timezone.now)

    class Meta:
        verbose_name = _("draft answer")
        ordering = ["attempt", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "slot"], name="quiz_draftanswer_once_per_slot"
            )
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id} slot {self.slot} (draft)"
