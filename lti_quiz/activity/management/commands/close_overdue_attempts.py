"""Submit every attempt left open past its deadline and the grace, from the answers saved by
the deadline, and queue its grade. Pages do this for what they touch; run this from cron (say
every few minutes) so a learner who never comes back still gets a grade in the gradebook."""

from django.core.management.base import BaseCommand
from django.db.models import Q

from lti_quiz.activity.standing import overdue_attempts_close
from lti_quiz.lti.models import ResourceLink
from lti_quiz.quiz.models import Attempt, Placement


class Command(BaseCommand):
    help = "Submit attempts whose time ran out (from their saved answers) and queue their grades."

    def handle(self, *args, **options) -> None:
        open_here = Attempt.objects.filter(status=Attempt.Status.IN_PROGRESS).values("placement")
        timed = Placement.objects.filter(pk__in=open_here).filter(
            Q(time_limit_minutes__isnull=False)
            | Q(closes_at__isnull=False)
            | Q(learner_overrides__closes_at__isnull=False)
        )
        closed = 0
        for placement in timed.distinct():
            resource_link = ResourceLink.objects.for_placement_key(placement.key)
            closed += len(overdue_attempts_close(placement=placement, resource_link=resource_link))
        self.stdout.write(f"Submitted {closed} overdue attempt{'s' if closed != 1 else ''}.")
