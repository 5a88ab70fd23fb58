"""Authoring writes for courses, modules, lessons and attachments.

The trainer's workspace, the admin and the demo seeding all build courses through these
functions, so the rules live here once: every write validates the model first (a form's field
errors and a seed's bad data meet the same checks), runs in its own transaction, and the
privileged ones are recorded in the audit log. Publishing and archiving go through
``services.course_set_status``, which sets ``published_at``.

Editing a course that has learners must not corrupt their record: a lesson with progress is
never deleted (``AuthoringError`` says why and what to do instead), and a change to which
lessons are required re-checks completions through the ``courses.reevaluate_completions`` task
after the transaction commits.
"""

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record

from . import permissions, services
from .cache import catalogue_changed
from .completion import live_lessons_filter
from .models import (
    Attachment,
    Category,
    Course,
    CourseStatus,
    Enrollment,
    EnrollmentStatus,
    Lesson,
    LessonProgress,
    Module,
)
from .text import search_form


class AuthoringError(Exception):
    """A rule refused the change; the message is for the person who asked."""


COURSE_FIELDS = (
    "title",
    "slug",
    "summary",
    "description",
    "category",
    "language",
    "estimated_hours",
    "self_enrollment",
    "validity_months",
    "due_soon_days",
    "inactivity_days",
    "cover_image",
    "cover_alt",
)
LESSON_FIELDS = ("title", "body", "video_url", "estimated_minutes", "required")


def category_get_or_create(*, slug: str, name: str) -> tuple[Category, bool]:
    """The catalogue category with ``slug``, created with ``name`` when missing."""
    existing = Category.objects.filter(slug=slug).first()
    if existing is not None:
        return existing, False
    category = Category(slug=slug, name=name)
    category.full_clean()
    with transaction.atomic():
        category.save()
    return category, True


def course_slug_suggest(*, title: str, exclude_pk: int | None = None) -> str:
    """A slug for ``title`` that no other course uses: the title in ASCII (Serbian Cyrillic
    transliterated as search does; a title with no Latin letters gives "course"), with -2, -3,
    ... appended when taken. Course addresses take ASCII slugs only."""
    base = slugify(search_form(title))[:110].strip("-") or "course"
    taken = Course.objects.filter(slug__startswith=base)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    used = set(taken.values_list("slug", flat=True))
    slug, n = base, 2
    while slug in used:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _changed(instance: models.Model, data: Mapping[str, Any], allowed: Sequence[str]) -> list[str]:
    """Apply ``data`` (only the ``allowed`` fields) to ``instance``; the names that changed."""
    unknown = set(data) - set(allowed)
    if unknown:
        raise TypeError(f"Not editable here: {sorted(unknown)}")
    changed = []
    for name, value in data.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


def course_create(
    *,
    actor: User | None,
    title: str,
    language: str,
    slug: str = "",
    summary: str = "",
    description: str = "",
    category: Category | None = None,
    estimated_hours: Decimal | int = 1,
    self_enrollment: bool = True,
    validity_months: int | None = None,
    due_soon_days: str = "",
    inactivity_days: int | None = None,
    cover_image: File | bool | None = None,
    cover_alt: str = "",
    trainers: Iterable[User] = (),
) -> Course:
    """Create a draft course. With no slug one is made from the title. The actor, when a
    trainer, teaches the course from the start (so they can go on editing it). Audited."""
    course = Course(
        title=title,
        slug=slug or course_slug_suggest(title=title),
        summary=summary,
        description=description,
        category=category,
        language=language,
        estimated_hours=estimated_hours,
        self_enrollment=self_enrollment,
        validity_months=validity_months,
        due_soon_days=due_soon_days,
        inactivity_days=inactivity_days,
        cover_image=cover_image or "",
        cover_alt=cover_alt,
        status=CourseStatus.DRAFT,
    )
    course.full_clean()
    with transaction.atomic():
        course.save()
        audit_record(actor=actor, action="course.create", target=course, data={"slug": course.slug})
        teachers = list(trainers)
        if teachers:
            services.course_set_trainers(course=course, trainers=teachers, actor=actor)
    return course


def course_update(*, course: Course, actor: User | None, data: Mapping[str, Any]) -> list[str]:
    """Change a course's settings (the fields in COURSE_FIELDS); status has its own services.
    Returns the names of the fields that changed; audited when any did. A cover image that is
    replaced or removed (``cover_image=""``) is deleted from storage once the change commits."""
    if data.get("cover_image") is False:
        # A form's "clear" box.
        data = {**data, "cover_image": ""}
    old_cover = course.cover_image.name
    changed = _changed(course, data, COURSE_FIELDS)
    if not changed:
        return []
    course.full_clean()
    with transaction.atomic():
        course.save(update_fields=[*changed, "updated_at"])
        audit_record(actor=actor, action="course.update", target=course, data={"fields": changed})
        if old_cover and old_cover != course.cover_image.name:
            storage = course.cover_image.storage
            transaction.on_commit(lambda: storage.delete(old_cover))
    return changed


def course_publish(*, course: Course, actor: User | None) -> Course:
    """Publish a course that has at least one lesson; the first publication time is kept."""
    if not Lesson.objects.filter(live_lessons_filter(), course=course).exists():
        raise AuthoringError(_("Add at least one lesson before publishing the course."))
    return services.course_set_status(course=course, status=CourseStatus.PUBLISHED, actor=actor)


def course_archive(*, course: Course, actor: User | None) -> Course:
    """Close a course to new learners; its learners keep reading it and keep their record."""
    return services.course_set_status(course=course, status=CourseStatus.ARCHIVED, actor=actor)


def course_return_to_draft(*, course: Course, actor: User | None) -> Course:
    return services.course_set_status(course=course, status=CourseStatus.DRAFT, actor=actor)


def _renumber(model: type[models.Model], ordered_ids: Sequence[int]) -> None:
    """Give the rows ``ordered_ids`` the positions 1, 2, ... in that order.

    A unique (parent, position) constraint refuses a plain swap, so every row first moves to a
    position past all current ones, then to its final place: two UPDATEs per row, never two
    rows on one position. The caller holds the rows' locks."""
    if not ordered_ids:
        return
    top = model.objects.filter(pk__in=ordered_ids).aggregate(top=Max("position"))["top"] or 0
    offset = top + len(ordered_ids) + 1
    for index, pk in enumerate(ordered_ids):
        model.objects.filter(pk=pk).update(position=offset + index)
    for index, pk in enumerate(ordered_ids, start=1):
        model.objects.filter(pk=pk).update(position=index)
    # QuerySet.update sends no signal; the cached course and lesson pages show the order.
    catalogue_changed(also_after_commit=True)


def _moved(ids: list[int], pk: int, step: int) -> list[int] | None:
    index = ids.index(pk)
    target = index + step
    if target < 0 or target >= len(ids):
        return None
    ids[index], ids[target] = ids[target], ids[index]
    return ids


def _recheck_completions(*, course_id: int) -> None:
    """Re-check the course's completions after commit, when it has anyone to complete (a
    course being built, or seeded, has no active enrolments and needs no task per lesson)."""
    if Enrollment.objects.filter(course_id=course_id, status=EnrollmentStatus.ACTIVE).exists():
        services.course_schedule_completion_check(course_id=course_id)


def _delete_files_on_commit(attachments) -> None:
    """Remove the stored files of attachments deleted with their lesson, once the deletion is
    committed (a rolled-back deletion keeps them)."""
    files = [(a.file.storage, a.file.name) for a in attachments if a.file]
    if files:
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])


def module_create(*, course: Course, title: str, actor: User | None = None) -> Module:
    """Add a module at the end of the course."""
    with transaction.atomic():
        Course.objects.select_for_update().filter(pk=course.pk).first()
        top = course.modules.aggregate(top=Max("position"))["top"] or 0
        module = Module(course=course, title=title, position=top + 1)
        module.full_clean()
        module.save()
    return module


def module_update(*, module: Module, title: str) -> Module:
    module.title = title
    module.full_clean()
    module.save(update_fields=["title"])
    return module


def module_reorder(*, course: Course, module_ids: Sequence[int]) -> None:
    """Put the course's modules in the order ``module_ids`` gives; it must name each exactly
    once."""
    with transaction.atomic():
        current = list(
            Module.objects.select_for_update().filter(course=course).values_list("pk", flat=True)
        )
        if sorted(current) != sorted(module_ids) or len(set(module_ids)) != len(module_ids):
            raise AuthoringError(_("The list of modules is out of date; reload the page."))
        _renumber(Module, list(module_ids))


def module_move(*, module: Module, step: int) -> bool:
    """Move a module one place up (step -1) or down (+1). False when it is already first or
    last."""
    with transaction.atomic():
        ids = list(
            Module.objects.select_for_update()
            .filter(course_id=module.course_id)
            .order_by("position", "pk")
            .values_list("pk", flat=True)
        )
        order = _moved(ids, module.pk, step)
        if order is None:
            return False
        _renumber(Module, order)
    return True


def module_ensure_deletable(*, module: Module) -> None:
    """Raise AuthoringError when deleting ``module`` would change a learner's record."""
    if LessonProgress.objects.filter(lesson__module=module).exists():
        raise AuthoringError(
            _(
                "Learners have completed lessons in this module, so it cannot be deleted. "
                "Archive those lessons instead: learners no longer see them and their "
                "record stays."
            )
        )
    if module.quizzes.filter(attempts__isnull=False).exists():
        raise AuthoringError(
            _("Learners have taken a quiz in this module, so it cannot be deleted.")
        )


def module_delete(*, module: Module, actor: User | None) -> None:
    """Delete an empty module or one whose lessons and quizzes nobody has used yet. Audited."""
    module_ensure_deletable(module=module)
    course = module.course
    had_required = module.lessons.filter(required=True).exists()
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="module.delete",
            target=course,
            data={"module": module.pk, "title": module.title},
        )
        _delete_files_on_commit(Attachment.objects.filter(lesson__module=module))
        module.delete()
        _renumber(
            Module, list(course.modules.order_by("position", "pk").values_list("pk", flat=True))
        )
        if had_required:
            _recheck_completions(course_id=course.pk)


def lesson_create(
    *,
    module: Module,
    title: str,
    body: str = "",
    video_url: str = "",
    estimated_minutes: int = 10,
    required: bool = True,
    actor: User | None = None,
) -> Lesson:
    """Add a lesson at the end of the module. Its body is sanitised on save (Lesson.save)."""
    lesson = Lesson(
        module=module,
        title=title,
        body=body,
        video_url=video_url,
        estimated_minutes=estimated_minutes,
        required=required,
    )
    with transaction.atomic():
        Module.objects.select_for_update().filter(pk=module.pk).first()
        lesson.position = (module.lessons.aggregate(top=Max("position"))["top"] or 0) + 1
        lesson.course_id = module.course_id
        lesson.full_clean()
        lesson.save()
        if required:
            _recheck_completions(course_id=module.course_id)
    return lesson


def lesson_update(*, lesson: Lesson, data: Mapping[str, Any]) -> list[str]:
    """Change a lesson (the fields in LESSON_FIELDS). A change to ``required`` re-checks the
    course's completions after commit. Returns the names of the fields that changed."""
    changed = _changed(lesson, data, LESSON_FIELDS)
    if not changed:
        return []
    lesson.full_clean()
    with transaction.atomic():
        lesson.save(update_fields=changed)
        if "required" in changed:
            _recheck_completions(course_id=lesson.course_id)
    return changed


def lesson_move(*, lesson: Lesson, step: int) -> bool:
    """Move a lesson one place up (-1) or down (+1) in its module."""
    with transaction.atomic():
        ids = list(
            Lesson.objects.select_for_update()
            .filter(module_id=lesson.module_id)
            .order_by("position", "pk")
            .values_list("pk", flat=True)
        )
        order = _moved(ids, lesson.pk, step)
        if order is None:
            return False
        _renumber(Lesson, order)
    return True


def lesson_reorder(*, module: Module, lesson_ids: Sequence[int]) -> None:
    """Put the module's lessons in the order ``lesson_ids`` gives (each exactly once)."""
    with transaction.atomic():
        current = list(
            Lesson.objects.select_for_update().filter(module=module).values_list("pk", flat=True)
        )
        if sorted(current) != sorted(lesson_ids) or len(set(lesson_ids)) != len(lesson_ids):
            raise AuthoringError(_("The list of lessons is out of date; reload the page."))
        _renumber(Lesson, list(lesson_ids))


def lesson_ensure_deletable(*, lesson: Lesson) -> None:
    """Raise AuthoringError when somebody has completed ``lesson``."""
    if lesson.progress.exists():
        raise AuthoringError(
            _(
                "Learners have completed this lesson, so it cannot be deleted without changing "
                "their record. Archive it instead (learners no longer see it; restoring it "
                "brings it back with their progress), or make it optional."
            )
        )


def lesson_delete(*, lesson: Lesson, actor: User | None) -> None:
    """Delete a lesson nobody has completed. A lesson in someone's record stays: the refusal
    says to make it optional instead. Audited."""
    lesson_ensure_deletable(lesson=lesson)
    module_id, course_id, was_required = lesson.module_id, lesson.course_id, lesson.required
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="lesson.delete",
            target=lesson.course,
            data={"lesson": lesson.pk, "title": lesson.title},
        )
        _delete_files_on_commit(lesson.attachments.all())
        lesson.delete()
        _renumber(
            Lesson,
            list(
                Lesson.objects.filter(module_id=module_id)
                .order_by("position", "pk")
                .values_list("pk", flat=True)
            ),
        )
        if was_required:
            _recheck_completions(course_id=course_id)


def _require_author(actor: User, course: Course) -> None:
    if not permissions.can_author_course(actor, course):
        raise PermissionDenied("Not an author of this course.")


def _set_lesson_archived(*, lesson: Lesson, actor: User, archived: bool) -> bool:
    _require_author(actor, lesson.course)
    with transaction.atomic():
        locked = Lesson.objects.select_for_update().get(pk=lesson.pk)
        if locked.is_archived == archived:
            lesson.archived_at = locked.archived_at
            return False
        lesson.archived_at = timezone.now() if archived else None
        lesson.save(update_fields=["archived_at"])
        audit_record(
            actor=actor,
            action="lesson.archive" if archived else "lesson.restore",
            target=lesson.course,
            data={"lesson": lesson.pk, "title": lesson.title, "required": lesson.required},
        )
        if archived and lesson.required:
            # One required lesson fewer: learners who did all the others now complete.
            _recheck_completions(course_id=lesson.course_id)
    return True


def lesson_archive(*, lesson: Lesson, actor: User) -> bool:
    """Take a lesson out of the course for learners without deleting anything: it leaves the
    course page, the contents, the lesson navigation and every progress and completion count
    (``courses.completion``), its address answers 404 to learners, and the learners'
    LessonProgress rows stay. Archiving a required lesson re-checks completions after commit.
    Only the course's authors (``permissions.can_author_course``); audited. False when it was
    archived already."""
    return _set_lesson_archived(lesson=lesson, actor=actor, archived=True)


def lesson_restore(*, lesson: Lesson, actor: User) -> bool:
    """Bring an archived lesson back where it was, with the learners' progress it had. An
    enrolment completed while it was archived stays completed. Audited; False when it was not
    archived."""
    return _set_lesson_archived(lesson=lesson, actor=actor, archived=False)


def attachment_create(*, lesson: Lesson, title: str, file: File) -> Attachment:
    """Attach a file to a lesson; its size and type are checked (courses.validators)."""
    attachment = Attachment(lesson=lesson, title=title, file=file)
    attachment.full_clean()
    with transaction.atomic():
        attachment.save()
    return attachment


def attachment_update(*, attachment: Attachment, title: str, file: File | None = None) -> None:
    """Rename an attachment, or replace its file (checked like a new one)."""
    old_file = attachment.file if file is not None else None
    attachment.title = title
    if file is not None:
        attachment.file = file
    attachment.full_clean()
    with transaction.atomic():
        attachment.save()
    if old_file is not None and old_file.name != attachment.file.name:
        old_file.storage.delete(old_file.name)


def attachment_delete(*, attachment: Attachment) -> None:
    with transaction.atomic():
        _delete_files_on_commit([attachment])
        attachment.delete()
