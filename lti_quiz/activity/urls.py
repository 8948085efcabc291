"""The pages a launch opens, under /lti/ next to the protocol's own URLs (lti/urls.py): the
activity (/lti/activity/<launch id>/...) and the deep-linking picker (/lti/deep-link/<id>/).
The launch view sends the browser here by these names."""

from django.urls import path

from lti_quiz.activity import (
    analysis_views,
    grade_sync_views,
    overrides_views,
    picker_views,
    results_views,
)
from lti_quiz.activity import views as activity_views
from lti_quiz.activity.submission_review_views import review as submission_review
from lti_quiz.activity.submission_review_views import submission

app_name = "activity"

urlpatterns = [
    path("deep-link/<str:deep_link_id>/", picker_views.picker, name="deep_link"),
]
# The activity of one launch: the launch id in the URL is the secret (cookies do not survive an
# iframe with third-party cookies blocked).
pages = [
    ("", activity_views.home, "home"),
    ("quiz/", activity_views.quiz, "quiz"),
    ("quiz/save/", activity_views.quiz_save, "quiz_save"),
    ("quiz/go/", activity_views.quiz_go, "quiz_go"),
    ("quiz/summary/", activity_views.quiz_summary, "quiz_summary"),
    ("attempts/<int:number>/", activity_views.result, "result"),
    ("grade/", activity_views.grade_status, "grade_status"),
    ("results/", results_views.results, "results"),
    ("results/export.csv", results_views.results_export, "results_csv"),
    ("results/resend/", results_views.resend, "results_resend"),
    ("results/roster/", results_views.roster_refresh, "results_roster"),
    ("results/settings/", results_views.settings, "results_settings"),
    ("results/learner/", overrides_views.learner, "results_learner"),
    ("results/resend-failed/", results_views.resend_failed, "results_resend_failed"),
    ("results/review/<int:response_id>/", results_views.review, "results_review"),
    ("results/analysis/", analysis_views.analysis, "analysis"),
    ("results/analysis/export/<str:what>/", analysis_views.export, "analysis_export"),
    ("results/resend-all/", grade_sync_views.resend_all, "results_resend_all"),
    ("results/lineitem-retry/", grade_sync_views.lineitem_retry, "results_lineitem_retry"),
    ("results/grades/", grade_sync_views.history, "results_grade_history"),
    ("submission/", submission, "submission"),
    ("submission/review/<int:response_id>/", submission_review, "submission_review"),
]
urlpatterns += [
    path(f"activity/<str:launch_id>/{route}", view, name=name) for route, view, name in pages
]
