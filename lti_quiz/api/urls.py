"""/api/v1/ (the resources), /api/schema/ (OpenAPI 3) and /api/docs/ (Swagger UI).

URL names are in the "api" namespace: api:question-list, api:question-detail,
api:question-versions, api:bank-import, api:bank-export, api:schema, api:docs, ...
"""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from lti_quiz.api.banks import BankViewSet
from lti_quiz.api.errors import not_found_view
from lti_quiz.api.lessons import LessonViewSet
from lti_quiz.api.questions import QuestionViewSet
from lti_quiz.api.quizzes import QuizViewSet

app_name = "api"

router = SimpleRouter()
router.register("banks", BankViewSet, basename="bank")
router.register("lessons", LessonViewSet, basename="lesson")
router.register("questions", QuestionViewSet, basename="question")
router.register("quizzes", QuizViewSet, basename="quiz")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    # Anything else under /api/ answers in the API's error format, not an HTML page.
    re_path(r"^(?P<path>.*)$", not_found_view, name="not-found"),
]
