from django.urls import path

from lti_quiz.lti import home_views

urlpatterns = [
    path("", home_views.home, name="home"),
    path("health/", home_views.health, name="health"),
]
