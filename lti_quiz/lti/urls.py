from django.urls import path

from lti_quiz.lti import keys, registration_views, views

app_name = "lti"

# The paths an LMS admin types in are fixed: /lti/login/, /lti/launch/, /lti/jwks/.
# The pages a launch opens (/lti/activity/..., /lti/deep-link/...) are the activity room's
# (activity/urls.py); the launch sends the browser there by URL name.
urlpatterns: list = [
    path("login/", views.login, name="login"),
    path("launch/", views.launch, name="launch"),
    path("jwks/", keys.jwks_view, name="jwks"),
    path("register/", registration_views.register, name="register"),
    path("canvas.json", registration_views.canvas_json, name="canvas_json"),
]
