"""Archiving and restoring a single lesson or question, offered where deleting one is refused
because learners have used it. Archiving has a confirmation page (GET) and happens on POST;
restoring is a POST from the course outline or the quiz page. The scope checks are the
workspace's (``views._lesson_or_404``, ``views._question_or_404``: 404 outside it)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from courses import authoring
from quizzes import authoring as quiz_authoring

from .views import GET_POST, _lesson_or_404, _outline_url, _question_or_404


def _question_url(question) -> str:
    return reverse("teaching:quiz", args=[question.quiz_id]) + f"#question-{question.pk}"


@login_required
@require_http_methods(GET_POST)
def lesson_archive(request, pk):
    lesson = _lesson_or_404(request, pk)
    if request.method == "POST":
        if authoring.lesson_archive(lesson=lesson, actor=request.user):
            messages.success(request, _("The lesson is archived. Learners no longer see it."))
        else:
            messages.info(request, _("The lesson was already archived."))
        return redirect(_outline_url(lesson.course_id, f"lesson-{lesson.pk}"))
    return render(
        request,
        "teaching/confirm_archive.html",
        {
            "course": lesson.course,
            "kind": "lesson",
            "title": lesson.title,
            "cancel_url": _outline_url(lesson.course_id, f"lesson-{lesson.pk}"),
        },
    )


@login_required
@require_POST
def lesson_restore(request, pk):
    lesson = _lesson_or_404(request, pk)
    if authoring.lesson_restore(lesson=lesson, actor=request.user):
        messages.success(request, _("The lesson is restored. Learners see it again."))
    else:
        messages.info(request, _("The lesson was not archived."))
    return redirect(_outline_url(lesson.course_id, f"lesson-{lesson.pk}"))


@login_required
@require_http_methods(GET_POST)
def question_archive(request, pk):
    question = _question_or_404(request, pk)
    if request.method == "POST":
        if quiz_authoring.question_archive(question=question, actor=request.user):
            messages.success(
                request, _("The question is archived. New attempts will not include it.")
            )
        else:
            messages.info(request, _("The question was already archived."))
        return redirect(_question_url(question))
    return render(
        request,
        "teaching/confirm_archive.html",
        {
            "course": question.quiz.course,
            "quiz": question.quiz,
            "kind": "question",
            "title": question.text,
            "cancel_url": _question_url(question),
        },
    )


@login_required
@require_POST
def question_restore(request, pk):
    question = _question_or_404(request, pk)
    if quiz_authoring.question_restore(question=question, actor=request.user):
        messages.success(request, _("The question is restored. New attempts may include it."))
    else:
        messages.info(request, _("The question was not archived."))
    return redirect(_question_url(question))
