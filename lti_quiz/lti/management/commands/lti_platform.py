"""`manage.py lti_platform add|list|show|activate|deactivate|remove`: the LMSs the tool trusts.

The options of `add` are what an LMS admin's runbook and the practice LMS's setup call it with:
--name --issuer --client-id --auth-login-url --auth-token-url --key-set-url
--deployment-id [--deployment-id ...]; keep them stable.
"""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lti_quiz.lti.models import Registration
from lti_quiz.lti.registrations import (
    RegistrationError,
    registration_activate,
    registration_find,
    registration_remove,
    registration_upsert,
)


def _identify(parser: CommandParser) -> None:
    parser.add_argument("--id", type=int, dest="pk", help="The registration's id (see list).")
    parser.add_argument("--issuer", default="")
    parser.add_argument("--client-id", default="")


class Command(BaseCommand):
    help = "Add (or update), list and remove LTI 1.3 platform registrations."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(
            dest="action", required=True, metavar="{add,list,show,activate,deactivate,remove}"
        )
        add = subcommands.add_parser(
            "add",
            help="Register a platform; the same issuer and client id again updates it.",
        )
        add.add_argument("--name", required=True, help="A label for people, e.g. 'Canvas (prod)'.")
        add.add_argument("--issuer", required=True, help="The platform's issuer (iss claim).")
        add.add_argument("--client-id", required=True, help="The client id the platform gave.")
        add.add_argument("--auth-login-url", required=True, help="Platform OIDC auth endpoint.")
        add.add_argument("--auth-token-url", required=True, help="Platform access token endpoint.")
        add.add_argument("--key-set-url", required=True, help="Platform JWKS URL.")
        add.add_argument(
            "--deployment-id",
            dest="deployment_ids",
            metavar="DEPLOYMENT_ID",
            action="append",
            required=True,
            help="Repeat for several. Known ones are kept unless --replace-deployments.",
        )
        add.add_argument(
            "--auth-audience",
            default="",
            help="Audience of token requests, if the platform wants another than the token URL.",
        )
        add.add_argument(
            "--frame-origin",
            dest="frame_origins",
            metavar="ORIGIN",
            action="append",
            default=[],
            help="Another origin whose pages may show the tool (e.g. a Canvas school's domain).",
        )
        add.add_argument(
            "--replace-deployments",
            action="store_true",
            help="Drop deployment ids not given here (their courses stop launching).",
        )
        subcommands.add_parser("list", help="One line per registration.")
        _identify(subcommands.add_parser("show", help="Every field of one registration."))
        _identify(subcommands.add_parser("activate", help="Let a registration's courses launch."))
        _identify(subcommands.add_parser("deactivate", help="Refuse a registration's launches."))
        remove = subcommands.add_parser(
            "remove", help="Delete a registration and what was learned from its launches."
        )
        remove.add_argument("--issuer", required=True)
        remove.add_argument("--client-id", required=True)

    def handle(self, *args, action: str, **options) -> None:
        try:
            getattr(self, f"handle_{action}")(**options)
        except RegistrationError as error:
            raise CommandError(error.message) from error

    def handle_add(self, **options) -> None:
        existed = Registration.objects.filter(
            issuer=options["issuer"].strip(), client_id=options["client_id"].strip()
        ).exists()
        registration = registration_upsert(
            name=options["name"],
            issuer=options["issuer"],
            client_id=options["client_id"],
            auth_login_url=options["auth_login_url"],
            auth_token_url=options["auth_token_url"],
            key_set_url=options["key_set_url"],
            deployment_ids=options["deployment_ids"],
            auth_audience=options["auth_audience"],
            replace_deployments=options["replace_deployments"],
            frame_origins=options["frame_origins"],
        )
        deployments = ", ".join(_deployment_ids(registration))
        verb = "Updated" if existed else "Added"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} {registration} with deployments: {deployments}.")
        )
        if not registration.is_active:
            self.stdout.write(
                self.style.WARNING(
                    "This registration is inactive: courses cannot launch until "
                    f"manage.py lti_platform activate --id {registration.pk}"
                )
            )

    def handle_list(self, **options) -> None:
        registrations = Registration.objects.prefetch_related("deployments").order_by("name", "id")
        if not registrations:
            self.stdout.write(
                "No platforms registered. Add one with: manage.py lti_platform add ..."
            )
            return
        rows = [("ID", "NAME", "ISSUER", "CLIENT ID", "DEPLOYMENTS", "ACTIVE", "KEY SET URL")]
        for registration in registrations:
            rows.append(
                (
                    str(registration.pk),
                    registration.name,
                    registration.issuer,
                    registration.client_id,
                    ", ".join(_deployment_ids(registration)) or "-",
                    "yes" if registration.is_active else "no",
                    registration.key_set_url,
                )
            )
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            line = "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write(line.rstrip())

    def _found(self, options: dict) -> Registration:
        return registration_find(
            pk=options["pk"], issuer=options["issuer"], client_id=options["client_id"]
        )

    def handle_show(self, **options) -> None:
        registration = self._found(options)
        fields = [
            ("id", registration.pk),
            ("name", registration.name),
            ("active", "yes" if registration.is_active else "no"),
            ("platform family", registration.platform_family or "(unknown)"),
            ("issuer", registration.issuer),
            ("client id", registration.client_id),
            ("deployment ids", ", ".join(_deployment_ids(registration)) or "(none)"),
            ("OIDC auth login URL", registration.auth_login_url),
            ("access token URL", registration.auth_token_url),
            ("token audience", registration.auth_audience or "(the token URL)"),
            ("platform JWKS URL", registration.key_set_url),
            ("extra frame origins", ", ".join(registration.frame_origins.split()) or "(none)"),
            ("created", registration.created_at.isoformat(timespec="seconds")),
            ("updated", registration.updated_at.isoformat(timespec="seconds")),
        ]
        width = max(len(label) for label, _ in fields)
        for label, value in fields:
            self.stdout.write(f"{label.ljust(width)}  {value}")

    def handle_activate(self, **options) -> None:
        registration = registration_activate(registration=self._found(options), active=True)
        self.stdout.write(self.style.SUCCESS(f"Active: {registration}. Its courses can launch."))
        if not registration.deployments.exists():
            self.stdout.write(
                self.style.WARNING(
                    "It has no deployment id yet: add it (lti_platform add ... --deployment-id, "
                    "or the admin) before launches can succeed."
                )
            )

    def handle_deactivate(self, **options) -> None:
        registration = registration_activate(registration=self._found(options), active=False)
        self.stdout.write(
            self.style.SUCCESS(f"Inactive: {registration}. Its launches are refused.")
        )

    def handle_remove(self, **options) -> None:
        registration_remove(issuer=options["issuer"], client_id=options["client_id"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Removed the registration for issuer {options['issuer']}, "
                f"client id {options['client_id']}."
            )
        )


def _deployment_ids(registration: Registration) -> list[str]:
    return sorted(deployment.deployment_id for deployment in registration.deployments.all())
