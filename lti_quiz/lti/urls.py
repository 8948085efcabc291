from django.urls import include, path

app_name = "lti"

# The paths an LMS admin types in are fixed: /lti/login/, /lti/launch/, /lti/jwks/.
urlpatterns: list = [
    path("activity/", include("lti_quiz.lti.activity_urls")),
]
