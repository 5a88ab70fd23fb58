"""Archiving a single lesson: the services (audit, scope, completion re-check, progress kept) and
what learners see afterwards (no page, no contents entry, no navigation, no count)."""

import itertools

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEvent
from courses import authoring, completion, selectors
from courses.models import Course, Enrollment, EnrollmentStatus, Lesson, LessonProgress
from courses.services import enrollment_create, lesson_complete
from tests.factories import (
    CourseFactory,
    EnrollmentFactory,
    LessonFactory,
    ModuleFactory,
    UserFactory,
    course_with_lessons,
    give_totp,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer():
    user = UserFactory(roles=[Role.TRAINER])
    give_totp(user)
    return user


def _lessons(course):
    return list(Lesson.objects.filter(course=course).order_by("module__position", "position"))


def test_archiving_writes_an_audit_event_and_restoring_another(trainer):
    course = course_with_lessons(trainers=[trainer])
    lesson = _lessons(course)[0]

    assert authoring.lesson_archive(lesson=lesson, actor=trainer) is True
    lesson.refresh_from_db()
    assert lesson.archived_at is not None
    assert authoring.lesson_archive(lesson=lesson, actor=trainer) is False
    assert authoring.lesson_restore(lesson=lesson, actor=trainer) is True
    lesson.refresh_from_db()
    assert lesson.archived_at is None

    events = AuditEvent.objects.filter(action__startswith="lesson.").order_by("seq")
    assert [(e.action, e.data["lesson"]) for e in events] == [
        ("lesson.archive", lesson.pk),
        ("lesson.restore", lesson.pk),
    ]
    assert events[0].actor_id == trainer.pk


@pytest.mark.parametrize("who", ["other_trainer", "learner", "hr", "former_trainer"])
def test_only_the_course_authors_may_archive_or_restore(trainer, who):
    course = course_with_lessons(trainers=[trainer])
    lesson = _lessons(course)[0]
    actor = {
        "other_trainer": lambda: UserFactory(roles=[Role.TRAINER]),
        "learner": lambda: UserFactory(),
        "hr": lambda: UserFactory(roles=[Role.HR_OFFICER]),
        # Still listed on the course, but without the trainer role any more.
        "former_trainer": lambda: UserFactory(),
    }[who]()
    if who == "former_trainer":
        course.trainers.add(actor)

    with pytest.raises(PermissionDenied):
        authoring.lesson_archive(lesson=lesson, actor=actor)
    lesson.refresh_from_db()
    assert lesson.archived_at is None
    authoring.lesson_archive(lesson=lesson, actor=trainer)
    with pytest.raises(PermissionDenied):
        authoring.lesson_restore(lesson=lesson, actor=actor)
    assert not AuditEvent.objects.filter(actor_id=actor.pk).exists()


def test_an_administrator_may_archive_any_course_lesson():
    admin = UserFactory(roles=[Role.ADMINISTRATOR])
    lesson = _lessons(course_with_lessons())[0]

    assert authoring.lesson_archive(lesson=lesson, actor=admin)


def test_archiving_keeps_the_learners_progress_and_restoring_counts_it_again(trainer):
    course = course_with_lessons(lessons_per_module=3, modules=1, trainers=[trainer])
    first, second, _third = _lessons(course)
    enrollment = EnrollmentFactory(course=course)
    lesson_complete(enrollment=enrollment, lesson=first)
    lesson_complete(enrollment=enrollment, lesson=second)

    authoring.lesson_archive(lesson=first, actor=trainer)

    assert LessonProgress.objects.filter(enrollment=enrollment).count() == 2
    row = selectors.my_enrollments(user=enrollment.user).get()
    assert (row.required_done, row.required_total) == (1, 2)

    authoring.lesson_restore(lesson=first, actor=trainer)

    row = selectors.my_enrollments(user=enrollment.user).get()
    assert (row.required_done, row.required_total) == (2, 3)


def test_archiving_the_last_missing_required_lesson_completes_the_enrolment(
    trainer, django_capture_on_commit_callbacks
):
    course = course_with_lessons(lessons_per_module=2, modules=1, trainers=[trainer])
    done, missing = _lessons(course)
    enrollment = EnrollmentFactory(course=course)
    lesson_complete(enrollment=enrollment, lesson=done)
    assert enrollment.status == EnrollmentStatus.ACTIVE

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        authoring.lesson_archive(lesson=missing, actor=trainer)

    assert callbacks
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.COMPLETED


def test_archiving_an_optional_lesson_queues_no_completion_check(
    trainer, django_capture_on_commit_callbacks
):
    course = course_with_lessons(lessons_per_module=1, modules=1, trainers=[trainer])
    optional = LessonFactory(module=course.modules.first(), required=False)
    EnrollmentFactory(course=course)

    with django_capture_on_commit_callbacks() as callbacks:
        authoring.lesson_archive(lesson=optional, actor=trainer)

    # Only the cache bump after commit; no re-check task.
    assert len(callbacks) == 1


def test_counted_lessons_filter_and_lesson_counts_agree():
    module = ModuleFactory()
    for required, archived in itertools.product([True, False], repeat=2):
        LessonFactory(module=module, required=required)
        if archived:
            Lesson.objects.filter(pk=Lesson.objects.latest("pk").pk).update(
                archived_at=timezone.now()
            )
    lessons = list(Lesson.objects.filter(module=module))
    counted = set(
        Lesson.objects.filter(completion.counted_lessons_filter(), module=module).values_list(
            "pk", flat=True
        )
    )
    live = set(
        Lesson.objects.filter(completion.live_lessons_filter(), module=module).values_list(
            "pk", flat=True
        )
    )

    assert counted == {lesson.pk for lesson in lessons if completion.lesson_counts(lesson)}
    assert live == {lesson.pk for lesson in lessons if completion.lesson_is_live(lesson)}
    assert len(counted) == 1 and len(live) == 2


def test_every_progress_count_leaves_the_archived_lesson_out(trainer):
    course = course_with_lessons(lessons_per_module=2, modules=2, trainers=[trainer])
    lessons = _lessons(course)
    enrollment = EnrollmentFactory(course=course)
    lesson_complete(enrollment=enrollment, lesson=lessons[0])
    authoring.lesson_archive(lesson=lessons[0], actor=trainer)
    authoring.lesson_archive(lesson=lessons[1], actor=trainer)

    mine = selectors.my_enrollments(user=enrollment.user).get()
    one = selectors.enrollment_with_progress(pk=enrollment.pk)
    joined = selectors.annotate_lesson_counts(Enrollment.objects.filter(pk=enrollment.pk)).get()
    loaded = selectors.course_by_slug(slug=course.slug)
    page = selectors.course_progress(
        course=loaded,
        enrollment=enrollment,
        done_ids=selectors.completed_lesson_ids(enrollment=enrollment),
    )

    assert (mine.required_done, mine.required_total) == (0, 2)
    assert (one.required_done, one.required_total) == (0, 2)
    assert (joined.required_done, joined.required_total) == (0, 2)
    assert (page.done, page.total) == (0, 2)
    catalogue = selectors.catalogue_courses().get(pk=course.pk)
    assert catalogue.lesson_count == 2
    assert completion.required_lessons_done(enrollment) is False


def test_a_course_whose_lessons_are_all_archived_cannot_be_published(trainer):
    course = course_with_lessons(lessons_per_module=1, modules=1, trainers=[trainer])
    Course.objects.filter(pk=course.pk).update(status="draft")
    authoring.lesson_archive(lesson=_lessons(course)[0], actor=trainer)

    with pytest.raises(authoring.AuthoringError):
        authoring.course_publish(course=course, actor=trainer)


# What learners see.


@pytest.fixture
def enrolled(client, trainer):
    course = course_with_lessons(lessons_per_module=3, modules=1, trainers=[trainer])
    learner = UserFactory()
    enrollment = enrollment_create(user=learner, course=course)
    client.force_login(learner)
    return client, course, enrollment


def test_an_archived_lesson_answers_404_and_leaves_the_contents_and_navigation(enrolled, trainer):
    client, course, _enrollment = enrolled
    first, middle, last = _lessons(course)
    # Read once before archiving, so the cached course and lesson pages hold it.
    assert client.get(reverse("courses:lesson", args=[course.slug, middle.pk])).status_code == 200
    assert middle.title in client.get(reverse("courses:detail", args=[course.slug])).text

    authoring.lesson_archive(lesson=middle, actor=trainer)

    lesson_url = reverse("courses:lesson", args=[course.slug, middle.pk])
    assert client.get(lesson_url).status_code == 404
    done_url = reverse("courses:lesson_done", args=[course.slug, middle.pk])
    assert client.post(done_url).status_code == 404
    assert not LessonProgress.objects.filter(lesson=middle).exists()
    detail = client.get(reverse("courses:detail", args=[course.slug]))
    assert middle.title not in detail.text
    first_page = client.get(reverse("courses:lesson", args=[course.slug, first.pk]))
    assert middle.title not in first_page.text
    assert first_page.context["next_lesson"].pk == last.pk
    last_page = client.get(reverse("courses:lesson", args=[course.slug, last.pk]))
    assert last_page.context["previous_lesson"].pk == first.pk
    assert (first_page.context["progress"].done, first_page.context["progress"].total) == (0, 2)

    authoring.lesson_restore(lesson=middle, actor=trainer)

    assert client.get(lesson_url).status_code == 200
    assert middle.title in client.get(reverse("courses:detail", args=[course.slug])).text


def test_my_learning_counts_only_the_lessons_learners_see(enrolled, trainer):
    client, course, enrollment = enrolled
    first, middle, _last = _lessons(course)
    lesson_complete(enrollment=enrollment, lesson=first)
    authoring.lesson_archive(lesson=middle, actor=trainer)

    response = client.get(reverse("courses:my_learning"))

    [(_row, progress, _links)] = response.context["enrollments"]
    assert (progress.done, progress.total, progress.percent) == (1, 2, 50)


def test_the_course_page_starts_the_learner_past_an_archived_lesson(enrolled, trainer):
    client, course, _enrollment = enrolled
    first, middle, _last = _lessons(course)
    authoring.lesson_archive(lesson=first, actor=trainer)

    response = client.get(reverse("courses:detail", args=[course.slug]))

    assert response.context["next_lesson"].pk == middle.pk


def test_an_archived_lessons_attachment_is_for_its_trainers_only(enrolled, trainer):
    client, course, _enrollment = enrolled
    lesson = _lessons(course)[0]
    attachment = authoring.attachment_create(
        lesson=lesson,
        title="Notes",
        file=SimpleUploadedFile("notes.txt", b"Plain notes.\n", content_type="text/plain"),
    )
    url = reverse("courses:attachment", args=[attachment.pk])
    assert client.get(url).status_code == 200

    authoring.lesson_archive(lesson=lesson, actor=trainer)

    assert client.get(url).status_code == 404
    client.force_login(trainer)
    assert client.get(url).status_code == 200


def test_catalogue_card_counts_lessons_learners_see(client, trainer):
    course = CourseFactory(trainers=[trainer], title="Archive counting course")
    module = ModuleFactory(course=course)
    LessonFactory(module=module)
    gone = LessonFactory(module=module)
    assert "2 lessons" in client.get(reverse("courses:catalogue")).text

    authoring.lesson_archive(lesson=gone, actor=trainer)

    # The cached catalogue page is stale after the change.
    text = client.get(reverse("courses:catalogue")).text
    assert "1 lesson<" in text
    assert "2 lessons" not in text


def test_a_module_whose_lessons_are_all_archived_shows_no_empty_heading(client, trainer):
    course = course_with_lessons(lessons_per_module=1, modules=2, trainers=[trainer])
    learner = UserFactory()
    enrollment_create(user=learner, course=course)
    client.force_login(learner)
    first_module, second_module = course.modules.order_by("position")
    detail_url = reverse("courses:detail", args=[course.slug])
    assert second_module.title in client.get(detail_url).text

    authoring.lesson_archive(lesson=second_module.lessons.get(), actor=trainer)

    page = client.get(detail_url).text
    assert first_module.title in page
    assert second_module.title not in page
