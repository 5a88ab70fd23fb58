"""The course-side authoring services: validation, ordering, the refusals that protect learners'
records, publication through course_set_status, the audit trail and the completion re-check."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from accounts.roles import Role
from audit.models import AuditEvent
from courses import authoring
from courses.cache import catalogue_changed
from courses.models import CourseStatus, EnrollmentStatus, Lesson, Module
from courses.services import lesson_complete
from tests.factories import (
    CategoryFactory,
    CourseFactory,
    EnrollmentFactory,
    UserFactory,
    course_with_lessons,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer():
    return UserFactory(roles=[Role.TRAINER])


def _draft(trainer, **kwargs):
    return authoring.course_create(
        actor=trainer,
        title=kwargs.pop("title", "Основи безбедности"),
        language="sr",
        trainers=[trainer],
        **kwargs,
    )


def test_course_create_makes_a_draft_with_a_unique_slug_taught_by_the_actor(trainer):
    first = _draft(trainer, title="Digital signatures")
    second = _draft(trainer, title="Digital signatures")

    assert first.slug == "digital-signatures"
    assert second.slug == "digital-signatures-2"
    assert first.status == CourseStatus.DRAFT
    assert list(first.trainers.all()) == [trainer]
    assert AuditEvent.objects.filter(action="course.create", target_id=str(first.pk)).exists()


def test_the_generated_slug_transliterates_serbian_and_falls_back_for_hangul(trainer):
    assert _draft(trainer, title="Основи безбедности").slug == "osnovi-bezbednosti"
    assert _draft(trainer, title="정보 보안").slug == "course"


def test_course_create_refuses_a_taken_slug_an_empty_title_and_negative_hours(trainer):
    taken = CourseFactory(slug="taken")

    with pytest.raises(ValidationError) as error:
        authoring.course_create(
            actor=trainer, title="", slug=taken.slug, language="en", estimated_hours=-1
        )

    assert {"title", "slug", "estimated_hours"} <= set(error.value.message_dict)
    assert not AuditEvent.objects.filter(action="course.create").exists()


def test_course_update_saves_only_what_changed_and_audits_it(trainer):
    course = _draft(trainer)
    category = CategoryFactory()

    changed = authoring.course_update(
        course=course,
        actor=trainer,
        data={"title": course.title, "category": category, "validity_months": 24},
    )

    course.refresh_from_db()
    assert changed == ["category", "validity_months"]
    assert course.category == category and course.validity_months == 24
    event = AuditEvent.objects.get(action="course.update")
    assert event.data == {"fields": ["category", "validity_months"]}


def test_course_update_refuses_status_and_bad_values(trainer):
    course = _draft(trainer)

    with pytest.raises(TypeError):
        authoring.course_update(course=course, actor=trainer, data={"status": "published"})
    with pytest.raises(ValidationError):
        authoring.course_update(course=course, actor=trainer, data={"due_soon_days": "seven"})


def test_publishing_needs_a_lesson_and_sets_published_at(trainer):
    course = _draft(trainer)

    with pytest.raises(authoring.AuthoringError):
        authoring.course_publish(course=course, actor=trainer)

    module = authoring.module_create(course=course, title="Увод")
    authoring.lesson_create(module=module, title="Прва лекција", body="Текст")
    authoring.course_publish(course=course, actor=trainer)

    course.refresh_from_db()
    assert course.status == CourseStatus.PUBLISHED and course.published_at is not None
    assert AuditEvent.objects.filter(action="course.publish").exists()
    authoring.course_archive(course=course, actor=trainer)
    course.refresh_from_db()
    assert course.status == CourseStatus.ARCHIVED


def test_modules_and_lessons_are_appended_and_moved_without_breaking_positions(trainer):
    course = _draft(trainer)
    modules = [authoring.module_create(course=course, title=f"M{n}") for n in range(3)]
    lessons = [authoring.lesson_create(module=modules[0], title=f"L{n}") for n in range(3)]

    assert [m.position for m in modules] == [1, 2, 3]
    assert [lesson.position for lesson in lessons] == [1, 2, 3]

    assert authoring.module_move(module=modules[2], step=-1)
    assert not authoring.module_move(module=modules[0], step=-1)
    assert authoring.lesson_move(lesson=lessons[0], step=1)
    assert not authoring.lesson_move(lesson=lessons[2], step=1)

    assert list(course.modules.values_list("title", flat=True)) == ["M0", "M2", "M1"]
    assert list(modules[0].lessons.values_list("title", flat=True)) == ["L1", "L0", "L2"]
    assert list(course.modules.values_list("position", flat=True)) == [1, 2, 3]


def test_reorder_takes_a_complete_list_only(trainer):
    course = _draft(trainer)
    a, b = (authoring.module_create(course=course, title=t) for t in "ab")

    authoring.module_reorder(course=course, module_ids=[b.pk, a.pk])

    assert list(course.modules.values_list("pk", flat=True)) == [b.pk, a.pk]
    with pytest.raises(authoring.AuthoringError):
        authoring.module_reorder(course=course, module_ids=[a.pk])
    with pytest.raises(authoring.AuthoringError):
        authoring.module_reorder(course=course, module_ids=[a.pk, a.pk])


def test_a_lesson_with_progress_is_not_deleted(trainer):
    course = course_with_lessons(trainers=[trainer])
    lesson = Lesson.objects.filter(course=course).first()
    enrollment = EnrollmentFactory(course=course)
    lesson_complete(enrollment=enrollment, lesson=lesson)

    with translation.override("en"), pytest.raises(authoring.AuthoringError, match="optional"):
        authoring.lesson_delete(lesson=lesson, actor=trainer)
    with pytest.raises(authoring.AuthoringError):
        authoring.module_delete(module=lesson.module, actor=trainer)

    assert Lesson.objects.filter(pk=lesson.pk).exists()


def test_deleting_a_lesson_closes_the_gap_and_is_audited(trainer):
    course = course_with_lessons(lessons_per_module=3, modules=1, trainers=[trainer])
    first, second, third = Lesson.objects.filter(course=course).order_by("position")

    authoring.lesson_delete(lesson=second, actor=trainer)

    assert list(Lesson.objects.filter(course=course).values_list("pk", "position")) == [
        (first.pk, 1),
        (third.pk, 2),
    ]
    assert AuditEvent.objects.filter(action="lesson.delete").exists()


def test_deleting_a_module_renumbers_the_rest(trainer):
    course = course_with_lessons(lessons_per_module=1, modules=3, trainers=[trainer])
    first, second, third = Module.objects.filter(course=course).order_by("position")

    authoring.module_delete(module=first, actor=trainer)

    assert list(course.modules.values_list("pk", "position")) == [(second.pk, 1), (third.pk, 2)]


def test_making_the_last_missing_lesson_optional_completes_the_enrolment(
    trainer, django_capture_on_commit_callbacks
):
    course = course_with_lessons(lessons_per_module=2, modules=1, trainers=[trainer])
    done, missing = Lesson.objects.filter(course=course).order_by("position")
    enrollment = EnrollmentFactory(course=course)
    lesson_complete(enrollment=enrollment, lesson=done)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        authoring.lesson_update(lesson=missing, data={"required": False})

    assert callbacks  # the re-check task, then the certificate it leads to
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.COMPLETED


def test_a_new_required_lesson_schedules_the_completion_check(
    trainer, django_capture_on_commit_callbacks
):
    def rechecks(callbacks):
        # Every saved lesson also makes the cached pages stale again after its commit.
        return [callback for callback in callbacks if callback is not catalogue_changed]

    course = course_with_lessons(trainers=[trainer])
    with django_capture_on_commit_callbacks() as callbacks:
        authoring.lesson_create(module=course.modules.first(), title="Nobody yet", required=True)
    # Nobody is enrolled: nothing to re-check.
    assert rechecks(callbacks) == [] and callbacks
    EnrollmentFactory(course=course)

    with django_capture_on_commit_callbacks() as callbacks:
        authoring.lesson_create(module=course.modules.first(), title="Extra", required=True)
    assert len(rechecks(callbacks)) == 1
    with django_capture_on_commit_callbacks() as callbacks:
        authoring.lesson_create(module=course.modules.first(), title="Extra 2", required=False)
    assert rechecks(callbacks) == []


def test_lesson_create_refuses_a_video_on_another_host(trainer):
    module = authoring.module_create(course=_draft(trainer), title="M")

    with pytest.raises(ValidationError) as error:
        authoring.lesson_create(module=module, title="L", video_url="https://evil.example/v/1")

    assert "video_url" in error.value.message_dict
    assert not module.lessons.exists()


def test_lesson_body_is_sanitised_on_save(trainer):
    module = authoring.module_create(course=_draft(trainer), title="M")

    lesson = authoring.lesson_create(
        module=module, title="L", body="<iframe src=javascript:alert(1)></iframe>**ok**"
    )

    assert "iframe" not in lesson.body_html and "javascript" not in lesson.body_html
    assert "<strong>ok</strong>" in lesson.body_html


def test_attachment_type_and_size_are_checked(trainer, settings):
    settings.LMS_ATTACHMENT_MAX_BYTES = 10
    lesson = course_with_lessons(trainers=[trainer]).lessons.first()

    with pytest.raises(ValidationError):
        authoring.attachment_create(
            lesson=lesson, title="Big", file=SimpleUploadedFile("a.pdf", b"x" * 11)
        )
    with pytest.raises(ValidationError):
        authoring.attachment_create(
            lesson=lesson, title="Page", file=SimpleUploadedFile("a.html", b"<b>")
        )
    attachment = authoring.attachment_create(
        lesson=lesson, title="Notes", file=SimpleUploadedFile("a.txt", b"notes")
    )
    assert attachment.size == 5
    authoring.attachment_delete(attachment=attachment)
    assert not lesson.attachments.exists()


def test_the_lesson_page_contents_show_modules_in_their_new_order(trainer, client):
    from django.urls import reverse

    course = _draft(trainer)
    modules = [authoring.module_create(course=course, title=f"Module {n}") for n in "AB"]
    lessons = [
        authoring.lesson_create(module=m, title=f"Lesson {n}") for n, m in enumerate(modules)
    ]
    authoring.course_publish(course=course, actor=trainer)
    client.force_login(EnrollmentFactory(course=course).user)
    url = reverse("courses:lesson", args=[course.slug, lessons[0].pk])

    def contents() -> list[str]:
        # The course contents close the page; the lesson's own module heading comes first.
        return re.findall("Module [AB]", client.get(url).text)[-2:]

    assert contents() == ["Module A", "Module B"]  # now in the shared cache
    assert authoring.module_move(module=modules[1], step=-1)
    assert contents() == ["Module B", "Module A"]
