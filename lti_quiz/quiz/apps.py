from django.apps import AppConfig


class QuizConfig(AppConfig):
    name = "lti_quiz.quiz"
    label = "quiz"
    verbose_name = "Quizzes"
