# The question-bank REST API (issue 3) lands here under /api/v1/.
urlpatterns: list = []
