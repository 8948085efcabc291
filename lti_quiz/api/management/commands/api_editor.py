"""`python manage.py api_editor USERNAME [--email ADDRESS]`: a question-bank editor and its token.

The API's first user, in one command: creates the user if needed (no password: the API is used
with the token; set one with `changepassword` for the browsable API), puts them in the
"question bank editor" group, and prints their API token (the existing one if they have one).
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from rest_framework.authtoken.models import Token

from lti_quiz.api.groups import editor_group_sync


class Command(BaseCommand):
    help = "Create (or reuse) a question-bank editor and print their API token."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", default="", help="Their email address (optional).")

    def handle(self, *args, username: str, email: str, **options) -> None:
        username = username.strip()
        if not username:
            raise CommandError("Give a user name.")
        User = get_user_model()
        with transaction.atomic():
            user, created = User.objects.get_or_create(
                username=username, defaults={"email": email.strip()}
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            elif not user.is_active:
                raise CommandError(f"User {username!r} is deactivated; reactivate them first.")
            user.groups.add(editor_group_sync())
            token, _ = Token.objects.get_or_create(user=user)
        state = "Created" if created else "Found"
        self.stdout.write(f"{state} {username}, a question-bank editor. API token:")
        self.stdout.write(token.key)
        self.stdout.write(f"Use it as the header  Authorization: Token {token.key}")
