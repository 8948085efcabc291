from django.urls import path

from lti_quiz.lti import deep_linking_views, keys, registration_views, views

app_name = "lti"

# The paths an LMS admin types in are fixed: /lti/login/, /lti/launch/, /lti/jwks/.
# The activity pages (/lti/activity/...) are mounted in the root URLconf as "activity".
urlpatterns: list = [
    path("login/", views.login, name="login"),
    path("launch/", views.launch, name="launch"),
    path("jwks/", keys.jwks_view, name="jwks"),
    path("register/", registration_views.register, name="register"),
    path("canvas.json", registration_views.canvas_json, name="canvas_json"),
    path("deep-link/<str:deep_link_id>/", deep_linking_views.picker, name="deep_link"),
]
