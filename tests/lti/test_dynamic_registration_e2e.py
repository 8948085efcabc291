"""Dynamic registration end to end: the practice LMS registers the tool by URL over real HTTP,
then launches it with the client id and deployment id that registration produced."""

import re
from html import unescape

import pytest
import requests

from lti_quiz.lti.models import Registration
from lti_quiz.practice_lms.models import Person, RegistrationInvite, ResourceLink, ToolRecord
from tests.support.browserless import forms_in, lms_launch, submit

pytestmark = pytest.mark.django_db(transaction=True)

FRAME_SRC = re.compile(r'<iframe[^>]*id="registration-frame"[^>]*src="([^"]+)"')


def start_registration(admin: requests.Session, lms_url: str) -> str:
    """The LMS admin asks to register the tool by URL; returns what the iframe opens."""
    page = admin.get(f"{lms_url}/practice-lms/tools/", timeout=30)
    form = forms_in(page.text)[0]
    page = submit(admin, page, form, {**form.fields, "tool_url": f"{lms_url}/lti/register/"})
    assert page.status_code == 200, page.text
    match = FRAME_SRC.search(page.text)
    assert match, page.text
    return unescape(match.group(1))


def new_tool() -> ToolRecord:
    return ToolRecord.objects.exclude(client_id="practice-lms-client").get()


def test_the_practice_lms_registers_the_tool_which_then_waits_for_an_admin(lms):
    admin = requests.Session()
    confirm = admin.get(start_registration(admin, lms), timeout=30)
    assert confirm.status_code == 200
    assert "Register LTI Quiz with" in confirm.text
    assert f"{lms}/practice-lms" in confirm.text

    done = submit(admin, confirm, forms_in(confirm.text)[0], forms_in(confirm.text)[0].fields)

    assert done.status_code == 200, done.text
    assert "org.imsglobal.lti.close" in done.text
    tool = new_tool()
    assert tool.login_url == f"{lms}/lti/login/"
    assert tool.redirect_uri_list == [f"{lms}/lti/launch/"]
    assert tool.jwks_url == f"{lms}/lti/jwks/"
    registration = Registration.objects.get(client_id=tool.client_id)
    assert registration.issuer == f"{lms}/practice-lms"
    assert registration.auth_login_url == f"{lms}/practice-lms/auth/"
    assert registration.auth_token_url == f"{lms}/practice-lms/token/"
    assert registration.key_set_url == f"{lms}/practice-lms/jwks/"
    assert list(registration.deployments.values_list("deployment_id", flat=True)) == [
        tool.deployment_id
    ]
    assert registration.is_active is False
    assert RegistrationInvite.objects.get().used_at is not None


def test_once_activated_the_registered_tool_launches(lms):
    admin = requests.Session()
    confirm = admin.get(start_registration(admin, lms), timeout=30)
    submit(admin, confirm, forms_in(confirm.text)[0], forms_in(confirm.text)[0].fields)
    tool = new_tool()
    # The tool's admin activates it; the course's activity now uses the registered tool.
    Registration.objects.filter(client_id=tool.client_id).update(is_active=True)
    ResourceLink.objects.update(tool=tool)

    student = Person.objects.get(email__startswith="alice")
    _, page = lms_launch(lms, student.pk, mode="window")

    assert "/lti/activity/" in page.url


def test_a_registration_token_works_once_and_the_refusal_is_shown_in_words(lms):
    admin = requests.Session()
    confirm = admin.get(start_registration(admin, lms), timeout=30)
    form = forms_in(confirm.text)[0]
    submit(admin, confirm, form, form.fields)

    again = submit(admin, confirm, form, form.fields)

    assert again.status_code == 502
    assert "The platform refused the registration" in again.text
    assert "token_already_used" in again.text
    assert ToolRecord.objects.count() == 2  # the setup's tool and the one registration
    assert Registration.objects.exclude(client_id="practice-lms-client").count() == 1


def test_in_a_browser_the_registration_frame_closes_itself(lms, chromium):
    page = chromium.new_page()
    page.goto(f"{lms}/practice-lms/tools/")
    page.get_by_role("button", name="Register").click()
    frame = page.frame_locator("#registration-frame")
    frame.get_by_role("button", name="Register").click()
    # The last step says what is left, and stays until the admin has read it.
    frame.get_by_text("waits for the quiz tool's administrator").wait_for()
    assert "lti_platform activate --id" in frame.locator("#registration-state").inner_text()
    assert page.locator("#registration-frame").count() == 1
    frame.get_by_role("button", name="Finish").click()
    # The tool posts org.imsglobal.lti.close; the LMS removes the frame and lists the tool.
    page.wait_for_url(re.compile(r"registered=1"))
    tool = new_tool()
    assert page.locator("#tools").get_by_text(tool.client_id).is_visible()
    assert page.locator("#registration-frame").count() == 0
