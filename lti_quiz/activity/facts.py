"""The line under "End-of-lesson check" that says what the quiz asks of the learner: how many
questions, how many attempts this placement allows and which attempt counts. Each part is a
whole phrase, so a translation never has to glue a setting's name to words around it."""

from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from lti_quiz.quiz.models import Placement, ScoringPolicy

ATTEMPT_THAT_COUNTS: dict[str, Promise] = {
    ScoringPolicy.HIGHEST: _("the best attempt counts"),
    ScoringPolicy.LATEST: _("the latest attempt counts"),
    ScoringPolicy.FIRST: _("the first attempt counts"),
}


def placement_facts(*, placement: Placement, question_count: int) -> str:
    """E.g. "10 questions · 3 attempts allowed · the best attempt counts." (the placement's own
    settings where it overrides the quiz's; no attempts part when attempts are unlimited)."""
    parts = [
        ngettext("%(count)d question", "%(count)d questions", question_count)
        % {"count": question_count}
    ]
    if limit := placement.attempts_limit:
        parts.append(
            ngettext("%(count)d attempt allowed", "%(count)d attempts allowed", limit)
            % {"count": limit}
        )
    if counts := ATTEMPT_THAT_COUNTS.get(placement.effective_scoring_policy):
        parts.append(str(counts))
    # Translators: the parts of the quiz's description, joined into one sentence.
    return gettext("%(parts)s.") % {"parts": " · ".join(parts)}
