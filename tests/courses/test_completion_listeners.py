"""The one writer of completion calls the registered listeners inside its transaction, and
certification cycles keep each cycle's enrollment apart."""

import pytest
from django.db import IntegrityError, transaction
from django.test.utils import CaptureQueriesContext

from courses import completion
from courses.models import Enrollment, EnrollmentStatus
from courses.services import (
    enrollment_create,
    enrollment_start_next_cycle,
    enrollment_update_completion,
    lesson_complete,
)
from tests.factories import UserFactory, course_with_lessons

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(monkeypatch):
    calls = []

    def listener(enrollment, change):
        calls.append((enrollment.pk, change, transaction.get_connection().in_atomic_block))

    monkeypatch.setattr(completion, "_listeners", [*completion._listeners, listener])
    return calls


def test_listeners_hear_completion_once_inside_the_transaction(recorded):
    course = course_with_lessons(lessons_per_module=1, modules=1)
    enrollment = enrollment_create(user=UserFactory(), course=course)
    lesson = course.lessons.get()
    lesson_complete(enrollment=enrollment, lesson=lesson)
    lesson_complete(enrollment=enrollment, lesson=lesson)
    assert enrollment_update_completion(enrollment=enrollment) is None
    assert recorded == [(enrollment.pk, completion.CompletionChange.COMPLETED, True)]


def test_reopening_is_only_done_when_asked_and_is_heard(recorded, monkeypatch):
    course = course_with_lessons(lessons_per_module=1, modules=1)
    enrollment = enrollment_create(user=UserFactory(), course=course)
    lesson_complete(enrollment=enrollment, lesson=course.lessons.get())
    monkeypatch.setattr(completion, "is_complete", lambda enrollment: False)

    assert enrollment_update_completion(enrollment=enrollment) is None
    assert Enrollment.objects.get(pk=enrollment.pk).status == EnrollmentStatus.COMPLETED
    change = enrollment_update_completion(enrollment=enrollment, allow_reopen=True)
    assert change == completion.CompletionChange.REOPENED
    stored = Enrollment.objects.get(pk=enrollment.pk)
    assert stored.status == EnrollmentStatus.ACTIVE and stored.completed_at is None
    assert [c[1] for c in recorded] == ["completed", "reopened"]


def test_registering_the_same_listener_twice_calls_it_once(monkeypatch):
    monkeypatch.setattr(completion, "_listeners", [])
    monkeypatch.setattr(completion, "_carrying_listeners", [])
    calls = []

    def listener(enrollment, change):
        calls.append(change)

    completion.register_completion_listener(listener)
    completion.register_completion_listener(listener)
    completion.notify_listeners(None, completion.CompletionChange.COMPLETED)
    assert calls == ["completed"]


def test_next_cycle_is_a_new_enrollment_and_enrol_returns_the_current_cycle():
    course = course_with_lessons(lessons_per_module=1, modules=1, validity_months=12)
    user = UserFactory()
    first = enrollment_create(user=user, course=course)
    assert enrollment_start_next_cycle(enrollment=first, due_date=None) is None  # not complete
    lesson_complete(enrollment=first, lesson=course.lessons.get())
    first.refresh_from_db()

    second = enrollment_start_next_cycle(enrollment=first, due_date=None)
    assert second is not None and second.cycle == 2
    assert second.status == EnrollmentStatus.ACTIVE
    assert enrollment_start_next_cycle(enrollment=first, due_date=None) is None
    assert enrollment_create(user=user, course=course).pk == second.pk
    assert Enrollment.objects.get(pk=first.pk).status == EnrollmentStatus.COMPLETED
    assert first.lesson_progress.count() == 1 and second.lesson_progress.count() == 0


def test_one_enrollment_per_person_course_and_cycle():
    course = course_with_lessons(lessons_per_module=1, modules=1)
    enrollment = enrollment_create(user=UserFactory(), course=course)
    Enrollment.objects.create(user=enrollment.user, course=course, cycle=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrollment.objects.create(user=enrollment.user, course=course, cycle=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrollment.objects.create(user=enrollment.user, course=course, cycle=0)


def _stored_status(enrollment):
    return Enrollment.objects.values_list("status", flat=True).get(pk=enrollment.pk)


def test_a_listener_carrying_the_status_hears_it_first_and_the_rest_find_it_stored(monkeypatch):
    heard = []

    def carrying(enrollment, change, status_write):
        # Not sent yet: the carrying listener may send it within a statement of its own.
        heard.append(("carrying", enrollment.status, _stored_status(enrollment)))

    def plain(enrollment, change):
        heard.append(("plain", enrollment.status, _stored_status(enrollment)))

    monkeypatch.setattr(completion, "_carrying_listeners", [carrying])
    monkeypatch.setattr(completion, "_listeners", [plain])
    course = course_with_lessons(lessons_per_module=1, modules=1)
    enrollment = enrollment_create(user=UserFactory(), course=course)
    lesson_complete(enrollment=enrollment, lesson=course.lessons.get())

    assert heard == [
        ("carrying", EnrollmentStatus.COMPLETED, EnrollmentStatus.ACTIVE),
        ("plain", EnrollmentStatus.COMPLETED, EnrollmentStatus.COMPLETED),
    ]
    stored = Enrollment.objects.get(pk=enrollment.pk)
    assert stored.status == EnrollmentStatus.COMPLETED and stored.completed_at is not None


def test_a_status_write_taken_by_a_listener_is_sent_once_by_it(monkeypatch):
    sent = []

    def carrying(enrollment, change, status_write):
        statement, params = status_write.take()
        assert status_write.take() is None
        with transaction.get_connection().cursor() as cursor:
            cursor.execute(statement, params)
        sent.append(statement)

    monkeypatch.setattr(completion, "_carrying_listeners", [carrying])
    monkeypatch.setattr(completion, "_listeners", [])
    course = course_with_lessons(lessons_per_module=1, modules=1)
    enrollment = enrollment_create(user=UserFactory(), course=course)
    lesson = course.lessons.get()
    with CaptureQueriesContext(transaction.get_connection()) as queries:
        lesson_complete(enrollment=enrollment, lesson=lesson)
    updates = [q["sql"] for q in queries if q["sql"].startswith("UPDATE") and "status" in q["sql"]]
    assert len(sent) == 1 and len(updates) == 1
    assert _stored_status(enrollment) == EnrollmentStatus.COMPLETED
