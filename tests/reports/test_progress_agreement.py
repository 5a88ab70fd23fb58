"""The progress figures agree wherever they are shown: "My learning", the completion report
page (per-row subqueries) and the exports (counts joined once, ``annotate_lesson_counts``)."""

import csv
import io
import tempfile
import zipfile

import pytest
from django.db.models import Sum

from accounts.roles import Role
from courses.cache import catalogue_version
from courses.models import Enrollment, EnrollmentStatus
from courses.selectors import (
    annotate_lesson_counts,
    counted_lesson_totals,
    enrollment_progress,
    my_enrollments,
)
from courses.services import enrollment_withdraw, lesson_complete
from reports import exports
from reports.selectors import (
    SORTS,
    ReportFilters,
    ReportStatus,
    completion_page,
    completion_rows,
    row_progress,
)
from tests.factories import (
    CourseFactory,
    EnrollmentFactory,
    LessonFactory,
    ModuleFactory,
    OrgUnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _course(required: int, optional: int):
    course = CourseFactory()
    module = ModuleFactory(course=course, position=1)
    lessons = [LessonFactory(module=module, position=n + 1) for n in range(required)]
    extra = [
        LessonFactory(module=module, position=required + n + 1, required=False)
        for n in range(optional)
    ]
    return course, lessons, extra


@pytest.fixture
def people():
    """Three people in one unit, enrolled in courses with required and optional lessons, at
    different points, as the unit's HR officer sees them: nothing done, some required and
    optional lessons done, a course with no required lessons, and a withdrawn enrollment that
    no page shows; and someone in a sibling unit, whose progress is no row of the report."""
    unit = OrgUnitFactory(name="Unit")
    sibling = OrgUnitFactory(name="Sibling")
    officer = UserFactory(roles=(Role.HR_OFFICER,), org_unit=unit)
    course_a, required_a, optional_a = _course(required=3, optional=2)
    course_b, required_b, _optional_b = _course(required=2, optional=0)
    empty, _none, _optional_empty = _course(required=0, optional=1)
    learners = [UserFactory(org_unit=unit) for _ in range(3)]
    first, second, third = learners
    one = EnrollmentFactory(user=first, course=course_a)
    lesson_complete(enrollment=one, lesson=required_a[0])
    lesson_complete(enrollment=one, lesson=optional_a[0])
    lesson_complete(enrollment=one, lesson=optional_a[1])
    two = EnrollmentFactory(user=first, course=course_b)
    for lesson in required_b:
        lesson_complete(enrollment=two, lesson=lesson)
    EnrollmentFactory(user=first, course=empty)
    EnrollmentFactory(user=second, course=course_a)
    withdrawn = EnrollmentFactory(user=second, course=course_b)
    lesson_complete(enrollment=withdrawn, lesson=required_b[0])
    enrollment_withdraw(enrollment=withdrawn)
    three = EnrollmentFactory(user=third, course=course_a)
    for lesson in required_a[:2]:
        lesson_complete(enrollment=three, lesson=lesson)
    outsider = EnrollmentFactory(user=UserFactory(org_unit=sibling), course=course_a)
    lesson_complete(enrollment=outsider, lesson=required_a[2])
    return officer, learners


def _learning(learners) -> dict[int, tuple[int, int, int]]:
    figures = {}
    for learner in learners:
        for enrollment in my_enrollments(user=learner):
            progress = enrollment_progress(enrollment)
            figures[enrollment.pk] = (progress.done, progress.total, progress.percent)
    return figures


def test_my_learning_the_report_and_the_export_agree(people):
    officer, learners = people
    rows = completion_rows(actor=officer, filters=ReportFilters())
    page = {
        row.pk: (row_progress(row).done, row_progress(row).total, row_progress(row).percent)
        for row in rows
    }
    exported = {
        row.pk: (row.required_done, row.required_total, row_progress(row).percent)
        for row in annotate_lesson_counts(rows)
    }
    learning = _learning(learners)
    assert page == learning == exported
    # The cases the fixture sets up are all there: optional lessons never count, a course
    # without required lessons is 0 of 0, and the withdrawn enrollment is on no page.
    assert sorted(learning.values()) == [
        (0, 0, 0),
        (0, 3, 0),
        (1, 3, 33),
        (2, 2, 100),
        (2, 3, 67),
    ]


def test_the_joined_counts_agree_under_filters_and_slices(people):
    officer, learners = people
    learning = _learning(learners)
    for filters in (
        ReportFilters(status=ReportStatus.IN_PROGRESS),
        ReportFilters(status=ReportStatus.NOT_STARTED, sort="course", descending=True),
        ReportFilters(query=learners[0].full_name.split()[0]),
    ):
        rows = completion_rows(actor=officer, filters=filters)
        expected = [row.pk for row in rows]
        joined = list(
            annotate_lesson_counts(rows).values_list("pk", "required_done", "required_total")
        )
        assert [pk for pk, _done, _total in joined] == expected
        assert all(learning[pk][:2] == (done, total) for pk, done, total in joined)
        assert annotate_lesson_counts(rows).count() == len(expected)
    rows = completion_rows(actor=officer, filters=ReportFilters())
    sliced = list(annotate_lesson_counts(rows[1:3]).values_list("pk", "required_done"))
    assert sliced == [(row.pk, row.required_done) for row in rows[1:3]]
    # Filtered, aggregated and nested in another query, the joined counts stay the same.
    joined = annotate_lesson_counts(rows)
    assert joined.aggregate(n=Sum("required_done")) == rows.aggregate(n=Sum("required_done"))
    assert set(joined.filter(required_done=2).values_list("pk", flat=True)) == set(
        rows.filter(required_done=2).values_list("pk", flat=True)
    )
    nested = Enrollment.objects.filter(pk__in=joined.filter(required_total=3).values("pk"))
    assert nested.count() == rows.filter(required_total=3).count() == 3


@pytest.mark.parametrize("sort", sorted(SORTS))
@pytest.mark.parametrize("descending", [False, True])
def test_every_page_of_the_report_is_its_slice_of_the_rows(people, sort, descending):
    """The page chooses its rows by id first and reads their columns after: in every sort,
    on every page, the rows, their order and their figures are those of the plain rows."""
    officer, _learners = people
    for status in ("", ReportStatus.IN_PROGRESS):
        filters = ReportFilters(sort=sort, descending=descending, status=status)
        rows = completion_rows(actor=officer, filters=filters)
        expected = [
            (row.pk, row.report_status, row.required_done, row.required_total) for row in rows
        ]
        totals = counted_lesson_totals(version=catalogue_version())
        shown = []
        for number in (1, 2, 3):
            page = completion_page(actor=officer, filters=filters, number=number, per_page=2)
            if page.number != number:
                break  # past the last page: Paginator shows the last one again
            shown += [
                (
                    row["pk"],
                    row["report_status"],
                    row["required_done"],
                    totals.get(row["course_id"], 0),
                )
                for row in page.object_list
            ]
        assert shown == expected and expected


def test_the_csv_and_xlsx_show_the_same_progress(people):
    officer, _learners = people
    rows = completion_rows(actor=officer, filters=ReportFilters())
    percents = [row_progress(row).percent for row in rows]
    text = "".join(
        exports.csv_chunks(
            exports.export_values(rows), header=exports.headers(), names=exports.labels()
        )
    )
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    progress_column = exports.headers().index("Progress (%)")
    assert [int(line[progress_column]) for line in lines[1:]] == percents
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        exports.write_xlsx(
            handle.name,
            exports.export_values(rows),
            header=exports.headers(),
            names=exports.labels(),
        )
        with zipfile.ZipFile(handle.name) as archive:
            sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    for number, percent in enumerate(percents, start=2):
        assert f'<c r="G{number}"><v>{percent}</v></c>' in sheet
    assert EnrollmentStatus.WITHDRAWN not in {row.status for row in rows}


def test_the_page_and_the_export_agree_on_every_status(people):
    """The page's status (per-row subqueries) and the export's (EXISTS) are the same rule."""
    import datetime

    from django.utils import timezone

    from quizzes.services import attempt_start
    from tests.quizzes.factories import ChoiceFactory, QuestionFactory, QuizFactory

    officer, learners = people
    quiz_only_course = CourseFactory()
    quiz = QuizFactory(course=quiz_only_course)
    question = QuestionFactory(quiz=quiz)
    ChoiceFactory(question=question, is_correct=True)
    tried = EnrollmentFactory(user=learners[1], course=quiz_only_course)
    attempt_start(enrollment=tried, quiz=quiz)
    overdue_course = CourseFactory()
    EnrollmentFactory(
        user=learners[2],
        course=overdue_course,
        due_date=timezone.localdate() - datetime.timedelta(days=3),
    )
    filters = ReportFilters()
    page = dict(
        completion_rows(actor=officer, filters=filters, paged=True).values_list(
            "pk", "report_status"
        )
    )
    export = dict(
        completion_rows(actor=officer, filters=filters).values_list("pk", "report_status")
    )
    assert page == export
    assert page[tried.pk] == ReportStatus.IN_PROGRESS
    assert set(page.values()) == {
        ReportStatus.NOT_STARTED,
        ReportStatus.IN_PROGRESS,
        ReportStatus.COMPLETED,
        ReportStatus.OVERDUE,
    }
