from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from lti_quiz.quiz import bank, reviews
from lti_quiz.quiz.errors import QuizError
from lti_quiz.quiz.models import (
    AcceptedPattern,
    Attempt,
    Choice,
    Placement,
    Question,
    QuestionBank,
    QuestionVersion,
    Quiz,
    QuizQuestion,
    Response,
)


@admin.register(QuestionBank)
class QuestionBankAdmin(admin.ModelAdmin):
    list_display = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0


class AcceptedPatternInline(admin.TabularInline):
    model = AcceptedPattern
    extra = 0


class QuestionVersionInline(admin.TabularInline):
    """The history: read-only, newest first."""

    model = QuestionVersion
    extra = 0
    can_delete = False
    fields = readonly_fields = ("number", "changed_fields", "changed_by", "created_at")
    ordering = ["-number"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["key", "text", "kind", "points", "status", "version", "bank"]
    list_filter = ["bank", "kind", "status"]
    search_fields = ["key", "text"]
    readonly_fields = ["version"]
    inlines = [ChoiceInline, AcceptedPatternInline, QuestionVersionInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Admin forms write the rows directly: record the result as a version like every
        # other way of editing a question does.
        bank.question_record_version(question=form.instance, user=request.user)


class QuizQuestionInline(admin.TabularInline):
    model = QuizQuestion
    extra = 0
    autocomplete_fields = ["question"]


_QUIZ_SETTINGS = ["shuffle_questions", "shuffle_choices", "attempts_allowed", "scoring_policy"]


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "lesson", "attempts_allowed", "scoring_policy"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "lesson"]}),
        (
            _("Settings"),
            {"fields": [*_QUIZ_SETTINGS]},
        ),
        (
            _("Draw from a bank (instead of the question list below)"),
            {"fields": ["draw_bank", "draw_tag", "draw_count"]},
        ),
    ]
    inlines = [QuizQuestionInline]


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    list_display = ["__str__", "key", "quiz", "attempts_allowed", "scoring_policy", "created_at"]
    search_fields = ["key", "title"]
    list_select_related = ["quiz"]


class ResponseInline(admin.TabularInline):
    model = Response
    extra = 0
    can_delete = False
    fields = ["slot", "answer", "is_correct", "score", "review_state", "feedback"]
    readonly_fields = ["slot", "answer", "is_correct", "score", "review_state", "feedback"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    """Read-only: attempts are history. Reviews go through the Responses list."""

    list_display = [
        "learner_key", "placement", "number", "status", "score", "max_score",
        "needs_review", "is_preview", "submitted_at",
    ]  # fmt: skip
    list_filter = ["status", "needs_review", "is_preview", "placement"]
    search_fields = ["learner_key", "placement__key", "placement__title"]
    list_select_related = ["placement"]
    inlines = [ResponseInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.action(description=_("Accept selected answers (full points)"), permissions=["change"])
def accept_responses(modeladmin, request, queryset):
    _review(modeladmin, request, queryset, accepted=True)


@admin.action(description=_("Reject selected answers (no points)"), permissions=["change"])
def reject_responses(modeladmin, request, queryset):
    _review(modeladmin, request, queryset, accepted=False)


def _review(modeladmin, request, queryset, *, accepted: bool) -> None:
    done = 0
    for response in queryset:
        try:
            reviews.response_review(response_id=response.pk, accepted=accepted)
            done += 1
        except QuizError as exc:
            modeladmin.message_user(request, f"{response}: {exc.message}", messages.WARNING)
    if done:
        message = ngettext("%d answer reviewed.", "%d answers reviewed.", done) % done
        modeladmin.message_user(request, message, messages.SUCCESS)


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    """Where an instructor decides short answers no pattern matched (filter: waiting)."""

    list_display = [
        "attempt",
        "slot",
        "question",
        "answer",
        "review_state",
        "score",
        "review_reason",
    ]
    list_filter = ["review_state", "attempt__placement"]
    search_fields = ["attempt__learner_key"]
    list_select_related = ["attempt__placement", "question"]
    actions = [accept_responses, reject_responses]
    # Decisions go through the actions (they rescore the attempt), never through the form.
    readonly_fields = [
        "attempt", "slot", "question", "answer", "model_answer", "accepted_patterns",
        "review_reason", "is_correct", "score", "feedback", "review_state", "reviewed_at",
        "review_comment",
    ]  # fmt: skip

    @admin.display(description=_("model answer"))
    def model_answer(self, response: Response) -> str:
        return _asked(response).get("model_answer", "")

    @admin.display(description=_("accepted patterns"))
    def accepted_patterns(self, response: Response) -> str:
        return ", ".join(_asked(response).get("patterns", []))

    def has_add_permission(self, request):
        return False


def _asked(response: Response) -> dict:
    """The question as the attempt asked it (its snapshot), which the review is about."""
    asked = response.attempt.snapshot.get("questions", [])
    return next((q for q in asked if q["slot"] == response.slot), {})
