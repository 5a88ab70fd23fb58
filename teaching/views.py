"""The trainer's workspace: thin views that check the permission, parse the form, call one
authoring service and render. Everyone outside a course's scope gets 404, also on a crafted
POST."""

import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import is_trainer
from certificates import services as certificate_services
from courses import authoring
from courses import pages as course_pages
from courses import selectors as course_selectors
from courses import services as course_services
from courses.models import Course, CourseStatus, Lesson, Module
from courses.templatetags.lms_html import lang_attr
from courses.text import render_markdown
from lms import boundary
from quizzes import authoring as quiz_authoring
from quizzes.aiken import parse_aiken
from quizzes.csv_import import parse_csv, true_false_labels
from quizzes.gift import parse_gift
from quizzes.models import Question, Quiz

from . import markup, permissions, preview, regrade, selectors, services
from .forms import (
    AttachmentForm,
    CourseForm,
    DuplicateCourseForm,
    LessonForm,
    ModuleForm,
    QuestionForm,
    QuestionImportForm,
    QuizForm,
    TrainersForm,
    add_service_errors,
)

GET_POST = ["GET", "POST"]


def _require_workspace(user) -> None:
    if not permissions.can_open_workspace(user):
        raise Http404


def _course_or_404(request, pk: int) -> Course:
    _require_workspace(request.user)
    course = selectors.authored_course(pk=pk)
    if course is None or not permissions.can_author_course(request.user, course):
        raise Http404
    return course


def _module_or_404(request, pk: int) -> Module:
    _require_workspace(request.user)
    module = selectors.module_in_scope(pk=pk)
    if module is None or not permissions.can_author_course(request.user, module.course):
        raise Http404
    return module


def _lesson_or_404(request, pk: int) -> Lesson:
    _require_workspace(request.user)
    lesson = selectors.lesson_in_scope(pk=pk)
    if lesson is None or not permissions.can_author_course(request.user, lesson.course):
        raise Http404
    return lesson


def _posted(request, *, files: bool = False):
    """The submitted data of a POST, even an empty one (so it shows its field errors)."""
    if request.method != "POST":
        return None
    return request.FILES if files else request.POST


def _outline_url(course_id: int, anchor: str = "") -> str:
    url = reverse("teaching:course", args=[course_id])
    return f"{url}#{anchor}" if anchor else url


@login_required
@require_GET
def home(request):
    _require_workspace(request.user)
    rows = selectors.workspace_courses(user=request.user)
    return render(
        request,
        "teaching/home.html",
        {"rows": rows, "rows_html": markup.workspace_rows_html(rows)},
    )


@login_required
@require_http_methods(GET_POST)
def course_create(request):
    _require_workspace(request.user)
    form = CourseForm(_posted(request), _posted(request, files=True))
    if request.method == "POST" and form.is_valid():
        trainers = [request.user] if is_trainer(request.user) else []
        data = dict(form.cleaned_data)
        template = data.pop("certificate_template")
        try:
            # One submission, one transaction: the course and its certificate template.
            with transaction.atomic():
                course = authoring.course_create(actor=request.user, trainers=trainers, **data)
                if template is not None:
                    certificate_services.course_set_certificate_template(
                        course=course, template=template, actor=request.user
                    )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The course was created as a draft."))
            return redirect("teaching:course", pk=course.pk)
    return render(request, "teaching/course_form.html", {"form": form, "course": None})


@login_required
@require_GET
def course_detail(request, pk):
    course = _course_or_404(request, pk)
    outline = selectors.course_outline(course=course)
    return render(
        request,
        "teaching/course_detail.html",
        {
            "course": course,
            "modules": outline.modules,
            "modules_html": markup.outline_html(
                outline,
                course_id=course.pk,
                lang=lang_attr(course.language),
                csrf_token=get_token(request),
            ),
            "final_exams": outline.final_exams,
            "statuses": CourseStatus,
        },
    )


@login_required
@require_http_methods(GET_POST)
def course_edit(request, pk):
    course = _course_or_404(request, pk)
    # The form works on its own copy: the service compares the stored values with the new ones.
    form = CourseForm(
        _posted(request),
        _posted(request, files=True),
        instance=Course.objects.get(pk=course.pk),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        template = data.pop("certificate_template")
        try:
            with transaction.atomic():
                changed = authoring.course_update(course=course, actor=request.user, data=data)
                if "certificate_template" in form.changed_data:
                    certificate_services.course_set_certificate_template(
                        course=course, template=template, actor=request.user
                    )
                    changed.append("certificate_template")
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if changed:
                messages.success(request, _("The course settings were saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("teaching:course", pk=course.pk)
    return render(request, "teaching/course_form.html", {"form": form, "course": course})


def _course_status_view(request, pk, *, action: str):
    course = _course_or_404(request, pk)
    if request.method == "POST":
        try:
            if action == "publish":
                authoring.course_publish(course=course, actor=request.user)
                messages.success(request, _("The course is published."))
            else:
                authoring.course_archive(course=course, actor=request.user)
                messages.success(request, _("The course is archived."))
        except authoring.AuthoringError as error:
            messages.error(request, str(error))
        return redirect("teaching:course", pk=course.pk)
    return render(request, "teaching/course_status.html", {"course": course, "action": action})


@login_required
@require_http_methods(GET_POST)
def course_publish(request, pk):
    return _course_status_view(request, pk, action="publish")


@login_required
@require_http_methods(GET_POST)
def course_archive(request, pk):
    return _course_status_view(request, pk, action="archive")


@login_required
@require_http_methods(GET_POST)
def module_create(request, pk):
    course = _course_or_404(request, pk)
    form = ModuleForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            module = authoring.module_create(
                course=course, title=form.cleaned_data["title"], actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The module was added."))
            return redirect(_outline_url(course.pk, f"module-{module.pk}"))
    return render(
        request, "teaching/module_form.html", {"form": form, "course": course, "module": None}
    )


@login_required
@require_http_methods(GET_POST)
def module_edit(request, pk):
    module = _module_or_404(request, pk)
    form = ModuleForm(_posted(request), instance=Module.objects.get(pk=module.pk))
    if request.method == "POST" and form.is_valid():
        try:
            authoring.module_update(module=module, title=form.cleaned_data["title"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The module was saved."))
            return redirect(_outline_url(module.course_id, f"module-{module.pk}"))
    return render(
        request,
        "teaching/module_form.html",
        {"form": form, "course": module.course, "module": module},
    )


@login_required
@require_http_methods(GET_POST)
def module_delete(request, pk):
    module = _module_or_404(request, pk)
    if request.method == "POST":
        try:
            authoring.module_delete(module=module, actor=request.user)
        except authoring.AuthoringError as error:
            messages.error(request, str(error))
            return redirect(_outline_url(module.course_id, f"module-{module.pk}"))
        messages.success(request, _("The module was deleted."))
        return redirect("teaching:course", pk=module.course_id)
    return render(
        request,
        "teaching/confirm_delete.html",
        {"course": module.course, "object": module, "kind": "module"},
    )


def _step(request) -> int | None:
    return {"up": -1, "down": 1}.get(request.POST.get("direction", ""))


@login_required
@require_POST
def module_move(request, pk):
    module = _module_or_404(request, pk)
    step = _step(request)
    if step is None or not authoring.module_move(module=module, step=step):
        messages.error(request, _("The module cannot move that way."))
    return redirect(_outline_url(module.course_id, f"module-{module.pk}"))


@login_required
@require_http_methods(GET_POST)
def lesson_create(request, pk):
    module = _module_or_404(request, pk)
    return _lesson_form(request, module=module, lesson=None)


@login_required
@require_http_methods(GET_POST)
def lesson_edit(request, pk):
    lesson = _lesson_or_404(request, pk)
    return _lesson_form(request, module=lesson.module, lesson=lesson)


def _lesson_form(request, *, module: Module, lesson: Lesson | None):
    instance = Lesson.objects.get(pk=lesson.pk) if lesson else Lesson(module=module)
    form = LessonForm(_posted(request), instance=instance)
    preview_html = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            # The learner's view renders through the same sanitiser.
            preview_html = render_markdown(form.cleaned_data["body"])
        else:
            try:
                if lesson is None:
                    saved = authoring.lesson_create(
                        module=module, actor=request.user, **form.cleaned_data
                    )
                else:
                    authoring.lesson_update(lesson=lesson, data=form.cleaned_data)
                    saved = lesson
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The lesson was saved."))
                return redirect(_outline_url(module.course_id, f"lesson-{saved.pk}"))
    return render(
        request,
        "teaching/lesson_form.html",
        {
            "form": form,
            "course": module.course,
            "module": module,
            "lesson": lesson,
            "attachments": list(lesson.attachments.all()) if lesson else [],
            "preview_html": preview_html,
        },
    )


@login_required
@require_http_methods(GET_POST)
def lesson_delete(request, pk):
    lesson = _lesson_or_404(request, pk)
    if request.method == "POST":
        try:
            authoring.lesson_delete(lesson=lesson, actor=request.user)
        except authoring.AuthoringError as error:
            messages.error(request, str(error))
            return redirect(_outline_url(lesson.course_id, f"lesson-{lesson.pk}"))
        messages.success(request, _("The lesson was deleted."))
        return redirect(_outline_url(lesson.course_id, f"module-{lesson.module_id}"))
    return render(
        request,
        "teaching/confirm_delete.html",
        # Deleting a lesson in a learner's record is refused: the page offers archiving.
        {
            "course": lesson.course,
            "object": lesson,
            "kind": "lesson",
            "in_use": lesson.progress.exists(),
        },
    )


@login_required
@require_POST
def lesson_move(request, pk):
    lesson = _lesson_or_404(request, pk)
    step = _step(request)
    if step is None or not authoring.lesson_move(lesson=lesson, step=step):
        messages.error(request, _("The lesson cannot move that way."))
    return redirect(_outline_url(lesson.course_id, f"lesson-{lesson.pk}"))


def _quiz_or_404(request, pk: int) -> Quiz:
    _require_workspace(request.user)
    quiz = selectors.quiz_in_scope(pk=pk)
    if quiz is None or not permissions.can_author_course(request.user, quiz.course):
        raise Http404
    return quiz


def _question_or_404(request, pk: int) -> Question:
    _require_workspace(request.user)
    question = selectors.question_in_scope(pk=pk)
    if question is None or not permissions.can_author_course(request.user, question.quiz.course):
        raise Http404
    return question


@login_required
@require_http_methods(GET_POST)
def quiz_create(request, pk):
    course = _course_or_404(request, pk)
    form = QuizForm(_posted(request), course=course)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        title = data.pop("title")
        try:
            quiz = quiz_authoring.quiz_create(course=course, title=title, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The quiz was created. Add its questions."))
            return redirect("teaching:quiz", pk=quiz.pk)
    return render(
        request, "teaching/quiz_form.html", {"form": form, "course": course, "quiz": None}
    )


@login_required
@require_GET
def quiz_detail(request, pk):
    quiz = _quiz_or_404(request, pk)
    questions = selectors.quiz_questions(quiz=quiz)
    return render(
        request,
        "teaching/quiz_detail.html",
        {"quiz": quiz, "course": quiz.course, "questions": questions},
    )


@login_required
@require_http_methods(GET_POST)
def quiz_edit(request, pk):
    quiz = _quiz_or_404(request, pk)
    form = QuizForm(_posted(request), instance=Quiz.objects.get(pk=quiz.pk), course=quiz.course)
    if request.method == "POST" and form.is_valid():
        try:
            quiz_authoring.quiz_update(quiz=quiz, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The quiz was saved."))
            return redirect("teaching:quiz", pk=quiz.pk)
    return render(
        request, "teaching/quiz_form.html", {"form": form, "course": quiz.course, "quiz": quiz}
    )


def _question_form(request, *, quiz: Quiz, question: Question | None):
    choices = list(question.choices.order_by("position", "pk")) if question else []
    instance = Question.objects.get(pk=question.pk) if question else Question(quiz=quiz)
    form = QuestionForm(_posted(request), instance=instance, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            saved = quiz_authoring.question_save(
                quiz=quiz, question=question, data=form.question_data(), choices=form.choices()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except quiz_authoring.AuthoringError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The question was saved."))
            return redirect(reverse("teaching:quiz", args=[quiz.pk]) + f"#question-{saved.pk}")
    return render(
        request,
        "teaching/question_form.html",
        {"form": form, "course": quiz.course, "quiz": quiz, "question": question},
    )


@login_required
@require_http_methods(GET_POST)
def question_create(request, pk):
    quiz = _quiz_or_404(request, pk)
    return _question_form(request, quiz=quiz, question=None)


@login_required
@require_http_methods(GET_POST)
def question_edit(request, pk):
    question = _question_or_404(request, pk)
    return _question_form(request, quiz=question.quiz, question=question)


@login_required
@require_http_methods(GET_POST)
def question_delete(request, pk):
    question = _question_or_404(request, pk)
    quiz = question.quiz
    if request.method == "POST":
        try:
            quiz_authoring.question_delete(question=question, actor=request.user)
        except quiz_authoring.AuthoringError as error:
            messages.error(request, str(error))
            return redirect(reverse("teaching:quiz", args=[quiz.pk]) + f"#question-{question.pk}")
        messages.success(request, _("The question was deleted."))
        return redirect("teaching:quiz", pk=quiz.pk)
    return render(
        request,
        "teaching/question_delete.html",
        {
            "course": quiz.course,
            "quiz": quiz,
            "question": question,
            "in_use": question.answers.exists(),
        },
    )


@login_required
@require_POST
def question_move(request, pk):
    question = _question_or_404(request, pk)
    step = _step(request)
    if step is None or not quiz_authoring.question_move(question=question, step=step):
        messages.error(request, _("The question cannot move that way."))
    return redirect(reverse("teaching:quiz", args=[question.quiz_id]) + f"#question-{question.pk}")


@login_required
@require_http_methods(GET_POST)
def quiz_import(request, pk):
    """Aiken, GIFT or CSV import: a preview lists what will be added and every block or row that
    failed and why; importing adds the readable questions, all in one transaction."""
    quiz = _quiz_or_404(request, pk)
    form = QuestionImportForm(_posted(request), _posted(request, files=True))
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            chosen = form.cleaned_data["format"]
            if chosen in {"csv", "gift"}:
                # True-or-false choices are course content: written in the course's language.
                with translation.override(quiz.course.language):
                    labels = true_false_labels()
            if chosen == "csv":
                result = parse_csv(form.cleaned_data["text"], labels=labels)
            elif chosen == "gift":
                result = parse_gift(form.cleaned_data["text"], labels=labels)
            else:
                result = parse_aiken(form.cleaned_data["text"])
        except ValueError as error:
            form.add_error("text", str(error))
        else:
            if request.POST.get("action") == "import" and result.questions:
                created = quiz_authoring.questions_import(
                    quiz=quiz,
                    questions=[q.as_fields() for q in result.questions],
                    actor=request.user,
                )
                messages.success(
                    request,
                    ngettext(
                        "%(n)d question was imported.",
                        "%(n)d questions were imported.",
                        len(created),
                    )
                    % {"n": len(created)},
                )
                return redirect("teaching:quiz", pk=quiz.pk)
    return render(
        request,
        "teaching/quiz_import.html",
        {
            "form": form,
            "course": quiz.course,
            "quiz": quiz,
            "result": result,
            "text": form.cleaned_data.get("text", "") if result else "",
            "format": form.cleaned_data.get("format", "aiken") if result else "aiken",
        },
    )


@login_required
@require_http_methods(GET_POST)
def attachment_create(request, pk):
    lesson = _lesson_or_404(request, pk)
    form = AttachmentForm(_posted(request), _posted(request, files=True))
    if request.method == "POST" and form.is_valid():
        try:
            authoring.attachment_create(
                lesson=lesson, title=form.cleaned_data["title"], file=form.cleaned_data["file"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The file was attached."))
            return redirect("teaching:lesson_edit", pk=lesson.pk)
    return render(
        request,
        "teaching/attachment_form.html",
        {
            "form": form,
            "course": lesson.course,
            "lesson": lesson,
            "allowed_types": ", ".join(settings.LMS_ATTACHMENT_EXTENSIONS),
            "max_size": settings.LMS_ATTACHMENT_MAX_BYTES,
        },
    )


@login_required
@require_POST
def attachment_delete(request, pk):
    _require_workspace(request.user)
    attachment = selectors.attachment_in_scope(pk=pk)
    if attachment is None or not permissions.can_author_course(
        request.user, attachment.lesson.course
    ):
        raise Http404
    authoring.attachment_delete(attachment=attachment)
    messages.success(request, _("The attachment was removed."))
    return redirect("teaching:lesson_edit", pk=attachment.lesson_id)


@login_required
@require_http_methods(GET_POST)
def course_duplicate(request, pk):
    course = _course_or_404(request, pk)
    form = DuplicateCourseForm(
        _posted(request),
        initial={"title": _("%(title)s (copy)") % {"title": course.title}},
    )
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.course_duplicate(
                course=course,
                actor=request.user,
                title=form.cleaned_data["title"],
                slug=form.cleaned_data["slug"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The copy was created as a draft."))
            return redirect("teaching:course", pk=copy.pk)
    return render(request, "teaching/course_duplicate.html", {"form": form, "course": course})


@login_required
@require_http_methods(GET_POST)
def quiz_preview(request, pk):
    """The quiz as a learner takes it, graded on submission, with nothing recorded."""
    quiz = _quiz_or_404(request, pk)
    submitted = request.method == "POST"
    seed = boundary.parse_id(request.POST.get("seed")) if submitted else None
    if seed is None:
        seed = secrets.randbelow(2**31)
    paper, result = preview.quiz_preview(
        quiz=quiz, data=request.POST if submitted else None, seed=seed
    )
    return render(
        request,
        "teaching/quiz_preview.html",
        {"quiz": quiz, "course": quiz.course, "paper": paper, "result": result, "seed": seed},
    )


def _preview_url(course: Course) -> str:
    return reverse("teaching:course_learner_preview", args=[course.pk])


@login_required
@require_GET
def course_learner_preview(request, pk):
    """The course page as a learner sees it on enrolling, rendered by the learner's template
    (``courses.pages``): no progress yet, the lessons and quizzes linked to their previews.
    Nothing is read from or written to anyone's enrolment."""
    course = _course_or_404(request, pk)
    learner_course = course_selectors.course_by_slug(slug=course.slug, with_quizzes=True)
    if learner_course is None:
        raise Http404
    context = course_pages.course_page_context(
        course=learner_course,
        enrollment=None,
        done_ids=set(),
        can_read=True,
        can_enrol=False,
        course_url=_preview_url(course),
        enrollment_links=[],
        preview=True,
    )
    return render(request, "courses/course_detail.html", context)


@login_required
@require_GET
def lesson_learner_preview(request, pk, lesson_id):
    """A lesson as a learner reads it, through the learner's template and sanitiser, with the
    "mark as done" button shown but inactive; nothing is recorded."""
    course = _course_or_404(request, pk)
    learner_course, lesson = course_selectors.course_and_lesson(
        slug=course.slug, lesson_id=lesson_id
    )
    if learner_course is None or lesson is None:
        raise Http404
    context = course_pages.lesson_page_context(
        course=learner_course,
        lesson=lesson,
        enrollment=None,
        done_ids=set(),
        can_mark_done=False,
        course_url=_preview_url(course),
        preview=True,
    )
    if context is None:  # an archived lesson: learners would find no page for it
        raise Http404
    return render(request, "courses/lesson_detail.html", context)


@login_required
@require_http_methods(GET_POST)
def course_trainers(request, pk):
    course = _course_or_404(request, pk)
    form = TrainersForm(_posted(request), course=course, actor=request.user)
    if request.method == "POST" and form.is_valid():
        course_services.course_set_trainers(
            course=course, trainers=form.cleaned_data["trainers"], actor=request.user
        )
        messages.success(request, _("The trainers were saved."))
        return redirect("teaching:course", pk=course.pk)
    return render(request, "teaching/course_trainers.html", {"form": form, "course": course})


def _reorder(request, reorder) -> None:
    """Apply the order a drag and drop posted ("order": comma-separated ids) through the
    ``reorder`` service. A list with anything that is not an id is passed on empty, so the
    service refuses it as it refuses a stale one, and nothing changes."""
    raw = request.POST.get("order", "")
    ids = [boundary.parse_id(part) for part in raw.split(",")] if raw else []
    try:
        reorder([] if None in ids else ids)
    except authoring.AuthoringError as error:
        messages.error(request, str(error))


@login_required
@require_POST
def module_order(request, pk):
    """The order of the course's modules after a drag and drop (the move buttons are the
    keyboard and no-script way to the same result)."""
    course = _course_or_404(request, pk)
    _reorder(request, lambda ids: authoring.module_reorder(course=course, module_ids=ids))
    return redirect("teaching:course", pk=course.pk)


@login_required
@require_POST
def lesson_order(request, pk):
    module = _module_or_404(request, pk)
    _reorder(request, lambda ids: authoring.lesson_reorder(module=module, lesson_ids=ids))
    return redirect(_outline_url(module.course_id, f"module-{module.pk}"))


@login_required
@require_POST
def question_order(request, pk):
    """The order of the quiz's questions after a drag and drop."""
    quiz = _quiz_or_404(request, pk)
    _reorder(request, lambda ids: quiz_authoring.question_reorder(quiz=quiz, question_ids=ids))
    return redirect("teaching:quiz", pk=quiz.pk)


@login_required
@require_http_methods(GET_POST)
def quiz_regrade(request, pk):
    """A confirmation that says how many attempts a regrade touches, then a background job."""
    quiz = _quiz_or_404(request, pk)
    if request.method == "POST":
        job = regrade.quiz_request_regrade(quiz=quiz, requester=request.user)
        messages.success(request, _("The regrade has started."))
        return redirect("jobs:detail", public_id=job.public_id)
    return render(
        request,
        "teaching/quiz_regrade.html",
        {"quiz": quiz, "course": quiz.course, "scope": regrade.regrade_scope(quiz=quiz)},
    )


@login_required
@require_POST
def markdown_preview(request):
    """The lesson body as learners will see it, for the live preview beside the editor: the
    same Markdown rendering and sanitiser. Nothing is saved."""
    _require_workspace(request.user)
    body = request.POST.get("body", "")
    if boundary.text_problem(body, multiline=True, max_length=200_000):
        return HttpResponse(status=400)
    return HttpResponse(render_markdown(body), content_type="text/html; charset=utf-8")
