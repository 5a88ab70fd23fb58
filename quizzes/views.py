from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses import selectors as course_selectors
from courses.permissions import can_view_course

from . import permissions, selectors, services
from .forms import GradeOverrideForm
from .models import Attempt, AttemptStatus


def _course_and_quiz(request, slug, quiz_id):
    course = course_selectors.course_by_slug(slug=slug, with_quizzes=False)
    if course is None:
        raise Http404
    enrollment = course_selectors.enrollment_for(user=request.user, course=course)
    if not can_view_course(request.user, course, enrollment):
        raise Http404
    quiz = selectors.quiz_in_course(course=course, quiz_id=quiz_id)
    if quiz is None:
        raise Http404
    quiz.course = course
    return course, quiz, enrollment


def _own_attempt(request, slug, quiz_id, attempt_id, *, lock: bool = False):
    """The course, quiz, enrollment and the learner's own attempt at the quiz: the course from
    the cache, then two queries; anybody else's attempt is a 404. ``lock``: inside the caller's
    transaction, one query instead, which finds the enrollment with the attempt and takes both
    rows' locks (``selectors.learner_attempt_locked``)."""
    course = course_selectors.course_by_slug(slug=slug, with_quizzes=False)
    if course is None:
        raise Http404
    if lock:
        attempt = selectors.learner_attempt_locked(
            user=request.user, course=course, quiz_id=quiz_id, attempt_id=attempt_id
        )
        enrollment = attempt.enrollment if attempt is not None else None
    else:
        enrollment = course_selectors.enrollment_for(user=request.user, course=course)
        attempt = selectors.learner_attempt(
            enrollment=enrollment, course=course, quiz_id=quiz_id, attempt_id=attempt_id
        )
    if enrollment is None or not can_view_course(request.user, course, enrollment):
        raise Http404
    if attempt is None or not permissions.owns_attempt(request.user, attempt):
        raise Http404
    return course, attempt.quiz, enrollment, attempt


@login_required
def quiz_detail(request, slug, quiz_id):
    course, quiz, enrollment = _course_and_quiz(request, slug, quiz_id)
    if not permissions.can_view_quiz(request.user, quiz, enrollment):
        messages.info(request, _("Enrol in the course to take its quizzes."))
        return redirect("courses:detail", slug=course.slug)
    attempts = selectors.attempts_of(quiz=quiz, enrollment=enrollment)
    used = len(attempts)
    open_attempt = next((a for a in attempts if a.status == AttemptStatus.IN_PROGRESS), None)
    return render(
        request,
        "quizzes/quiz_detail.html",
        {
            "course": course,
            "quiz": quiz,
            "attempts": attempts,
            "open_attempt": open_attempt,
            "counted": selectors.counted_attempt(quiz, attempts),
            "attempts_left": None if quiz.attempt_limit is None else quiz.attempt_limit - used,
            "can_take": permissions.can_take_quiz(request.user, quiz, enrollment),
            "can_grade": permissions.can_grade_quiz(request.user, quiz),
            "question_count": selectors.pool_question_count(quiz=quiz),
        },
    )


@login_required
@require_POST
def quiz_start(request, slug, quiz_id):
    course, quiz, enrollment = _course_and_quiz(request, slug, quiz_id)
    if not permissions.can_take_quiz(request.user, quiz, enrollment):
        raise Http404
    try:
        attempt = services.attempt_start(enrollment=enrollment, quiz=quiz)
    except services.QuizError as exc:
        messages.error(request, str(exc))
        return redirect("quizzes:detail", slug=course.slug, quiz_id=quiz.pk)
    return redirect("quizzes:attempt", slug=course.slug, quiz_id=quiz.pk, attempt_id=attempt.pk)


@login_required
def attempt_take(request, slug, quiz_id, attempt_id):
    if request.method == "POST":
        return _attempt_post(request, slug, quiz_id, attempt_id)
    course, quiz, enrollment, attempt = _own_attempt(request, slug, quiz_id, attempt_id)
    if attempt.status != AttemptStatus.IN_PROGRESS:
        return redirect("quizzes:result", course.slug, quiz.pk, attempt.pk)
    if not enrollment.is_open:
        messages.info(request, _("Enrol in the course to take its quizzes."))
        return redirect("courses:detail", slug=course.slug)
    now = timezone.now()
    if attempt.deadline_passed(now):
        services.attempts_close_expired(now=now)
        return redirect("quizzes:result", course.slug, quiz.pk, attempt.pk)
    return _render_paper(request, course, quiz, attempt, now)


def _attempt_post(request, slug, quiz_id, attempt_id):
    """Save or submit the paper. The read that finds the learner's attempt locks it and the
    enrollment, and the service writes under those locks: one query fewer per submit."""
    now = timezone.now()
    submitting = request.POST.get("action") == "submit"
    with transaction.atomic():
        course, quiz, _enrollment, attempt = _own_attempt(
            request, slug, quiz_id, attempt_id, lock=True
        )
        result_url = ("quizzes:result", course.slug, quiz.pk, attempt.pk)
        if attempt.status != AttemptStatus.IN_PROGRESS:
            return redirect(*result_url)
        if not attempt.enrollment.is_open:
            messages.info(request, _("Enrol in the course to take its quizzes."))
            return redirect("courses:detail", slug=course.slug)
        try:
            if submitting:
                attempt, saved = services.attempt_submit(
                    attempt=attempt, data=request.POST, now=now, already_locked=True
                )
            else:
                saved = services.attempt_save(
                    attempt=attempt, data=request.POST, now=now, already_locked=True
                )
        except services.QuizError as exc:
            messages.error(request, str(exc))
            return redirect(*result_url)
    if saved.late:
        messages.warning(
            request, _("The time limit had passed; answers sent after it were not counted.")
        )
    if submitting:
        for error in saved.errors.values():
            messages.warning(request, _("An answer was not saved: %(e)s") % {"e": error})
        return redirect(*result_url)
    if saved.late:
        # After the commit: the sweep closes each attempt in a transaction of its own.
        services.attempts_close_expired(now=now)
        return redirect(*result_url)
    if not saved.errors:
        messages.success(request, _("Your answers are saved. You can continue later."))
        return redirect("quizzes:attempt", course.slug, quiz.pk, attempt.pk)
    return _render_paper(request, course, quiz, attempt, now, errors=saved.errors)


def _render_paper(request, course, quiz, attempt, now, errors=None):
    errors = errors or {}
    paper = selectors.attempt_paper(attempt)
    for question in paper:
        question.error = errors.get(question.id, "")
    return render(
        request,
        "quizzes/attempt_take.html",
        {
            "course": course,
            "quiz": quiz,
            "attempt": attempt,
            "paper": paper,
            "errors": errors,
            "seconds_left": (
                max(0, int((attempt.deadline - now).total_seconds())) if attempt.deadline else None
            ),
        },
        status=400 if errors else 200,
    )


@login_required
def attempt_result(request, slug, quiz_id, attempt_id):
    course, quiz, enrollment, attempt = _own_attempt(request, slug, quiz_id, attempt_id)
    if attempt.status == AttemptStatus.IN_PROGRESS:
        return redirect("quizzes:attempt", course.slug, quiz.pk, attempt.pk)
    show_responses = permissions.can_see_responses(attempt)
    return render(
        request,
        "quizzes/attempt_result.html",
        {
            "course": course,
            "quiz": quiz,
            "attempt": attempt,
            "enrollment": enrollment,
            "show_responses": show_responses,
            "show_solutions": permissions.can_see_solutions(attempt),
            "review": selectors.attempt_review(attempt) if show_responses else [],
        },
    )


@login_required
def quiz_report(request, slug, quiz_id):
    course, quiz, _enrollment = _course_and_quiz(request, slug, quiz_id)
    if not permissions.can_grade_quiz(request.user, quiz):
        raise Http404
    return render(
        request,
        "quizzes/quiz_report.html",
        {
            "course": course,
            "quiz": quiz,
            "attempts": selectors.quiz_attempts_for_trainer(quiz=quiz),
            "stats": selectors.quiz_question_stats(quiz=quiz),
        },
    )


def _attempt_for_grader(request, slug, quiz_id, attempt_id):
    course, quiz, _enrollment = _course_and_quiz(request, slug, quiz_id)
    if not permissions.can_grade_quiz(request.user, quiz):
        raise Http404
    attempt = (
        Attempt.objects.select_related("enrollment__user", "overridden_by")
        .filter(pk=attempt_id, quiz=quiz)
        .first()
    )
    if attempt is None:
        raise Http404
    return course, quiz, attempt


def _render_review(request, course, quiz, attempt, form=None, status=200):
    finished = attempt.status in services.FINISHED
    if form is None and finished:
        form = GradeOverrideForm(max_score=attempt.max_score, initial={"score": attempt.score})
    return render(
        request,
        "quizzes/attempt_review.html",
        {
            "course": course,
            "quiz": quiz,
            "attempt": attempt,
            "review": selectors.attempt_review(attempt),
            "override_form": form if finished else None,
        },
        status=status,
    )


@login_required
def attempt_review_for_trainer(request, slug, quiz_id, attempt_id):
    course, quiz, attempt = _attempt_for_grader(request, slug, quiz_id, attempt_id)
    return _render_review(request, course, quiz, attempt)


@login_required
@require_POST
def attempt_override_grade(request, slug, quiz_id, attempt_id):
    course, quiz, attempt = _attempt_for_grader(request, slug, quiz_id, attempt_id)
    if attempt.status not in services.FINISHED:
        raise Http404
    form = GradeOverrideForm(request.POST, max_score=attempt.max_score)
    if not form.is_valid():
        return _render_review(request, course, quiz, attempt, form=form, status=400)
    try:
        attempt = services.attempt_override_grade(
            attempt=attempt,
            score=form.cleaned_data["score"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
    except services.QuizError as exc:
        form.add_error(None, str(exc))
        return _render_review(request, course, quiz, attempt, form=form, status=400)
    messages.success(request, _("The grade was overridden."))
    return redirect("quizzes:review", course.slug, quiz.pk, attempt.pk)
