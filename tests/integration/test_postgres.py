import threading

import pytest
from django.db import IntegrityError, connection, transaction

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
