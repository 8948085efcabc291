"""Submit every attempt left open past its deadline and the grace, from the answers saved by
the deadline, and queue its grade. Pages do this for what they touch and every worker does it
each sweep (settings.WORKER_SWEEPS); this runs it once, e.g. with no worker running."""

from django.core.management.base import BaseCommand

from lti_quiz.activity.standing import overdue_attempts_close_all


class Command(BaseCommand):
    help = "Submit attempts whose time ran out (from their saved answers) and queue their grades."

    def handle(self, *args, **options) -> None:
        closed = len(overdue_attempts_close_all())
        self.stdout.write(f"Submitted {closed} overdue attempt{'s' if closed != 1 else ''}.")
