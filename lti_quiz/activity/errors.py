"""What the pages a launch opens refuse, each with its sentence, status and page heading
(lib/errors.py); guards.launch_required turns any of them into the refusal page."""

from django.utils.translation import gettext_lazy as _

from lti_quiz.lib.errors import DomainError, Forbidden, Gone, NotFound


class LaunchExpired(Gone):
    message = _(
        "This page belongs to a launch that has expired or is not valid. "
        "Go back to your course and open the activity again."
    )
    title = _("This launch has expired")


class InstructorsOnly(Forbidden):
    message = _(
        "Only instructors of this course can see the results of this activity. "
        "If you teach this course, open the activity from the course as an instructor."
    )
    title = _("Instructors only")


class NotInThisPlacement(Forbidden):
    """A delivery or response id that does not belong to this launch's placement."""

    message = _("That belongs to another activity or course, not to the one you opened.")
    title = _("This page is not available")


class QuizFormIncomplete(DomainError):
    message = _("The quiz form was incomplete. Reload the page and try again.")


class SaveRequestInvalid(DomainError):
    message = _(
        'Answers to save come as JSON: {"attempt": id, "answers": {slot: answer}, '
        '"flags": {slot: true or false}}.'
    )


class LayoutChoiceMissing(DomainError):
    message = _("Choose all questions on one page, or one question per page.")


class QuestionNotInAttempt(NotFound):
    message = _("This attempt has no question with that number.")


class DecisionMissing(DomainError):
    message = _("Choose accept, reject, or give a score.")


class ReviewScoresMissing(DomainError):
    message = _("Choose what the gradebook gets while answers wait for review.")


class NoLearnerNamed(DomainError):
    message = _(
        "This page shows a student's submission opened from the gradebook, and this launch did "
        "not name a student. Open the submission from the gradebook again."
    )
    title = _("This submission is not available")


class DeepLinkExpired(NotFound):
    """An unknown deep-linking id, or one already answered or timed out (ids are single use)."""

    message = _(
        "This page was already used or has timed out. Go back to your course and add the "
        "activity again."
    )
    title = _("This selection has expired")


class ResultsViewUnknown(DomainError):
    """A results page address with a filter, sort or page the page does not offer."""

    message = _(
        "The results page cannot show that view: choose a filter and an order from the form "
        "on the page."
    )
    title = _("This view is not available")
