import io
import re

import pytest
from django.core.management import CommandError, call_command

from lti_quiz.lti.models import Deployment, Registration, ResourceLink
from lti_quiz.lti.registrations import RegistrationError, registration_upsert

pytestmark = pytest.mark.django_db

CANVAS = [
    "--name",
    "Canvas",
    "--issuer",
    "https://canvas.instructure.com",
    "--client-id",
    "10000000000001",
    "--auth-login-url",
    "https://sso.canvaslms.com/api/lti/authorize_redirect",
    "--auth-token-url",
    "https://sso.canvaslms.com/login/oauth2/token",
    "--key-set-url",
    "https://sso.canvaslms.com/api/lti/security/jwks",
]


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("lti_platform", *args, stdout=out)
    return out.getvalue()


def deployment_ids(registration: Registration) -> set[str]:
    return set(registration.deployments.values_list("deployment_id", flat=True))


def with_option(args: list[str], option: str, value: str) -> list[str]:
    changed = list(args)
    changed[changed.index(option) + 1] = value
    return changed


class TestAdd:
    def test_it_registers_a_platform_with_repeated_deployment_ids(self):
        output = run("add", *CANVAS, "--deployment-id", "1:abc", "--deployment-id", "2:def")

        registration = Registration.objects.get()
        assert registration.name == "Canvas"
        assert registration.issuer == "https://canvas.instructure.com"
        assert registration.client_id == "10000000000001"
        assert registration.key_set_url == "https://sso.canvaslms.com/api/lti/security/jwks"
        assert registration.is_active
        assert deployment_ids(registration) == {"1:abc", "2:def"}
        assert output.startswith("Added")

    def test_the_same_issuer_and_client_id_again_updates_it_and_keeps_known_deployments(self):
        run("add", *CANVAS, "--deployment-id", "1:abc")

        output = run(
            "add",
            *with_option(CANVAS, "--name", "Canvas (prod)"),
            "--deployment-id",
            "2:def",
        )

        registration = Registration.objects.get()
        assert registration.name == "Canvas (prod)"
        assert deployment_ids(registration) == {"1:abc", "2:def"}
        assert output.startswith("Updated")

    def test_replace_deployments_drops_the_ones_not_given(self):
        run("add", *CANVAS, "--deployment-id", "1:abc", "--deployment-id", "2:def")

        run("add", *CANVAS, "--deployment-id", "2:def", "--replace-deployments")

        assert deployment_ids(Registration.objects.get()) == {"2:def"}

    def test_another_client_id_on_the_same_issuer_is_another_registration(self):
        # Every hosted Canvas school shares the issuer; the client id tells them apart.
        run("add", *CANVAS, "--deployment-id", "1")
        run("add", *with_option(CANVAS, "--client-id", "10000000000002"), "--deployment-id", "1")

        assert Registration.objects.count() == 2
        assert Deployment.objects.count() == 2

    def test_a_platform_in_a_container_with_a_single_label_host_is_accepted(self):
        args = with_option(CANVAS, "--key-set-url", "http://moodle:8080/mod/lti/certs.php")

        run("add", *args, "--deployment-id", "1")

        assert Registration.objects.get().key_set_url == "http://moodle:8080/mod/lti/certs.php"

    @pytest.mark.parametrize(
        ("option", "value", "message"),
        [
            ("--key-set-url", "not a url", "Key set URL must be an http(s) URL"),
            (
                "--auth-login-url",
                "ftp://lms.example.com/auth",
                "Auth login URL must be an http(s) URL",
            ),
            ("--auth-token-url", "https://lms.example.com:port/token", "invalid port"),
            ("--issuer", "", "Issuer must not be empty"),
            ("--client-id", "   ", "Client id must not be empty"),
            ("--name", "", "Name must not be empty"),
        ],
    )
    def test_bad_input_is_a_command_error_that_says_what_is_wrong(self, option, value, message):
        with pytest.raises(CommandError, match=re.escape(message)):
            run("add", *with_option(CANVAS, option, value), "--deployment-id", "1")

        assert not Registration.objects.exists()

    def test_an_empty_deployment_id_is_refused(self):
        with pytest.raises(CommandError, match="deployment id must not be empty"):
            run("add", *CANVAS, "--deployment-id", "1", "--deployment-id", " ")

        assert not Registration.objects.exists()

    def test_a_deployment_id_is_required(self):
        with pytest.raises(CommandError, match="--deployment-id"):
            run("add", *CANVAS)

    def test_a_missing_subcommand_is_a_command_error(self):
        with pytest.raises(CommandError):
            run()


class TestList:
    def test_it_prints_each_registration_with_its_deployments(self):
        run("add", *CANVAS, "--deployment-id", "1:abc", "--deployment-id", "2:def")
        run(
            "add",
            *with_option(
                with_option(CANVAS, "--name", "Moodle"), "--issuer", "https://moodle.example.edu"
            ),
            "--deployment-id",
            "7",
        )

        lines = run("list").splitlines()

        assert lines[0].split()[:4] == ["ID", "NAME", "ISSUER", "CLIENT"]
        canvas = next(line for line in lines if "Canvas" in line)
        moodle = next(line for line in lines if "Moodle" in line)
        assert canvas.split()[0] == str(Registration.objects.get(name="Canvas").pk)
        assert "https://canvas.instructure.com" in canvas
        assert "1:abc, 2:def" in canvas
        assert "https://moodle.example.edu" in moodle
        assert " 7 " in moodle

    def test_it_says_so_when_nothing_is_registered(self):
        assert "No platforms registered" in run("list")


class TestShowActivateDeactivate:
    @pytest.fixture
    def canvas(self) -> Registration:
        run(
            "add",
            *CANVAS,
            "--deployment-id",
            "1:abc",
            "--frame-origin",
            "https://school.instructure.com",
        )
        return Registration.objects.get()

    def test_show_prints_every_field_with_deployments_and_endpoints(self, canvas):
        fields = dict(
            re.split(r"\s{2,}", line, maxsplit=1)
            for line in run("show", "--id", str(canvas.pk)).splitlines()
        )

        assert fields["id"] == str(canvas.pk)
        assert fields["active"] == "yes"
        assert fields["deployment ids"] == "1:abc"
        assert (
            fields["OIDC auth login URL"] == "https://sso.canvaslms.com/api/lti/authorize_redirect"
        )
        assert fields["access token URL"] == "https://sso.canvaslms.com/login/oauth2/token"
        assert fields["token audience"] == "(the token URL)"
        assert fields["platform JWKS URL"] == "https://sso.canvaslms.com/api/lti/security/jwks"
        assert fields["extra frame origins"] == "https://school.instructure.com"
        assert fields["platform family"] == "(unknown)"

    def test_a_registration_is_found_by_issuer_and_client_id_too(self, canvas):
        output = run(
            "show", "--issuer", "https://canvas.instructure.com", "--client-id", "10000000000001"
        )

        assert output.splitlines()[0].split() == ["id", str(canvas.pk)]

    def test_deactivate_then_activate(self, canvas):
        assert "Inactive" in run("deactivate", "--id", str(canvas.pk))
        canvas.refresh_from_db()
        assert not canvas.is_active

        assert "Its courses can launch" in run("activate", "--id", str(canvas.pk))
        canvas.refresh_from_db()
        assert canvas.is_active

    def test_activating_a_registration_without_a_deployment_warns(self):
        registration = Registration.objects.create(
            name="Canvas DR",
            issuer="https://canvas.instructure.com",
            client_id="99",
            auth_login_url="https://sso.canvaslms.com/auth",
            auth_token_url="https://sso.canvaslms.com/token",
            key_set_url="https://sso.canvaslms.com/jwks",
            is_active=False,
        )

        assert "no deployment id yet" in run("activate", "--id", str(registration.pk))

    @pytest.mark.parametrize(
        "args",
        [["--id", "999"], ["--issuer", "https://nope.example", "--client-id", "1"], []],
        ids=["unknown id", "unknown issuer", "nothing named"],
    )
    def test_an_unknown_or_unnamed_registration_is_a_command_error(self, args):
        with pytest.raises(CommandError, match=r"No registration with|Name the registration"):
            run("activate", *args)

    def test_a_frame_origin_given_again_is_not_repeated(self, canvas):
        run(
            "add",
            *CANVAS,
            "--deployment-id",
            "1:abc",
            "--frame-origin",
            "https://school.instructure.com",
        )

        canvas.refresh_from_db()
        assert canvas.frame_origins == "https://school.instructure.com"


class TestRemove:
    def test_it_deletes_the_registration_its_deployments_and_resource_links(self):
        run("add", *CANVAS, "--deployment-id", "1")
        registration = Registration.objects.get()
        ResourceLink.objects.create(
            registration=registration, deployment_id="1", resource_link_id="rl-1"
        )

        output = run(
            "remove", "--issuer", "https://canvas.instructure.com", "--client-id", "10000000000001"
        )

        assert "Removed" in output
        assert not Registration.objects.exists()
        assert not Deployment.objects.exists()
        assert not ResourceLink.objects.exists()

    def test_removing_an_unknown_registration_is_a_command_error(self):
        run("add", *CANVAS, "--deployment-id", "1")

        with pytest.raises(CommandError, match="No registration with issuer"):
            run("remove", "--issuer", "https://canvas.instructure.com", "--client-id", "nope")

        assert Registration.objects.count() == 1


class TestRegistrationUpsert:
    def test_it_refuses_an_empty_list_of_deployment_ids(self):
        with pytest.raises(RegistrationError, match="at least one deployment id"):
            registration_upsert(
                name="Canvas",
                issuer="https://canvas.instructure.com",
                client_id="1",
                auth_login_url="https://canvas.instructure.com/auth",
                auth_token_url="https://canvas.instructure.com/token",
                key_set_url="https://canvas.instructure.com/jwks",
                deployment_ids=[],
            )

    def test_it_sets_the_audience_as_given(self):
        common = {
            "name": "Canvas",
            "issuer": "https://canvas.instructure.com",
            "client_id": "1",
            "auth_login_url": "https://canvas.instructure.com/auth",
            "auth_token_url": "https://canvas.instructure.com/token",
            "key_set_url": "https://canvas.instructure.com/jwks",
            "deployment_ids": ["1", "1"],
        }
        registration_upsert(**common, auth_audience="https://canvas.instructure.com/aud")
        registration = registration_upsert(**common)

        assert registration.auth_audience == ""
        assert deployment_ids(registration) == {"1"}


@pytest.mark.urls("tests.support.admin_urls")
class TestRegistrationAdmin:
    def test_the_list_and_the_form_with_deployments_render(self, admin_client):
        run("add", *CANVAS, "--deployment-id", "1:abc")
        registration = Registration.objects.get()

        listing = admin_client.get("/admin/lti/registration/?q=1:abc")
        form = admin_client.get(f"/admin/lti/registration/{registration.pk}/change/")

        assert listing.status_code == 200
        assert "Canvas" in listing.content.decode()
        assert form.status_code == 200
        assert "1:abc" in form.content.decode()
