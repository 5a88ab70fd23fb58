from django.urls import path

from . import views

app_name = "quizzes"

prefix = "<slug:slug>/quizzes/<int:quiz_id>/"

urlpatterns = [
    path(prefix, views.quiz_detail, name="detail"),
    path(prefix + "start/", views.quiz_start, name="start"),
    path(prefix + "attempts/<int:attempt_id>/", views.attempt_take, name="attempt"),
    path(prefix + "attempts/<int:attempt_id>/result/", views.attempt_result, name="result"),
    path(prefix + "report/", views.quiz_report, name="report"),
    path(
        prefix + "attempts/<int:attempt_id>/review/",
        views.attempt_review_for_trainer,
        name="review",
    ),
    path(
        prefix + "attempts/<int:attempt_id>/override/",
        views.attempt_override_grade,
        name="override",
    ),
]
