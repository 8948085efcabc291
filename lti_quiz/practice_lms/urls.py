from django.urls import path

from lti_quiz.practice_lms.views import ags, deep_linking, nrps, oidc, pages, registration, token

app_name = "practice_lms"

urlpatterns = [
    path("", pages.home, name="home"),
    path("gradebook/", pages.gradebook, name="gradebook"),
    path("failure-switch/", pages.failure_switch, name="failure_switch"),
    path("behave-like/", pages.behave_like, name="behave_like"),
    path("launch-language/", pages.launch_language, name="launch_language"),
    path("return/", pages.tool_return, name="return"),
    path("state.json", pages.state, name="state"),
    path("scored.json", pages.scored, name="scored"),
    # The platform's LTI endpoints: what the tool's admin enters for this platform.
    path("launch/<int:person_id>/", oidc.launch, name="launch"),
    path("auth/", oidc.auth, name="auth"),
    # Platform storage (Canvas-style): the course page's hidden frame the tool posts messages to.
    path(
        "post_message_forwarding",
        oidc.post_message_forwarding,
        name="post_message_forwarding",
    ),
    # Submission review: the gradebook's "Review submission" (the instructor's launch).
    path("review/<int:student_id>/", oidc.submission_review, name="submission_review"),
    # Deep linking: the instructor's "Add an activity" and the tool's response.
    path("deep-link/<int:person_id>/", deep_linking.start, name="deep_link"),
    path("deep-link/return/", deep_linking.deep_link_return_view, name="deep_link_return"),
    path("jwks/", oidc.jwks, name="jwks"),
    path("token/", token.token, name="token"),
    # Dynamic registration: the admin's page, the configuration and the registration endpoint.
    path("tools/", registration.tools, name="tools"),
    path(
        ".well-known/openid-configuration",
        registration.openid_configuration,
        name="openid_configuration",
    ),
    path("register/", registration.register_tool, name="register_tool"),
    # Services. URLs as the tool receives them carry ?type_id=<tool> (like Moodle).
    path("ags/<int:course_id>/lineitems", ags.lineitems, name="lineitems"),
    path("ags/<int:course_id>/lineitems/<int:item_id>/lineitem", ags.lineitem, name="lineitem"),
    path("ags/<int:course_id>/lineitems/<int:item_id>/lineitem/scores", ags.scores, name="scores"),
    path(
        "ags/<int:course_id>/lineitems/<int:item_id>/lineitem/results",
        ags.results,
        name="results",
    ),
    path("nrps/<int:course_id>/memberships", nrps.memberships, name="memberships"),
]
