"""`manage.py lti_platform add|list|remove`: the platforms (LMSs) the tool trusts.

The interface of `add` is fixed by issue 2 (an LMS admin's runbook and the practice LMS's setup
call it): --name --issuer --client-id --auth-login-url --auth-token-url --key-set-url
--deployment-id [--deployment-id ...].
"""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lti_quiz.lti.models import Registration
from lti_quiz.lti.registrations import (
    RegistrationError,
    registration_remove,
    registration_upsert,
)


class Command(BaseCommand):
    help = "Add (or update), list and remove LTI 1.3 platform registrations."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(
            dest="action", required=True, metavar="{add,list,remove}"
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
            "--replace-deployments",
            action="store_true",
            help="Drop deployment ids not given here (their courses stop launching).",
        )
        subcommands.add_parser("list", help="Show every registration.")
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
        )
        deployments = ", ".join(_deployment_ids(registration))
        verb = "Updated" if existed else "Added"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} {registration} with deployments: {deployments}.")
        )
        if not registration.is_active:
            self.stdout.write(
                self.style.WARNING(
                    "This registration is inactive: enable it in the admin to launch."
                )
            )

    def handle_list(self, **options) -> None:
        registrations = Registration.objects.prefetch_related("deployments").order_by("name", "id")
        if not registrations:
            self.stdout.write(
                "No platforms registered. Add one with: manage.py lti_platform add ..."
            )
            return
        rows = [("NAME", "ISSUER", "CLIENT ID", "DEPLOYMENTS", "ACTIVE", "KEY SET URL")]
        for registration in registrations:
            rows.append(
                (
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
