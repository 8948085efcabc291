from django.urls import path

from lti_quiz.lti import activity_views, results_views
from lti_quiz.lti.submission_review_views import review as submission_review
from lti_quiz.lti.submission_review_views import submission

app_name = "activity"

urlpatterns = [
    path("<str:launch_id>/", activity_views.home, name="home"),
    path("<str:launch_id>/quiz/", activity_views.quiz, name="quiz"),
    path("<str:launch_id>/attempts/<int:number>/", activity_views.result, name="result"),
    path("<str:launch_id>/grade/", activity_views.grade_status, name="grade_status"),
    path("<str:launch_id>/results/", results_views.results, name="results"),
    path("<str:launch_id>/results/export.csv", results_views.results_export, name="results_csv"),
    path("<str:launch_id>/results/resend/", results_views.resend, name="results_resend"),
    path("<str:launch_id>/results/settings/", results_views.settings, name="results_settings"),
    path(
        "<str:launch_id>/results/resend-failed/",
        results_views.resend_failed,
        name="results_resend_failed",
    ),
    path(
        "<str:launch_id>/results/review/<int:response_id>/",
        results_views.review,
        name="results_review",
    ),
]
urlpatterns += [
    path("<str:launch_id>/submission/", submission, name="submission"),
    path(
        "<str:launch_id>/submission/review/<int:response_id>/",
        submission_review,
        name="submission_review",
    ),
]
