from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lms import boundary

from . import cache as catalogue_cache
from . import links, pages, permissions, selectors, services
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
    language = get_language()
    # The links of the site ask for a page by the query string its key is made of (see
    # courses/cache.py): found under it, the page needs no parsing and one cache round trip.
    requested_key = catalogue_cache.catalogue_page_key(
        language, request.META.get("QUERY_STRING", "")
    )
    _version, found = catalogue_cache.catalogue_entries(requested_key)
    content = found.get(requested_key)
    if content is None:
        content = _catalogue_content(request, language)
    return render(request, "courses/catalogue.html", {"content": content})


def _catalogue_content(request, language: str) -> str:
    # Parse the filters first: the cache key is built from what was understood, never from
    # the raw query string.
    version, categories = catalogue_cache.catalogue_state(selectors.catalogue_categories)
    filters = CatalogueFilterForm(request.GET, categories=categories).filters()
    params = CatalogueFilterForm.params(filters)
    page_number = boundary.parse_id(request.GET.get("page")) or 1
    key = catalogue_cache.catalogue_page_key(
        language, catalogue_cache.catalogue_query(params, page_number)
    )
    _version, found = catalogue_cache.catalogue_entries(key)
    if key in found:
        return found[key]
    courses = selectors.catalogue_courses(**filters)
    paginator = Paginator(courses, settings.LMS_CATALOGUE_PAGE_SIZE)
    page = paginator.get_page(page_number)
    # The form shows the filters as understood, so the cached page is the same for every
    # query string that maps to this key.
    form = CatalogueFilterForm(params, categories=categories)
    content = render_to_string(
        "courses/_catalogue_content.html",
        {
            "form": form,
            "page": page,
            "previous_query": (
                catalogue_cache.catalogue_query(params, page.previous_page_number())
                if page.has_previous()
                else None
            ),
            "next_query": (
                catalogue_cache.catalogue_query(params, page.next_page_number())
                if page.has_next()
                else None
            ),
        },
        request=request,
    )
    # A page number past the end shows the last page; only the real number is cached,
    # so made-up page numbers create no entries.
    if page.number == page_number:
        catalogue_cache.catalogue_store(key, version, content)
    return content


def course_detail(request, slug):
    # An anonymous visitor's page is the same for everyone in one language, so its content is
    # kept rendered in the shared cache until the catalogue changes, as the catalogue's is. It
    # is stored only below, for a course an anonymous visitor may see.
    anonymous_key = None
    if not request.user.is_authenticated:
        anonymous_key = catalogue_cache.anonymous_course_page_key(slug, get_language())
        version, found = catalogue_cache.catalogue_entries(anonymous_key)
        if anonymous_key in found:
            title, content = found[anonymous_key]
            return render(
                request, "courses/course_detail.html", {"page_title": title, "content": content}
            )
    course = selectors.course_by_slug(slug=slug, with_quizzes=True)
    if course is None:
        raise Http404
    enrollment, done_ids = selectors.enrollment_and_completed_lesson_ids(
        user=request.user, course=course
    )
    if not permissions.can_view_course(request.user, course, enrollment):
        raise Http404
    is_open = enrollment is not None and enrollment.is_open
    open_enrollment = enrollment if is_open else None
    context = pages.course_page_context(
        course=course,
        enrollment=open_enrollment,
        done_ids=done_ids,
        can_read=permissions.can_read_lessons(request.user, course, enrollment),
        can_enrol=permissions.can_enrol_self(request.user, course),
        course_url=reverse("courses:detail", args=[course.slug]),
        enrollment_links=links.links_for([open_enrollment]).get(
            getattr(open_enrollment, "pk", None), []
        ),
    )
    context["can_leave"] = (
        is_open and enrollment.source == EnrollmentSource.SELF and enrollment.completed_at is None
    )
    if anonymous_key is not None:
        content = render_to_string("courses/_course_content.html", context, request=request)
        catalogue_cache.catalogue_store(anonymous_key, version, (course.title, content))
        context = {"page_title": course.title, "content": content}
    return render(request, "courses/course_detail.html", context)


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
    # The course's contents and the lesson come from the shared cache in one round trip.
    course, lesson = selectors.course_and_lesson(slug=slug, lesson_id=lesson_id)
    if course is None:
        raise Http404
    enrollment, done_ids = selectors.enrollment_and_completed_lesson_ids(
        user=request.user, course=course
    )
    if not permissions.can_view_course(request.user, course, enrollment):
        raise Http404
    if lesson is None:
        raise Http404
    if not permissions.can_read_lessons(request.user, course, enrollment):
        messages.info(request, _("Enrol in the course to read its lessons."))
        return redirect("courses:detail", slug=course.slug)
    context = pages.lesson_page_context(
        course=course,
        lesson=lesson,
        enrollment=enrollment,
        done_ids=done_ids,
        can_mark_done=permissions.can_mark_lesson_done(request.user, enrollment),
        course_url=reverse("courses:detail", args=[course.slug]),
    )
    if context is None:
        raise Http404
    return render(request, "courses/lesson_detail.html", context)


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
    try:
        services.lesson_complete(enrollment=enrollment, lesson=lesson)
    except services.EnrollmentError as exc:
        messages.error(request, str(exc))
        return redirect("courses:detail", slug=course.slug)
    if not was_completed and enrollment.status == EnrollmentStatus.COMPLETED:
        messages.success(request, _("Course completed. Well done!"))
    next_id = boundary.parse_id(request.POST.get("next"))
    if next_id is not None and any(x.pk == next_id for x in selectors.ordered_lessons(course)):
        return redirect("courses:lesson", slug=course.slug, lesson_id=next_id)
    return redirect("courses:lesson", slug=course.slug, lesson_id=lesson.pk)


_COVER_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
}


@require_GET
def course_cover(request, slug):
    """A course's cover image, to whoever may see the course (the catalogue is public)."""
    course, _enrollment = _visible_course_or_404(request, slug)
    extension = course.cover_image.name.rsplit(".", 1)[-1].lower() if course.cover_image else ""
    if extension not in _COVER_TYPES:
        raise Http404
    try:
        handle = course.cover_image.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=_COVER_TYPES[extension])
    # The page links the image with its stored name as a version, so a new cover is a new URL.
    response["Cache-Control"] = "private, max-age=86400"
    return response


@login_required
def attachment_download(request, pk):
    attachment = get_object_or_404(Attachment.objects.select_related("lesson__course"), pk=pk)
    course = attachment.lesson.course
    enrollment = selectors.enrollment_for(user=request.user, course=course)
    if not permissions.can_read_lessons(request.user, course, enrollment):
        raise Http404
    if attachment.lesson.is_archived and not permissions.can_manage_course(request.user, course):
        # An archived lesson's files stay with it for its trainers (the workspace lists them).
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
    rows = list(selectors.my_enrollments(user=request.user))
    extra_links = links.links_for(rows)
    enrollments = [
        (enrollment, selectors.enrollment_progress(enrollment), extra_links.get(enrollment.pk, []))
        for enrollment in rows
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
