import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.forms.models import model_to_dict
from django.utils import timezone

from courses.models import CourseStatus, Enrollment, EnrollmentStatus
from courses.selectors import (
    ContentsLesson,
    ContentsModule,
    Progress,
    catalogue_courses,
    completed_lesson_ids,
    course_and_lesson,
    course_by_slug,
    course_progress,
    enrollment_and_completed_lesson_ids,
    enrollment_for,
    enrollment_progress,
    my_enrollments,
)
from courses.services import enrollment_create, lesson_complete
from tests.factories import (
    CategoryFactory,
    CourseFactory,
    EnrollmentFactory,
    LessonFactory,
    ModuleFactory,
    UserFactory,
    course_with_lessons,
)

pytestmark = pytest.mark.django_db


def _titles(courses) -> set[str]:
    return {course.title for course in courses}


def _course_with(required: int, optional: int, **course_kwargs):
    course = CourseFactory(**course_kwargs)
    module = ModuleFactory(course=course, position=1)
    lessons = [LessonFactory(module=module, position=n + 1) for n in range(required)]
    optional_lessons = [
        LessonFactory(module=module, position=required + n + 1, required=False)
        for n in range(optional)
    ]
    return course, lessons, optional_lessons


# catalogue_courses


def test_the_catalogue_lists_published_courses_only():
    CourseFactory(title="Published")
    CourseFactory(title="Draft", status=CourseStatus.DRAFT)
    CourseFactory(title="Archived", status=CourseStatus.ARCHIVED)

    assert _titles(catalogue_courses()) == {"Published"}


@pytest.mark.parametrize(
    "query",
    [
        "osnovi informacione",
        "OSNOVI INFORMACIONE",
        "основи информационе",
        "Основи   Информационе",
        "bezbednosti",
    ],
)
def test_a_cyrillic_title_is_found_in_either_script(query):
    CourseFactory(title="Основи информационе безбедности", summary="")
    CourseFactory(title="Управни поступак", summary="")

    assert _titles(catalogue_courses(query=query)) == {"Основи информационе безбедности"}


@pytest.mark.parametrize("query", ["основи информационе", "osnovi informacione", "Osnovi"])
def test_a_latin_title_is_found_in_either_script(query):
    CourseFactory(title="Osnovi informacione bezbednosti", summary="")
    CourseFactory(title="Upravni postupak", summary="")

    assert _titles(catalogue_courses(query=query)) == {"Osnovi informacione bezbednosti"}


def test_a_search_matches_a_serbian_name_with_or_without_diacritics():
    CourseFactory(title="Рад са странкама", summary="Предаје Ђорђе Љубић")

    for query in ("Đorđe Ljubić", "djordje ljubic", "Ђорђе"):
        assert _titles(catalogue_courses(query=query)) == {"Рад са странкама"}, query


def test_every_search_word_must_match():
    CourseFactory(title="Основи информационе безбедности", summary="")

    assert _titles(catalogue_courses(query="osnovi bezbednosti")) == {
        "Основи информационе безбедности"
    }
    assert not catalogue_courses(query="osnovi računovodstva").exists()


def test_a_hangul_title_is_found_by_a_hangul_word():
    CourseFactory(title="정보 보안 기초", summary="", language="ko")
    CourseFactory(title="행정 절차", summary="", language="ko")

    assert _titles(catalogue_courses(query="보안")) == {"정보 보안 기초"}


def test_the_catalogue_filters_by_category_slug():
    security = CategoryFactory(slug="security")
    law = CategoryFactory(slug="law")
    CourseFactory(title="Security basics", category=security)
    CourseFactory(title="Administrative law", category=law)

    assert _titles(catalogue_courses(category="security")) == {"Security basics"}


def test_the_catalogue_filters_by_language():
    CourseFactory(title="In English", language="en")
    CourseFactory(title="На српском", language="sr")
    CourseFactory(title="Na srpskom", language="sr-latn")
    CourseFactory(title="한국어로", language="ko")

    assert _titles(catalogue_courses(language="sr")) == {"На српском"}
    assert _titles(catalogue_courses(language="ko")) == {"한국어로"}


def test_the_catalogue_counts_lessons():
    course_with_lessons(lessons_per_module=2, modules=3, title="Six lessons")

    (course,) = catalogue_courses()
    assert course.lesson_count == 6


# my_enrollments


def test_my_enrollments_leaves_out_withdrawn_and_other_peoples_enrollments(learner):
    active = EnrollmentFactory(user=learner)
    EnrollmentFactory(user=learner, status=EnrollmentStatus.WITHDRAWN)
    EnrollmentFactory(user=UserFactory())

    assert list(my_enrollments(user=learner)) == [active]


def test_my_enrollments_counts_required_lessons_only(learner):
    course, required, optional = _course_with(required=3, optional=2)
    enrollment = enrollment_create(user=learner, course=course)
    lesson_complete(enrollment=enrollment, lesson=required[0])
    lesson_complete(enrollment=enrollment, lesson=optional[0])
    lesson_complete(enrollment=enrollment, lesson=optional[1])
    other_learner = enrollment_create(user=UserFactory(), course=course)
    lesson_complete(enrollment=other_learner, lesson=required[1])

    (mine,) = my_enrollments(user=learner)

    assert (mine.required_done, mine.required_total) == (1, 3)
    assert enrollment_progress(mine) == Progress(done=1, total=3, completed=False)
    assert enrollment_progress(mine).percent == 33


def test_my_enrollments_counts_zero_for_a_course_without_lessons(learner):
    EnrollmentFactory(user=learner)

    (mine,) = my_enrollments(user=learner)

    assert (mine.required_done, mine.required_total) == (0, 0)


def test_my_enrollments_orders_by_due_date_with_undated_next_and_completed_last(learner):
    later = EnrollmentFactory(user=learner, due_date=datetime.date(2030, 6, 1))
    sooner = EnrollmentFactory(user=learner, due_date=datetime.date(2030, 1, 15))
    undated = EnrollmentFactory(user=learner)
    completed_early_due = EnrollmentFactory(
        user=learner,
        due_date=datetime.date(2029, 1, 1),
        status=EnrollmentStatus.COMPLETED,
        completed_at=timezone.now(),
    )

    assert list(my_enrollments(user=learner)) == [sooner, later, undated, completed_early_due]


def test_my_enrollments_is_one_query_however_many_enrollments(learner, django_assert_num_queries):
    for _ in range(4):
        course, required, _optional = _course_with(required=2, optional=1)
        enrollment = enrollment_create(user=learner, course=course)
        lesson_complete(enrollment=enrollment, lesson=required[0])

    with django_assert_num_queries(1):
        rows = [
            (e.course.title, e.course.category.name, enrollment_progress(e).percent)
            for e in my_enrollments(user=learner)
        ]

    assert [percent for _title, _category, percent in rows] == [50, 50, 50, 50]


# course_progress


def test_course_progress_counts_required_lessons_only(learner, django_assert_num_queries):
    course, required, optional = _course_with(required=3, optional=1)
    enrollment = enrollment_create(user=learner, course=course)
    loaded = course_by_slug(slug=course.slug)
    done = {required[0].pk, required[1].pk, optional[0].pk}

    with django_assert_num_queries(0):
        progress = course_progress(course=loaded, enrollment=enrollment, done_ids=done)

    assert progress == Progress(done=2, total=3, completed=False)
    assert progress.percent == 67


def test_course_progress_of_a_completed_enrollment_is_a_hundred_percent(learner):
    course, required, _optional = _course_with(required=2, optional=1)
    enrollment = enrollment_create(user=learner, course=course)
    for lesson in required:
        lesson_complete(enrollment=enrollment, lesson=lesson)

    progress = course_progress(
        course=course_by_slug(slug=course.slug),
        enrollment=enrollment,
        done_ids={lesson.pk for lesson in required},
    )

    assert progress.completed
    assert progress.percent == 100


def test_course_progress_without_an_enrollment_is_zero():
    course, _required, _optional = _course_with(required=2, optional=0)

    progress = course_progress(
        course=course_by_slug(slug=course.slug), enrollment=None, done_ids=set()
    )

    assert progress == Progress(done=0, total=2, completed=False)
    assert progress.percent == 0


@pytest.mark.parametrize(
    ("progress", "percent"),
    [
        (Progress(done=0, total=0, completed=False), 0),
        (Progress(done=0, total=4, completed=False), 0),
        (Progress(done=1, total=4, completed=False), 25),
        (Progress(done=1, total=3, completed=False), 33),
        (Progress(done=4, total=4, completed=False), 100),
        (Progress(done=0, total=0, completed=True), 100),
        (Progress(done=5, total=4, completed=False), 100),
    ],
)
def test_progress_percent(progress, percent):
    assert progress.percent == percent


# enrollment_and_completed_lesson_ids


def assert_same_as_the_two_selectors(user, course) -> None:
    """The one-query selector returns what ``enrollment_for`` and ``completed_lesson_ids``
    return, field by field (dates and aware datetimes included)."""
    enrollment, done = enrollment_and_completed_lesson_ids(user=user, course=course)
    expected = enrollment_for(user=user, course=course)
    assert done == completed_lesson_ids(enrollment=expected)
    if expected is None:
        assert enrollment is None
        return
    assert isinstance(enrollment, Enrollment)
    assert enrollment.pk == expected.pk
    fields = [f.attname for f in Enrollment._meta.concrete_fields]
    assert [getattr(enrollment, f) for f in fields] == [getattr(expected, f) for f in fields]
    assert enrollment.enrolled_at.tzinfo is not None
    assert model_to_dict(enrollment) == model_to_dict(expected)


def enrollment_cases(learner):
    """Courses the learner is not enrolled in, enrolled with nothing done, with lessons done
    (and someone else's progress beside), and in a second certification cycle."""
    none = course_with_lessons()
    fresh = course_with_lessons()
    EnrollmentFactory(user=learner, course=fresh, due_date=datetime.date(2030, 1, 2))
    started = course_with_lessons()
    mine = EnrollmentFactory(user=learner, course=started)
    other = EnrollmentFactory(course=started)
    lessons = list(started.lessons.order_by("pk"))
    for lesson in lessons[:3]:
        lesson_complete(enrollment=mine, lesson=lesson)
    lesson_complete(enrollment=other, lesson=lessons[3])
    cycles = course_with_lessons()
    first = EnrollmentFactory(user=learner, course=cycles, cycle=1)
    lesson_complete(enrollment=first, lesson=cycles.lessons.first())
    second = EnrollmentFactory(user=learner, course=cycles, cycle=2)
    lesson_complete(enrollment=second, lesson=cycles.lessons.last())
    return [none, fresh, started, cycles]


def test_the_enrollment_with_its_lessons_done_agrees_with_the_two_selectors(
    learner, django_assert_num_queries
):
    courses = enrollment_cases(learner)
    for course in courses:
        assert_same_as_the_two_selectors(learner, course)
    with django_assert_num_queries(1):
        _enrollment, done = enrollment_and_completed_lesson_ids(user=learner, course=courses[2])
    assert len(done) == 3
    assert enrollment_and_completed_lesson_ids(user=learner, course=courses[3])[0].cycle == 2


def test_the_enrollment_with_its_lessons_done_of_an_anonymous_visitor_is_none(
    django_assert_num_queries,
):
    course = course_with_lessons()
    with django_assert_num_queries(0):
        assert enrollment_and_completed_lesson_ids(user=AnonymousUser(), course=course) == (
            None,
            set(),
        )


# course contents


def test_the_contents_are_the_modules_and_live_lessons_in_order_as_plain_data():
    course = CourseFactory()
    second = ModuleFactory(course=course, position=2, title="Second")
    first = ModuleFactory(course=course, position=1, title="First")
    empty = ModuleFactory(course=course, position=3, title="Empty")
    b = LessonFactory(module=first, position=2, title="B", required=False)
    a = LessonFactory(module=first, position=1, title="A")
    c = LessonFactory(module=second, position=1, title="C")
    LessonFactory(module=second, position=2, title="Archived", archived_at=timezone.now())
    expected = (
        ContentsModule(
            first.pk, "First", (ContentsLesson(a.pk, "A", True), ContentsLesson(b.pk, "B", False))
        ),
        ContentsModule(second.pk, "Second", (ContentsLesson(c.pk, "C", True),)),
        ContentsModule(empty.pk, "Empty", ()),
    )
    # The course page's course (model instances with quizzes) and the lesson pages' cached
    # one (plain data only) have the same contents.
    assert course_by_slug(slug=course.slug).contents == expected
    cached, _lesson = course_and_lesson(slug=course.slug)
    assert cached.contents == expected
    assert "modules" not in cached._prefetched_objects_cache
    assert course_and_lesson(slug=course.slug)[0].contents == expected
