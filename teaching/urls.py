from django.urls import path

from . import views

app_name = "teaching"

urlpatterns = [
    path("", views.home, name="home"),
    path("courses/new/", views.course_create, name="course_create"),
    path("preview/markdown/", views.markdown_preview, name="markdown_preview"),
    path("courses/<int:pk>/", views.course_detail, name="course"),
    path("courses/<int:pk>/edit/", views.course_edit, name="course_edit"),
    path("courses/<int:pk>/publish/", views.course_publish, name="course_publish"),
    path("courses/<int:pk>/archive/", views.course_archive, name="course_archive"),
    path("courses/<int:pk>/trainers/", views.course_trainers, name="course_trainers"),
    path("courses/<int:pk>/duplicate/", views.course_duplicate, name="course_duplicate"),
    path("courses/<int:pk>/preview/", views.course_learner_preview, name="course_learner_preview"),
    path(
        "courses/<int:pk>/preview/lessons/<int:lesson_id>/",
        views.lesson_learner_preview,
        name="lesson_learner_preview",
    ),
    path("courses/<int:pk>/modules/new/", views.module_create, name="module_create"),
    path("modules/<int:pk>/edit/", views.module_edit, name="module_edit"),
    path("modules/<int:pk>/delete/", views.module_delete, name="module_delete"),
    path("modules/<int:pk>/move/", views.module_move, name="module_move"),
    path("courses/<int:pk>/modules/order/", views.module_order, name="module_order"),
    path("modules/<int:pk>/lessons/order/", views.lesson_order, name="lesson_order"),
    path("modules/<int:pk>/lessons/new/", views.lesson_create, name="lesson_create"),
    path("lessons/<int:pk>/edit/", views.lesson_edit, name="lesson_edit"),
    path("lessons/<int:pk>/delete/", views.lesson_delete, name="lesson_delete"),
    path("lessons/<int:pk>/move/", views.lesson_move, name="lesson_move"),
    path("lessons/<int:pk>/attachments/new/", views.attachment_create, name="attachment_create"),
    path("attachments/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path("courses/<int:pk>/quizzes/new/", views.quiz_create, name="quiz_create"),
    path("quizzes/<int:pk>/", views.quiz_detail, name="quiz"),
    path("quizzes/<int:pk>/edit/", views.quiz_edit, name="quiz_edit"),
    path("quizzes/<int:pk>/regrade/", views.quiz_regrade, name="quiz_regrade"),
    path("quizzes/<int:pk>/preview/", views.quiz_preview, name="quiz_preview"),
    path("quizzes/<int:pk>/import/", views.quiz_import, name="quiz_import"),
    path("quizzes/<int:pk>/questions/new/", views.question_create, name="question_create"),
    path("questions/<int:pk>/edit/", views.question_edit, name="question_edit"),
    path("questions/<int:pk>/delete/", views.question_delete, name="question_delete"),
    path("questions/<int:pk>/move/", views.question_move, name="question_move"),
    path("quizzes/<int:pk>/questions/order/", views.question_order, name="question_order"),
]
