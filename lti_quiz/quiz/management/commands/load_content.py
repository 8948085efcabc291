from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lessons.loading import CONTENT_DIR, ContentError
from lti_quiz.quiz.content import content_load


class Command(BaseCommand):
    help = (
        "Load the lessons and quizzes in lessons/content/ into the database. Safe to run again: "
        "it updates what changed and never duplicates or deletes past attempts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--content-dir", type=Path, default=CONTENT_DIR, help="Default: %(default)s"
        )

    def handle(self, *args, content_dir: Path, **options):
        try:
            loaded = content_load(content_dir=content_dir)
        except ContentError as exc:
            raise CommandError(str(exc)) from None
        for item in loaded:
            state = "loaded" if item.lesson.changed else "unchanged"
            self.stdout.write(f"Lesson {item.lesson.lesson.slug!r}: {state}.")
            if item.quiz_slug:
                state = f"{item.quiz_changes} changes" if item.quiz_changes else "unchanged"
                self.stdout.write(
                    f"Quiz {item.quiz_slug!r}: {item.quiz_questions} questions, {state}."
                )
