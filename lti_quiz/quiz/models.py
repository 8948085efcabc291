"""Question banks, quizzes, placements, and the attempts learners make.

The quiz room sees a learner as an opaque key and a placement as an opaque key: it knows nothing
of LTI. An attempt keeps a snapshot of exactly what was asked, including the answer key it is
scored with, so editing a question later never changes a past result.
"""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lti_quiz.quiz import display, patterns
from lti_quiz.quiz.errors import AttemptNotSubmitted

# The quiz a placement gets when nobody chose one (issue 2 has one lesson and one quiz).
DEFAULT_QUIZ_SLUG = "distillation-tradeoffs"


class QuestionKind(models.TextChoices):
    SINGLE_CHOICE = "single_choice", _("single choice")
    MULTIPLE_RESPONSE = "multiple_response", _("multiple response")
    TRUE_FALSE = "true_false", _("true / false")
    SHORT_ANSWER = "short_answer", _("short answer")


CHOICE_KINDS = frozenset(
    {QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_RESPONSE, QuestionKind.TRUE_FALSE}
)


class ScoringPolicy(models.TextChoices):
    HIGHEST = "highest", _("highest attempt")
    LATEST = "latest", _("latest attempt")
    FIRST = "first", _("first attempt")


class QuestionBank(models.Model):
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        verbose_name = _("question bank")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        # Archived questions are no longer asked but stay for the records that point at them.
        ARCHIVED = "archived", _("archived")

    bank = models.ForeignKey(QuestionBank, on_delete=models.PROTECT, related_name="questions")
    key = models.SlugField(
        _("key"),
        max_length=100,
        help_text=_("Stable identity inside the bank: content files refer to it on reload."),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=QuestionKind.choices)
    text = models.TextField(_("text"))
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, default=Decimal(1))
    explanation = models.TextField(
        _("explanation"), blank=True, help_text=_("Shown after submission.")
    )
    tags = models.JSONField(_("tags"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("question")
        ordering = ["bank", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["bank", "key"], name="quiz_question_unique_key_per_bank"
            ),
            models.CheckConstraint(
                condition=models.Q(points__gt=0), name="quiz_question_points_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.text[:60]}"


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveIntegerField(_("position"), default=0)
    text = models.TextField(_("text"))
    is_correct = models.BooleanField(_("correct"), default=False)
    feedback = models.TextField(_("feedback"), blank=True, help_text=_("Shown when chosen."))

    class Meta:
        ordering = ["question", "position", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class AcceptedPattern(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="patterns")
    pattern = models.CharField(
        _("pattern"),
        max_length=200,
        help_text=_(
            "A word or phrase matched as whole words, in any case, anywhere in the answer. "
            "A * at the end of a word matches any ending: test* matches tests and testing."
        ),
    )

    class Meta:
        ordering = ["question", "id"]

    def __str__(self) -> str:
        return self.pattern

    def clean(self) -> None:
        patterns.validate(self.pattern)


class QuizQuerySet(models.QuerySet["Quiz"]):
    def default(self) -> "Quiz":
        slug = getattr(settings, "QUIZ_DEFAULT_SLUG", DEFAULT_QUIZ_SLUG)
        try:
            return self.get(slug=slug)
        except Quiz.DoesNotExist:
            raise Quiz.DoesNotExist(
                f"No quiz {slug!r}: load it with `python manage.py load_content`."
            ) from None


class Quiz(models.Model):
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=200)
    lesson = models.ForeignKey(
        "lessons.Lesson", on_delete=models.SET_NULL, null=True, blank=True, related_name="quizzes"
    )
    questions: "models.ManyToManyField[Question, QuizQuestion]" = models.ManyToManyField(
        Question, through="QuizQuestion", related_name="quizzes"
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=False)
    shuffle_choices = models.BooleanField(_("shuffle choices"), default=False)
    attempts_allowed = models.PositiveIntegerField(
        _("attempts allowed"), default=0, help_text=_("0 means unlimited.")
    )
    scoring_policy = models.CharField(
        _("attempt that counts"),
        max_length=16,
        choices=ScoringPolicy.choices,
        default=ScoringPolicy.HIGHEST,
    )

    objects = QuizQuerySet.as_manager()

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def ordered_questions(self) -> list[Question]:
        entries = self.entries.select_related("question").prefetch_related(
            "question__choices", "question__patterns"
        )
        return [entry.question for entry in entries]


class QuizQuestion(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="entries")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["quiz", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "question"], name="quiz_question_once_per_quiz")
        ]

    def __str__(self) -> str:
        return f"question {self.question_id} at position {self.position}"


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
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("placement")
        ordering = ["title", "key"]

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
        """What the learner is asked: never correctness, feedback or explanations."""
        return display.questions(self.snapshot)

    def results_for_display(self) -> list[dict[str, Any]]:
        """The marked attempt, question by question. Only once submitted."""
        if not self.is_submitted:
            raise AttemptNotSubmitted()
        return display.results(self.snapshot, list(self.responses.all()))


class Response(models.Model):
    class ReviewState(models.TextChoices):
        AUTO = "auto", _("scored automatically")
        PENDING = "pending", _("waiting for review")
        ACCEPTED = "accepted", _("accepted by reviewer")
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
