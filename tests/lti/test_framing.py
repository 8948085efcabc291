import pytest
from django.core.checks import run_checks
from django.http import HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware

from lti_quiz.lti.framing import lms_framed, origin_of, registered_frame_origins
from lti_quiz.lti.models import Registration
from lti_quiz.lti.registrations import registration_upsert


@lms_framed
def framed_page(request):
    return HttpResponse("inside the LMS")


def serve(view, request):
    # Through the middleware that would otherwise add X-Frame-Options: DENY.
    return XFrameOptionsMiddleware(view)(request)


def register(*, issuer: str, client_id: str = "1", login: str = "", **extra) -> Registration:
    registration = registration_upsert(
        name="LMS",
        issuer=issuer,
        client_id=client_id,
        auth_login_url=login or f"{issuer}/auth",
        auth_token_url=f"{issuer}/token",
        key_set_url=f"{issuer}/jwks",
        deployment_ids=["1"],
    )
    if extra:
        Registration.objects.filter(pk=registration.pk).update(**extra)
    return registration


@pytest.fixture
def canvas(db):
    return register(
        issuer="https://canvas.instructure.com",
        login="https://sso.canvaslms.com/api/lti/authorize_redirect",
    )


@pytest.mark.django_db
class TestLmsFramed:
    def test_the_header_lists_the_registered_origins_and_no_x_frame_options(self, rf, canvas):
        response = serve(framed_page, rf.get("/"))

        assert "X-Frame-Options" not in response
        assert response["Content-Security-Policy"] == (
            "frame-ancestors 'self' https://canvas.instructure.com https://sso.canvaslms.com"
        )

    def test_a_page_without_the_decorator_is_still_denied(self, rf, canvas):
        response = serve(lambda request: HttpResponse("plain"), rf.get("/"))

        assert response["X-Frame-Options"] == "DENY"

    def test_an_origin_header_never_widens_the_frame_ancestors(self, rf, canvas):
        request = rf.get(
            "/", HTTP_ORIGIN="https://evil.example", HTTP_REFERER="https://evil.example/"
        )

        response = serve(framed_page, request)

        assert "evil" not in response["Content-Security-Policy"]

    def test_extra_frame_origins_are_included_and_junk_lines_ignored(self, rf):
        register(
            issuer="http://localhost:8000/practice-lms",
            frame_origins="\n".join(
                [
                    "https://*.instructure.com/",
                    "not a url",
                    "https://evil.example; script-src *",
                    "http://moodle:8080/course/view.php?id=2",
                ]
            ),
        )

        header = serve(framed_page, rf.get("/"))["Content-Security-Policy"]

        assert header == (
            "frame-ancestors 'self' http://localhost:8000 http://moodle:8080 https://*.instructure.com"
        )

    def test_inactive_registrations_may_not_frame_the_tool(self, rf, canvas):
        register(issuer="https://old-moodle.example.edu", is_active=False)

        header = serve(framed_page, rf.get("/"))["Content-Security-Policy"]

        assert "old-moodle" not in header

    def test_the_cached_origins_are_forgotten_when_a_registration_is_added(self, rf, canvas):
        serve(framed_page, rf.get("/"))  # Fills the cache.

        register(issuer="https://moodle.example.edu", login="https://moodle.example.edu/auth.php")
        header = serve(framed_page, rf.get("/"))["Content-Security-Policy"]

        assert "https://moodle.example.edu" in header

    def test_the_cached_origins_are_forgotten_when_a_registration_is_deleted(self, rf, canvas):
        assert "https://canvas.instructure.com" in registered_frame_origins()

        canvas.delete()

        assert registered_frame_origins() == []


class TestOriginOf:
    @pytest.mark.parametrize(
        ("url", "origin"),
        [
            ("https://Canvas.Instructure.com/path?q=1", "https://canvas.instructure.com"),
            ("https://lms.example.edu:443/", "https://lms.example.edu"),
            ("http://127.0.0.1:8000/practice-lms", "http://127.0.0.1:8000"),
            ("http://[::1]:8000/x", "http://[::1]:8000"),
            ("  https://lms.example.edu  ", "https://lms.example.edu"),
        ],
    )
    def test_it_keeps_scheme_host_and_port(self, url, origin):
        assert origin_of(url) == origin

    @pytest.mark.parametrize(
        "url",
        [
            "",
            "lms.example.edu",
            "javascript:alert(1)",
            "https://lms.example.edu:99999/",
            "https://*.instructure.com",
            "https://a.example 'unsafe-inline'",
            "https://a_b.example",
        ],
    )
    def test_it_refuses_what_is_not_an_origin(self, url):
        assert origin_of(url) is None


class TestChecks:
    def test_a_per_process_cache_is_warned_about(self, settings):
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

        ids = {message.id for message in run_checks(tags=["caches"])}

        assert "lti.W001" in ids

    def test_the_shared_cache_of_the_settings_is_fine(self):
        ids = {message.id for message in run_checks(tags=["caches"])}

        assert "lti.W001" not in ids

    def test_python_none_for_samesite_is_an_error(self, settings):
        settings.SESSION_COOKIE_SAMESITE = None

        ids = {message.id for message in run_checks(tags=["security"])}

        assert "lti.E001" in ids

    def test_samesite_none_without_secure_is_warned_about(self, settings):
        settings.SESSION_COOKIE_SAMESITE = "None"
        settings.SESSION_COOKIE_SECURE = False

        ids = {message.id for message in run_checks(tags=["security"])}

        assert "lti.W002" in ids
