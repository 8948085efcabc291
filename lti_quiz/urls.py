from django.conf import settings
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from lti_quiz.lib.metrics import metrics_view
from lti_quiz.quiz.media import media_serve

urlpatterns = [
    # Browsers ask for /favicon.ico whatever the page says; the icon is a static file.
    path("favicon.ico", RedirectView.as_view(url=static("lti_quiz/favicon.svg"), permanent=True)),
    path("admin/", admin.site.urls),
    path("metrics", metrics_view, name="metrics"),
    path("lti/", include("lti_quiz.activity.urls")),
    path("lti/", include("lti_quiz.lti.urls")),
    path("api/", include("lti_quiz.api.urls")),
    # Question media, content-addressed (quiz.MediaFile).
    re_path(r"^media/q/(?P<sha256>[0-9a-f]{64})/(?P<filename>[\w.-]{1,200})$", media_serve),
    path("", include("lti_quiz.lti.home_urls")),
]

if settings.PRACTICE_LMS:
    urlpatterns.append(path("practice-lms/", include("lti_quiz.practice_lms.urls")))
