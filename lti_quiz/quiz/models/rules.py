"""Review rules and per-learner exceptions of a placement: when a learner sees what of an
attempt (quiz/review_rules.py decides), and the extra attempts and time an instructor grants."""

from typing import TYPE_CHECKING

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ReviewWhen(models.TextChoices):
    """When a part of an attempt's review (score, marks, correct answers, feedback) is shown."""

    IMMEDIATELY = "immediately", _("immediately")
    AFTER_LAST_ATTEMPT = "after_last_attempt", _("after the last allowed attempt")
    AFTER_CLOSE = "after_close", _("after the close date")
    NEVER = "never", _("never")

    @classmethod
    def field(cls, verbose_name: "StrOrPromise") -> models.CharField:
        return models.CharField(
            verbose_name,
            max_length=24,
            choices=cls.choices,
            blank=True,
            help_text=_("Empty: the default."),
        )


class LearnerOverride(models.Model):
    """What one learner gets beyond the placement's settings (granted by an instructor)."""

    placement = models.ForeignKey(
        "quiz.Placement", on_delete=models.CASCADE, related_name="learner_overrides"
    )
    learner_key = models.CharField(_("learner"), max_length=255)
    extra_attempts = models.PositiveIntegerField(_("extra attempts"), default=0)
    extra_minutes = models.PositiveIntegerField(_("extra time (minutes)"), default=0)
    closes_at = models.DateTimeField(
        _("personal close date"), null=True, blank=True, help_text=_("Empty: the placement's.")
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("learner override")
        ordering = ["placement", "learner_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "learner_key"], name="quiz_learneroverride_once_per_learner"
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner_key} on {self.placement}"
