from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import cache as catalogue_cache
from . import permissions, selectors, services
from .forms import CatalogueFilterForm
from .models import Attachment, EnrollmentSource, EnrollmentStatus


def _visible_course_or_404(request, slug, *, with_quizzes=False):
    course = selectors.course_by_slug(slug=slug, with_quizzes=with_quizzes)
    if course is None:
        raise Http404
    enrollment = selectors.enrollment_for(user=request.user, course=course)
    if not permissions.can_view_course(request.user, course, enrollment):
        raise Http404
    return course, enrollment


def catalogue(request):
    key = catalogue_cache.catalogue_key(language=get_language(), params=request.GET)
    content = cache.get(key)
    if content is None:
        categories = list(selectors.catalogue_categories())
        form = CatalogueFilterForm(request.GET, categories=categories)
        courses = selectors.catalogue_courses(**form.filters())
        paginator = Paginator(courses, settings.LMS_CATALOGUE_PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        content = render_to_string(
            "courses/_catalogue_content.html",
            {"form": form, "page": page, "query_string": query.urlencode()},
            request=request,
        )
        cache.set(key, content, catalogue_cache.CATALOGUE_TTL)
    return render(request, "courses/catalogue.html", {"content": content})


def course_detail(request, slug):
    course, enrollment = _visible_course_or_404(request, slug, with_quizzes=True)
    done_ids = selectors.completed_lesson_ids(enrollment=enrollment)
    can_read = permissions.can_read_lessons(request.user, course, enrollment)
    is_open = enrollment is not None and enrollment.is_open
    return render(
        request,
        "courses/course_detail.html",
        {
            "course": course,
            "enrollment": enrollment if is_open else None,
            "progress": selectors.course_progress(
                course=course, enrollment=enrollment, done_ids=done_ids
            ),
            "done_ids": done_ids,
            "can_enrol": permissions.can_enrol_self(request.user, course),
            "can_read": can_read,
            # The main action once enrolled: start, or continue where the learner left off.
            "next_lesson": (
                selectors.next_lesson_to_read(course=course, done_ids=done_ids)
                if is_open and can_read
                else None
            ),
            "can_leave": enrollment is not None
            and enrollment.is_open
            and enrollment.source == EnrollmentSource.SELF
            and enrollment.completed_at is None,
        },
    )


@login_required
@require_POST
def course_enrol(request, slug):
    course, _enrollment = _visible_course_or_404(request, slug)
    try:
        services.enrollment_create(user=request.user, course=course)
    except services.EnrollmentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("You are enrolled in “%(course)s”.") % {"course": course.title})
    return redirect("courses:detail", slug=course.slug)


@login_required
@require_POST
def course_leave(request, slug):
    course, enrollment = _visible_course_or_404(request, slug)
    if enrollment is None:
        raise Http404
    try:
        services.enrollment_withdraw(enrollment=enrollment)
    except services.EnrollmentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("You left “%(course)s”.") % {"course": course.title})
    return redirect("courses:detail", slug=course.slug)


@login_required
def lesson_detail(request, slug, lesson_id):
    course, enrollment = _visible_course_or_404(request, slug)
    lesson = selectors.lesson_in_course(course=course, lesson_id=lesson_id)
    if lesson is None:
        raise Http404
    if not permissions.can_read_lessons(request.user, course, enrollment):
        messages.info(request, _("Enrol in the course to read its lessons."))
        return redirect("courses:detail", slug=course.slug)
    done_ids = selectors.completed_lesson_ids(enrollment=enrollment)
    lessons = selectors.ordered_lessons(course)
    index = next(i for i, item in enumerate(lessons) if item.pk == lesson.pk)
    return render(
        request,
        "courses/lesson_detail.html",
        {
            "course": course,
            "lesson": lesson,
            "enrollment": enrollment,
            "done_ids": done_ids,
            "is_done": lesson.pk in done_ids,
            "can_mark_done": permissions.can_mark_lesson_done(request.user, enrollment),
            # One reversal for the whole contents list instead of one per lesson.
            "lessons_url": reverse("courses:detail", args=[course.slug]) + "lessons/",
            "previous_lesson": lessons[index - 1] if index > 0 else None,
            "next_lesson": lessons[index + 1] if index + 1 < len(lessons) else None,
            "progress": selectors.course_progress(
                course=course, enrollment=enrollment, done_ids=done_ids
            ),
        },
    )


@login_required
@require_POST
def lesson_done(request, slug, lesson_id):
    course, enrollment = _visible_course_or_404(request, slug)
    lesson = selectors.lesson_in_course(course=course, lesson_id=lesson_id)
    if lesson is None:
        raise Http404
    if not permissions.can_mark_lesson_done(request.user, enrollment):
        messages.error(request, _("Enrol in the course to record your progress."))
        return redirect("courses:detail", slug=course.slug)
    was_completed = enrollment.status == EnrollmentStatus.COMPLETED
    services.lesson_complete(enrollment=enrollment, lesson=lesson)
    if not was_completed and enrollment.status == EnrollmentStatus.COMPLETED:
        messages.success(request, _("Course completed. Well done!"))
    next_lesson = request.POST.get("next")
    lessons = selectors.ordered_lessons(course)
    if next_lesson and next_lesson.isdigit() and any(x.pk == int(next_lesson) for x in lessons):
        return redirect("courses:lesson", slug=course.slug, lesson_id=int(next_lesson))
    return redirect("courses:lesson", slug=course.slug, lesson_id=lesson.pk)


@login_required
def attachment_download(request, pk):
    attachment = get_object_or_404(Attachment.objects.select_related("lesson__course"), pk=pk)
    course = attachment.lesson.course
    enrollment = selectors.enrollment_for(user=request.user, course=course)
    if not permissions.can_read_lessons(request.user, course, enrollment):
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle, as_attachment=True, filename=attachment.file.name.rsplit("/", 1)[-1]
    )


@login_required
def my_learning(request):
    enrollments = [
        (enrollment, selectors.enrollment_progress(enrollment))
        for enrollment in selectors.my_enrollments(user=request.user)
    ]
    return render(
        request,
        "courses/my_learning.html",
        {"enrollments": enrollments, "today": timezone.localdate()},
    )


@login_required
def enrollment_detail(request, pk):
    enrollment = selectors.enrollment_with_progress(pk=pk)
    if enrollment is None or not permissions.can_view_enrollment(request.user, enrollment):
        raise Http404
    return render(
        request,
        "courses/enrollment_detail.html",
        {"enrollment": enrollment, "progress": selectors.enrollment_progress(enrollment)},
    )
