import datetime as dt
import io
import json

import jwt
import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from lti_quiz.lti.keys import (
    active_tool_key,
    jwks_view,
    published_jwks,
    tool_key_rotate,
    tool_keys_prune,
)
from lti_quiz.lti.models import ToolKey

pytestmark = pytest.mark.django_db

PRIVATE_MEMBERS = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}
START = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


def test_it_generates_the_key_once_and_reuses_it():
    first = active_tool_key()
    second = active_tool_key()

    assert first.pk == second.pk
    assert ToolKey.objects.count() == 1
    assert "PRIVATE KEY" in first.private_key_pem


def test_it_publishes_kid_alg_and_use_without_private_parts():
    key = active_tool_key()

    (jwk,) = published_jwks()["keys"]

    assert jwk["kid"] == key.kid
    assert jwk["kty"] == "RSA"
    assert jwk["alg"] == "RS256"
    assert jwk["use"] == "sig"
    assert jwk["e"] == "AQAB"
    assert not PRIVATE_MEMBERS & set(jwk)


def test_a_token_signed_with_the_active_key_verifies_with_the_published_jwk():
    key = active_tool_key()
    token = jwt.encode(
        {"sub": "x"}, key.private_key_pem, algorithm="RS256", headers={"kid": key.kid}
    )

    (jwk,) = published_jwks()["keys"]
    public_key = jwt.PyJWK(jwk).key

    assert jwt.get_unverified_header(token)["kid"] == jwk["kid"]
    assert jwt.decode(token, public_key, algorithms=["RS256"]) == {"sub": "x"}


def test_it_recovers_when_another_process_created_the_active_key_first(monkeypatch):
    theirs = active_tool_key()
    real_filter = ToolKey.objects.filter
    calls = {"n": 0}

    def stale_first_read(*args, **kwargs):
        # The first read happens "before" the other process committed: it sees no active key.
        calls["n"] += 1
        if calls["n"] == 1:
            return ToolKey.objects.none()
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(ToolKey.objects, "filter", stale_first_read)

    ours = active_tool_key()

    assert ours.pk == theirs.pk
    assert ToolKey.objects.count() == 1


class TestRotation:
    def test_it_retires_the_old_key_and_keeps_it_published_during_the_grace_period(self, settings):
        settings.LTI_KEY_GRACE_DAYS = 7
        with time_machine.travel(START, tick=False):
            old = active_tool_key()
            new = tool_key_rotate()

        old.refresh_from_db()
        assert old.retired_at == START
        assert active_tool_key().pk == new.pk
        with time_machine.travel(START + dt.timedelta(days=6), tick=False):
            kids = [jwk["kid"] for jwk in published_jwks()["keys"]]
        assert kids == [new.kid, old.kid]

    def test_it_drops_the_old_key_after_the_grace_period(self, settings):
        settings.LTI_KEY_GRACE_DAYS = 7
        with time_machine.travel(START, tick=False):
            active_tool_key()
            new = tool_key_rotate()

        with time_machine.travel(START + dt.timedelta(days=7, seconds=1), tick=False):
            kids = [jwk["kid"] for jwk in published_jwks()["keys"]]
        assert kids == [new.kid]

    def test_prune_deletes_only_keys_past_their_grace(self, settings):
        settings.LTI_KEY_GRACE_DAYS = 7
        with time_machine.travel(START, tick=False):
            oldest = active_tool_key()
        with time_machine.travel(START + dt.timedelta(days=1), tick=False):
            middle = tool_key_rotate()
        with time_machine.travel(START + dt.timedelta(days=3), tick=False):
            newest = tool_key_rotate()

        with time_machine.travel(START + dt.timedelta(days=9), tick=False):
            deleted = tool_keys_prune()

        assert deleted == 1
        remaining = set(ToolKey.objects.values_list("kid", flat=True))
        assert remaining == {middle.kid, newest.kid}
        assert oldest.kid not in remaining


class TestJwksView:
    def test_it_answers_json_and_creates_the_key_when_none_exists(self, rf):
        response = jwks_view(rf.get("/lti/jwks/"))

        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert "max-age=300" in response["Cache-Control"]
        body = json.loads(response.content)
        assert [jwk["kid"] for jwk in body["keys"]] == [ToolKey.objects.get().kid]

    def test_it_refuses_post(self, rf):
        response = jwks_view(rf.post("/lti/jwks/"))

        assert response.status_code == 405

    def test_it_is_served_at_the_path_an_lms_admin_enters(self, client):
        # The URL an LMS admin types in; lti/urls.py must route it to jwks_view.
        assert reverse("lti:jwks") == "/lti/jwks/"
        response = client.get("/lti/jwks/")

        assert response.status_code == 200
        assert response.json()["keys"][0]["use"] == "sig"


class TestLtiKeysCommand:
    def test_rotate_and_list_show_which_keys_are_published(self):
        old = active_tool_key()
        out = io.StringIO()
        call_command("lti_keys", "rotate", stdout=out)
        new = active_tool_key()
        assert new.kid in out.getvalue()

        out = io.StringIO()
        call_command("lti_keys", "list", stdout=out)
        lines = out.getvalue().splitlines()
        new_line = next(line for line in lines if new.kid in line)
        old_line = next(line for line in lines if old.kid in line)
        assert "active" in new_line
        assert "published" in old_line

    def test_prune_reports_what_it_removed(self, settings):
        settings.LTI_KEY_GRACE_DAYS = 1
        with time_machine.travel(START, tick=False):
            old = active_tool_key()
            tool_key_rotate()
        out = io.StringIO()
        with time_machine.travel(START + dt.timedelta(days=2), tick=False):
            call_command("lti_keys", "prune", stdout=out)

        assert "1" in out.getvalue()
        assert not ToolKey.objects.filter(kid=old.kid).exists()


@pytest.mark.urls("tests.support.admin_urls")
class TestToolKeyAdmin:
    def test_it_shows_the_public_key_and_never_the_private_one(self, admin_client):
        key = active_tool_key()
        private_body = key.private_key_pem.splitlines()[1]

        response = admin_client.get(f"/admin/lti/toolkey/{key.pk}/change/")

        assert response.status_code == 200
        content = response.content.decode()
        assert key.public_key_pem.splitlines()[1] in content
        assert private_body not in content
        assert "PRIVATE KEY" not in content

    def test_keys_cannot_be_added_or_deleted_from_the_admin(self, admin_client):
        key = active_tool_key()

        assert admin_client.get("/admin/lti/toolkey/add/").status_code == 403
        assert admin_client.post(f"/admin/lti/toolkey/{key.pk}/delete/").status_code == 403
        assert ToolKey.objects.filter(pk=key.pk).exists()
