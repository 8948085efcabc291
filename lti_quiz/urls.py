from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("lti/activity/", include("lti_quiz.lti.activity_urls")),
    path("lti/", include("lti_quiz.lti.urls")),
    path("api/", include("lti_quiz.api.urls")),
    path("", include("lti_quiz.lti.home_urls")),
]

if settings.PRACTICE_LMS:
    urlpatterns.append(path("practice-lms/", include("lti_quiz.practice_lms.urls")))
