"""Question banks, questions and their versions, quizzes.

A quiz asks either a fixed ordered list of questions or N questions drawn from a bank by tag.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lti_quiz.quiz import patterns
from lti_quiz.quiz.errors import QuizContentMissing

# The quiz a placement gets when nobody chose one (the product is one lesson and its quiz).
DEFAULT_QUIZ_SLUG = "distillation-tradeoffs"


class QuestionKind(models.TextChoices):
    SINGLE_CHOICE = "single_choice", _("single choice")
    MULTIPLE_RESPONSE = "multiple_response", _("multiple response")
    TRUE_FALSE = "true_false", _("true / false")
    SHORT_ANSWER = "short_answer", _("short answer")
    NUMERICAL = "numerical", _("numerical")
    MATCHING = "matching", _("matching")
    ORDERING = "ordering", _("ordering")
    ESSAY = "essay", _("essay")
    CLOZE = "cloze", _("embedded answers (cloze)")
    SELECT_MISSING_WORDS = "select_missing_words", _("select missing words")
    DESCRIPTION = "description", _("description")
    CALCULATED = "calculated", _("calculated")
    CALCULATED_CHOICE = "calculated_choice", _("calculated multiple choice")
    RANDOM_MATCHING = "random_matching", _("random short-answer matching")


CHOICE_KINDS = frozenset(
    {QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_RESPONSE, QuestionKind.TRUE_FALSE}
)


class ScoringPolicy(models.TextChoices):
    HIGHEST = "highest", _("highest attempt")
    LATEST = "latest", _("latest attempt")
    FIRST = "first", _("first attempt")


class ReviewScores(models.TextChoices):
    """What the gradebook gets while an answer waits for an instructor's review."""

    AUTOMATIC_NOW = "automatic_now", _("the automatic part now, the final score after review")
    MARKED_PENDING = "marked_pending", _("the score marked as waiting for review")


class QuestionBank(models.Model):
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=200)
    # A sub-bank (Moodle's sub-category). PROTECT: a bank with sub-banks is not deleted
    # (bank_delete says so first); cycles are refused by bank_validate.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent bank"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("question bank")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")), name="bank_not_its_own_parent"
            ),
            models.UniqueConstraint(fields=["parent", "title"], name="bank_title_unique_in_parent"),
        ]

    def __str__(self) -> str:
        return self.title

    def path(self) -> list["QuestionBank"]:
        """The bank's ancestors, the top one first, then the bank (a query per level)."""
        chain, bank, seen = [self], self, {self.pk}
        while bank.parent_id is not None and bank.parent_id not in seen:
            bank = bank.parent  # type: ignore[assignment]
            seen.add(bank.pk)
            chain.insert(0, bank)
        return chain


class QuestionQuerySet(models.QuerySet["Question"]):
    def active(self) -> "QuestionQuerySet":
        return self.filter(status=Question.Status.ACTIVE)

    def tagged(self, tag: str) -> "QuestionQuerySet":
        """Questions carrying exactly `tag` (case-sensitive)."""
        if connections[self.db].features.supports_json_field_contains:
            return self.filter(tags__contains=[tag])
        # SQLite has no JSON containment lookup in Django: json_each compares exactly.
        # The table name is ours and the tag a bound parameter: nothing user-written is spliced.
        has_tag = RawSQL(  # noqa: S611
            f"EXISTS (SELECT 1 FROM json_each({Question._meta.db_table}.tags) AS t "  # noqa: S608
            "WHERE t.value = %s)",
            (tag,),
            output_field=models.BooleanField(),
        )
        return self.alias(has_tag=has_tag).filter(has_tag=True)


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
    # Overall feedback by outcome, shown after submission beside the explanation (which every
    # learner gets); the content format and Moodle XML carry the same three.
    correct_feedback = models.TextField(
        _("feedback when right"), blank=True, help_text=_("Shown to a learner who got it right.")
    )
    partially_correct_feedback = models.TextField(
        _("feedback when partly right"),
        blank=True,
        help_text=_(
            "Multiple response: shown to a learner who chose some right choices, not all of "
            "them or with wrong ones."
        ),
    )
    incorrect_feedback = models.TextField(
        _("feedback when wrong"), blank=True, help_text=_("Shown to a learner who got it wrong.")
    )
    model_answer = models.TextField(
        _("model answer"),
        blank=True,
        help_text=_("Short answers: what a good answer says, shown to whoever reviews one."),
    )
    rejected_patterns = models.JSONField(
        _("rejected patterns"),
        default=list,
        blank=True,
        help_text=_(
            "Short answers: patterns of what is wrong. An answer matching one waits for review "
            "even when an accepted pattern matches too."
        ),
    )
    # What only some kinds have (numerical answers and units, matching pairs, ordering items,
    # essay settings, cloze gaps...), checked by the kind's module in quiz/kinds/.
    spec = models.JSONField(_("kind settings"), default=dict, blank=True)
    hints = models.JSONField(
        _("hints"), default=list, blank=True, help_text=_("Shown with the feedback, in order.")
    )
    tags = models.JSONField(_("tags"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    # The number of the latest QuestionVersion: bumped by every edit that changes something.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("question")
        ordering = ["bank", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["bank", "key"], name="quiz_question_unique_key_per_bank"
            ),
            # A description is a text between questions: it scores nothing.
            models.CheckConstraint(
                condition=models.Q(points__gt=0) | models.Q(kind="description", points=0),
                name="quiz_question_points_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="quiz_question_version_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.text[:60]}"

    def clean(self) -> None:
        # The admin's form writes the JSON as typed; the API and content files check it through
        # question_format.question_validate.
        rejected = self.rejected_patterns
        if not isinstance(rejected, list) or not all(isinstance(p, str) for p in rejected):
            raise ValidationError({"rejected_patterns": _("A list of patterns, as text.")})
        for pattern in rejected:
            try:
                patterns.validate(pattern)
            except ValueError as exc:
                raise ValidationError({"rejected_patterns": f"{pattern!r}: {exc}"}) from None


class QuestionVersion(models.Model):
    """What a question said after each change, with who changed which fields and when.

    Rows live as long as their question. A question that anything has asked is never deleted
    (it is archived instead), so an attempt's `question_version` always finds its row.
    """

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("number"))
    # The question's data (bank.question_data) after the change.
    content = models.JSONField(_("content"))
    changed_fields = models.JSONField(_("changed fields"), default=list)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("question version")
        ordering = ["question", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "number"], name="quiz_question_version_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_id} v{self.number}"


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveIntegerField(_("position"), default=0)
    text = models.TextField(_("text"))
    is_correct = models.BooleanField(_("correct"), default=False)
    # The share of the points this choice earns (Moodle's and GIFT's percentages): a
    # partly right option of a single choice, or each option's weight in a multiple response
    # scored per option (negative: a penalty). Empty: 1 when correct, else 0.
    fraction = models.DecimalField(
        _("fraction"), max_digits=8, decimal_places=7, null=True, blank=True
    )
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
            raise QuizContentMissing(
                f"The quiz {slug!r} is not on this server yet. Its administrator loads it "
                "with: python manage.py load_content"
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
    # A quiz asks EITHER its fixed list of questions (entries) OR draws `draw_count` random
    # active questions tagged `draw_tag` (blank: any) from `draw_bank`, anew for every attempt.
    draw_bank = models.ForeignKey(
        QuestionBank,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="drawing_quizzes",
        verbose_name=_("draw from bank"),
    )
    draw_tag = models.CharField(_("draw questions tagged"), max_length=50, blank=True)
    draw_count = models.PositiveIntegerField(_("questions drawn"), null=True, blank=True)
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
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(draw_bank__isnull=True, draw_count__isnull=True, draw_tag="")
                    | models.Q(draw_bank__isnull=False, draw_count__gte=1)
                ),
                name="quiz_quiz_draw_complete",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_drawn(self) -> bool:
        return self.draw_bank_id is not None

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
