import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.models import OrgUnit
from courses import selectors, services
from courses.models import Enrollment, EnrollmentStatus, LessonProgress
from tests.factories import (
    CourseFactory,
    EnrollmentFactory,
    OrgUnitFactory,
    UserFactory,
    course_with_lessons,
)


@pytest.mark.django_db
def test_runs_on_postgresql():
    assert connection.vendor == "postgresql"


@pytest.mark.django_db
def test_one_enrollment_per_person_and_course_is_a_database_rule():
    enrollment = EnrollmentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrollment.objects.create(user=enrollment.user, course=enrollment.course)


@pytest.mark.django_db
def test_subtree_query_never_reaches_a_sibling():
    ministry = OrgUnitFactory(name="Ministry")
    sector = OrgUnitFactory(parent=ministry)
    department = OrgUnitFactory(parent=sector)
    sibling = OrgUnitFactory(parent=ministry)
    subtree = set(OrgUnit.objects.subtree(sector))
    assert subtree == {sector, department}
    assert sibling not in subtree


@pytest.mark.django_db
def test_search_finds_cyrillic_course_by_latin_words():
    CourseFactory(title="Основи информационе безбедности", slug="osnovi")
    CourseFactory(title="Cloud basics", slug="cloud")
    found = list(selectors.catalogue_courses(query="informacione bezbednosti"))
    assert [c.slug for c in found] == ["osnovi"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_mark_done_records_one_row_and_completes_once():
    course = course_with_lessons(lessons_per_module=1, modules=1)
    lesson = course.lessons.get()
    enrollment = EnrollmentFactory(course=course, user=UserFactory())
    barrier = threading.Barrier(4)
    errors = []

    def mark_done():
        try:
            barrier.wait(timeout=10)
            services.lesson_complete(
                enrollment=Enrollment.objects.get(pk=enrollment.pk), lesson=lesson
            )
        except Exception as exc:  # a failure in a thread must fail the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=mark_done) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert LessonProgress.objects.filter(enrollment=enrollment).count() == 1
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.COMPLETED
    assert enrollment.completed_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_statement_compiled_in_one_thread_runs_on_each_threads_own_connection():
    """``lms.prepared`` keeps one compiled statement per process; a threaded server runs it
    from many threads, each through its own connection (a shared one would interleave them)."""
    course = course_with_lessons(lessons_per_module=1, modules=1)
    learners = [UserFactory() for _ in range(4)]
    enrollments = [EnrollmentFactory(course=course, user=user) for user in learners]
    assert selectors.enrollment_for(user=learners[0], course=course).pk == enrollments[0].pk
    barrier = threading.Barrier(4)
    found, used, errors = {}, set(), []

    def read(index):
        try:
            barrier.wait(timeout=10)
            with transaction.atomic():
                found[index] = selectors.enrollment_for(user=learners[index], course=course).pk
                used.add(connection.connection.info.backend_pid)
                barrier.wait(timeout=10)  # all four connections open at once
        except Exception as exc:  # a failure in a thread must fail the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=read, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert found == {i: enrollment.pk for i, enrollment in enumerate(enrollments)}
    assert len(used) == 4


@pytest.mark.django_db
def test_a_completion_writes_its_status_in_the_certificates_insert():
    from certificates.models import Certificate
    from courses.completion import CompletionChange

    course = course_with_lessons(lessons_per_module=1, modules=1)
    enrollment = EnrollmentFactory(course=course, user=UserFactory())

    def status_writes(queries):
        return [q["sql"] for q in queries if "SET status = " in q["sql"]]

    with CaptureQueriesContext(connection) as queries:
        services.lesson_complete(enrollment=enrollment, lesson=course.lessons.get())
    stored = Enrollment.objects.get(pk=enrollment.pk)
    assert stored.status == EnrollmentStatus.COMPLETED and stored.completed_at is not None
    assert Certificate.objects.filter(enrollment=enrollment).count() == 1
    # One statement sends the status and the certificate.
    [write] = status_writes(queries)
    assert 'INSERT INTO "certificates_certificate"' in write

    # Active again by hand and completed again: the live certificate stays the only one (the
    # insert does nothing) and the status is still written by that statement.
    Enrollment.objects.filter(pk=enrollment.pk).update(
        status=EnrollmentStatus.ACTIVE, completed_at=None
    )
    with CaptureQueriesContext(connection) as queries:
        change = services.enrollment_update_completion(enrollment=stored)
    assert change == CompletionChange.COMPLETED
    assert Enrollment.objects.get(pk=enrollment.pk).status == EnrollmentStatus.COMPLETED
    assert Certificate.objects.filter(enrollment=enrollment).count() == 1
    [write] = status_writes(queries)
    assert 'INSERT INTO "certificates_certificate"' in write
