from django.urls import path

from lti_quiz.lti import keys, views

app_name = "lti"

# The paths an LMS admin types in are fixed: /lti/login/, /lti/launch/, /lti/jwks/.
# The activity pages (/lti/activity/...) are mounted in the root URLconf as "activity".
urlpatterns: list = [
    path("login/", views.login, name="login"),
    path("launch/", views.launch, name="launch"),
    path("jwks/", keys.jwks_view, name="jwks"),
]
