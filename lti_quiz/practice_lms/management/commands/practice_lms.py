"""`python manage.py practice_lms setup --base-url URL [--client-id ID] [--behave-like moodle]`
and `rotate-key`."""

from urllib.parse import urlsplit

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from lti_quiz.practice_lms.keys import platform_key_create
from lti_quiz.practice_lms.models import Course
from lti_quiz.practice_lms.setup import (
    DEFAULT_CLIENT_ID,
    loopback_aliases,
    platform_urls,
    practice_lms_setup,
)


class Command(BaseCommand):
    help = (
        "Set up the practice LMS (course, people, key, its record of the tool) "
        "and register it with the tool."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        setup = sub.add_parser("setup", help="Create or update everything; safe to run again.")
        setup.add_argument(
            "--base-url",
            required=True,
            help="The URL the browser uses for this server, e.g. http://localhost:8000",
        )
        setup.add_argument("--client-id", default=DEFAULT_CLIENT_ID)
        setup.add_argument(
            "--behave-like",
            choices=Course.BehavesLike.values,
            help="Receive scores by the rules of this LMS (default: keep the course's setting).",
        )
        sub.add_parser(
            "rotate-key",
            help="Sign id_tokens with a new platform key (the old one stays published).",
        )

    def handle(self, *args, action: str, **options):
        if action == "rotate-key":
            key = platform_key_create()
            self.stdout.write(f"The practice LMS now signs with key {key.kid}.")
            return
        base_url = options["base_url"].rstrip("/")
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
            raise CommandError(
                "--base-url must be a scheme and host like http://localhost:8000, "
                f"not {base_url!r}."
            )
        client_id = options["client_id"].strip()
        if not client_id:
            raise CommandError("--client-id must not be empty.")

        tool = practice_lms_setup(
            base_url=base_url, client_id=client_id, behaves_like=options["behave_like"]
        )
        urls = platform_urls(base_url)
        frame_origins = [
            arg for origin in loopback_aliases(base_url) for arg in ("--frame-origin", origin)
        ]
        # The one place the practice LMS touches the tool: the admin command a real LMS admin's
        # counterpart would run on the tool side.
        call_command(
            "lti_platform",
            "add",
            "--name",
            "Practice LMS",
            "--issuer",
            urls.issuer,
            "--client-id",
            client_id,
            "--auth-login-url",
            urls.auth_login_url,
            "--auth-token-url",
            urls.auth_token_url,
            "--key-set-url",
            urls.key_set_url,
            "--deployment-id",
            tool.deployment_id,
            *frame_origins,
            stdout=self.stdout,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Practice LMS ready: {base_url}/practice-lms/ (issuer {urls.issuer})"
            )
        )
