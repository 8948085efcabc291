from django.core.management.base import BaseCommand

from lti_quiz.grades.sweep import grade_deliveries_resume


class Command(BaseCommand):
    help = (
        "Queue again the pending grade deliveries whose task was lost (a worker killed mid-send, "
        "an enqueue that failed). Safe to run any time; run it before starting workers."
    )

    def handle(self, *args, **options) -> None:
        requeued = grade_deliveries_resume()
        noun = "delivery" if len(requeued) == 1 else "deliveries"
        self.stdout.write(f"Queued {len(requeued)} grade {noun} again.")
