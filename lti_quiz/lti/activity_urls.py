from django.urls import path

from lti_quiz.lti import activity_views

app_name = "activity"

urlpatterns = [
    path("<str:launch_id>/", activity_views.home, name="home"),
    path("<str:launch_id>/quiz/", activity_views.quiz, name="quiz"),
    path("<str:launch_id>/attempts/<int:number>/", activity_views.result, name="result"),
    path("<str:launch_id>/grade/", activity_views.grade_status, name="grade_status"),
]
