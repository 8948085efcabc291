"""`manage.py lti_keys rotate|list|prune`: the tool's signing keys."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from lti_quiz.lti.keys import active_tool_key, tool_key_rotate, tool_keys_prune
from lti_quiz.lti.models import ToolKey


class Command(BaseCommand):
    help = "Rotate, list or prune the tool's RSA signing keys (published at /lti/jwks/)."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(
            dest="action", required=True, metavar="{rotate,list,prune}"
        )
        subcommands.add_parser(
            "rotate",
            help="Make a new active key; the old one stays published for LTI_KEY_GRACE_DAYS.",
        )
        subcommands.add_parser("list", help="Show every key and whether it is published.")
        subcommands.add_parser("prune", help="Delete keys retired longer than the grace period.")

    def handle(self, *args, action: str, **options) -> None:
        getattr(self, f"handle_{action}")()

    def handle_rotate(self) -> None:
        key = tool_key_rotate()
        self.stdout.write(
            self.style.SUCCESS(
                f"New active key {key.kid}. Retired keys stay published for "
                f"{settings.LTI_KEY_GRACE_DAYS} days."
            )
        )

    def handle_list(self) -> None:
        active_tool_key()  # Listing an empty table helps nobody: make sure the first key exists.
        published = set(ToolKey.objects.published().values_list("pk", flat=True))
        rows = [("KID", "CREATED", "RETIRED", "STATUS")]
        for key in ToolKey.objects.order_by("-created_at"):
            if key.retired_at is None:
                status = "active"
            elif key.pk in published:
                status = "retired, published"
            else:
                status = "retired, not published"
            rows.append((key.kid, _when(key.created_at), _when(key.retired_at), status))
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            self.stdout.write(
                "  ".join(
                    cell.ljust(width) for cell, width in zip(row, widths, strict=True)
                ).rstrip()
            )

    def handle_prune(self) -> None:
        deleted = tool_keys_prune()
        self.stdout.write(
            f"Deleted {deleted} key(s) retired more than {settings.LTI_KEY_GRACE_DAYS} days ago."
        )


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "-"
