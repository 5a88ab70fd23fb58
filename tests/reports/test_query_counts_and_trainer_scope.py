"""The HR pages run the same number of queries however many rows, units, weeks, attempts and
certificates there are; trainers see the report of the courses they teach, nothing else."""

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from accounts.roles import Role
from certificates import services as certificate_services
from courses import services as course_services
from courses.models import Enrollment, EnrollmentSource
from quizzes import services as quiz_services
from quizzes.models import Quiz
from reports import selectors
from tests.factories import OrgUnitFactory, UserFactory, course_with_lessons, give_totp
from tests.query_counts import assert_query_count, count_queries
from tests.quizzes.factories import choice_question

pytestmark = pytest.mark.django_db


def privileged(role, **kwargs):
    user = UserFactory(roles=(role,), **kwargs)
    give_totp(user)
    return user


@pytest.fixture
def officer_client(client):
    root = OrgUnitFactory(name="Ministry")
    officer = privileged(Role.HR_OFFICER, org_unit=root)
    client.force_login(officer)
    client.officer = officer
    client.root = root
    return client


def _assign(person, course, *, officer, due_in_days=10):
    return course_services.enrollment_create(
        user=person,
        course=course,
        source=EnrollmentSource.ASSIGNED,
        assigned_by=officer,
        due_date=timezone.localdate() + datetime.timedelta(days=due_in_days),
    )


def _completed(enrollment, *, weeks_ago: int) -> None:
    """Finish the enrolment, then date its completion ``weeks_ago`` weeks back, so the chart
    of completions per week has that many more columns with data."""
    for lesson in enrollment.course.lessons.filter(required=True):
        course_services.lesson_complete(enrollment=enrollment, lesson=lesson)
    when = timezone.now() - datetime.timedelta(weeks=weeks_ago)
    Enrollment.objects.filter(pk=enrollment.pk).update(completed_at=when)


def _grow_dashboard(officer, root, course, *, units: int, per_unit: int, start: int = 0):
    for index in range(start, start + units):
        unit = OrgUnitFactory(name=f"Unit {index}", parent=root)
        for number in range(per_unit):
            enrollment = _assign(
                UserFactory(org_unit=unit), course, officer=officer, due_in_days=-1 - number
            )
            if number % 2 == 0:
                _completed(enrollment, weeks_ago=number % 8)


@pytest.mark.parametrize("with_course", [False, True])
def test_dashboard_query_count_is_constant(officer_client, django_assert_num_queries, with_course):
    officer, root = officer_client.officer, officer_client.root
    course = course_with_lessons(self_enrollment=False)
    _grow_dashboard(officer, root, course, units=1, per_unit=1)
    url = reverse("reports:dashboard") + (f"?course={course.pk}" if with_course else "")
    few = count_queries(officer_client, url)
    _grow_dashboard(officer, root, course, units=6, per_unit=5, start=1)
    course_with_lessons(self_enrollment=False)  # another course in the filter
    response = officer_client.get(url)
    assert response.content.decode().count('<th scope="row">Unit ') == 7
    assert_query_count(officer_client, django_assert_num_queries, url, few)


def _person_history(person, *, officer, courses: int) -> None:
    """``courses`` courses for ``person``, each with a submitted quiz attempt and an issued
    certificate for the earlier ones."""
    for _ in range(courses):
        course = course_with_lessons(self_enrollment=False)
        enrollment = _assign(person, course, officer=officer)
        quiz = Quiz.objects.create(course=course, title="Check", position=1)
        choice_question(quiz)
        attempt = quiz_services.attempt_start(enrollment=enrollment, quiz=quiz)
        quiz_services.attempt_submit(attempt=attempt, data={})
        pending = certificate_services.certificate_create_pending(enrollment=enrollment)
        certificate_services.certificate_issue(certificate_id=pending.pk)


def test_person_page_query_count_is_constant(officer_client, django_assert_num_queries):
    officer, root = officer_client.officer, officer_client.root
    person = UserFactory(org_unit=OrgUnitFactory(parent=root))
    _person_history(person, officer=officer, courses=1)
    url = reverse("reports:person", args=[person.pk])
    few = count_queries(officer_client, url)
    _person_history(person, officer=officer, courses=5)
    body = officer_client.get(url).content.decode()
    assert body.count("Check") == 6
    assert_query_count(officer_client, django_assert_num_queries, url, few)


@pytest.fixture
def taught(db):
    """A trainer's course and another trainer's, with one learner in each."""
    trainer = privileged(Role.TRAINER)
    mine = course_with_lessons(trainers=[trainer], title="Taught course")
    theirs = course_with_lessons(trainers=[privileged(Role.TRAINER)], title="Someone else's")
    unit = OrgUnitFactory()
    inside = UserFactory(full_name="Ана Унутра", org_unit=unit)
    outside = UserFactory(full_name="Outside Person", org_unit=unit)
    course_services.enrollment_create(user=inside, course=mine)
    course_services.enrollment_create(user=outside, course=theirs)
    return trainer, mine, theirs, inside, outside


def test_trainer_report_and_exports_hold_taught_courses_only(client, taught):
    trainer, _mine, theirs, _inside, _outside = taught
    client.force_login(trainer)
    body = client.get(reverse("reports:completion")).content.decode()
    assert "Ана Унутра" in body and "Outside Person" not in body
    # The course filter offers only the taught course, and another course's id is a 404.
    assert "Someone else&#x27;s" not in body
    assert client.get(reverse("reports:completion") + f"?course={theirs.pk}").status_code == 404
    assert client.get(reverse("reports:dashboard") + f"?course={theirs.pk}").status_code == 404
    response = client.get(reverse("reports:export", args=["csv"]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["Ана Унутра"]
    export = client.get(reverse("reports:export", args=["csv"]) + f"?course={theirs.pk}")
    assert export.status_code == 404


def test_trainer_cannot_assign_or_open_a_person(client, taught):
    trainer, mine, _theirs, inside, _outside = taught
    client.force_login(trainer)
    assert client.get(reverse("reports:assign")).status_code == 404
    assert client.get(reverse("reports:person", args=[inside.pk])).status_code == 404
    response = client.post(
        reverse("reports:assign"),
        {"action": "confirm", "course": mine.pk, "people": [inside.pk]},
    )
    assert response.status_code == 404
    assert Enrollment.objects.filter(course=mine).count() == 1


def _course_options(body: str) -> list[str]:
    select = re.search(r'<select name="course".*?</select>', body, re.S).group(0)
    return re.findall(r"<option value=\"\d+\">([^<]*)</option>", select)


def test_the_course_filter_is_read_once_for_every_officer_and_follows_course_changes(
    client, taught
):
    """HR officers and administrators are offered every course: the list is kept in the
    shared cache, read from the database once, and renamed or new courses show at once. A
    trainer's own list never comes from it."""
    trainer, mine, _theirs, _inside, _outside = taught
    first = privileged(Role.HR_OFFICER, org_unit=OrgUnitFactory(name="Ministry"))
    second = privileged(Role.HR_OFFICER, org_unit=OrgUnitFactory(name="Agency"))
    client.force_login(first)
    assert _course_options(client.get(reverse("reports:completion")).text) == [
        "Someone else&#x27;s",
        "Taught course",
    ]

    client.force_login(second)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("reports:completion")).text
    assert "Taught course" in _course_options(page)
    assert not [q for q in queries if 'FROM "courses_course" ORDER BY' in q["sql"]]

    mine.title = "Archives course"
    mine.save()
    course_with_lessons(title="New course")
    assert _course_options(client.get(reverse("reports:completion")).text) == [
        "Archives course",
        "New course",
        "Someone else&#x27;s",
    ]

    client.force_login(trainer)
    assert _course_options(client.get(reverse("reports:completion")).text) == ["Archives course"]


def _names(page) -> list[str]:
    return [row["user__full_name"] for row in page.object_list]


def test_the_report_page_statements_kept_per_scope_filters_and_day(client):
    """The page's statements are compiled once per reader's scope, filters and day: officers
    of sibling units, a filter and the next day each get their own rows."""
    ministry = OrgUnitFactory(name="Ministry")
    north, south = (OrgUnitFactory(name=name, parent=ministry) for name in ("North", "South"))
    officers = {unit: privileged(Role.HR_OFFICER, org_unit=unit) for unit in (north, south)}
    course = course_with_lessons(self_enrollment=False)
    for unit, name in ((north, "Nora North"), (south, "Sam South")):
        _assign(UserFactory(full_name=name, org_unit=unit), course, officer=officers[unit])

    def page(officer, today=None, **filters):
        return selectors.completion_page(
            actor=officer,
            filters=selectors.ReportFilters(**filters),
            number=1,
            per_page=50,
            today=today,
        )

    for _ in range(2):
        assert _names(page(officers[north])) == ["Nora North"]
        assert _names(page(officers[south])) == ["Sam South"]
    assert page(officers[north]).paginator.count == 1
    assert _names(page(officers[north], status="overdue")) == []
    later = timezone.localdate() + datetime.timedelta(days=30)
    assert _names(page(officers[north], today=later, status="overdue")) == ["Nora North"]
    assert page(officers[north], today=later, status="overdue").paginator.count == 1

    # A new person shows on the next view of the same page.
    _assign(UserFactory(full_name="Nell North", org_unit=north), course, officer=officers[north])
    assert _names(page(officers[north])) == ["Nell North", "Nora North"]
    assert page(officers[north]).paginator.count == 2


def test_the_report_page_compares_completion_dates_in_the_readers_time_zone(client):
    """A completion just after midnight in Seoul is the day before in Belgrade: the same
    filter gives each time zone its own statement."""
    unit = OrgUnitFactory(name="Ministry")
    officer = privileged(Role.HR_OFFICER, org_unit=unit)
    course = course_with_lessons(self_enrollment=False)
    enrollment = _assign(
        UserFactory(full_name="Late Finisher", org_unit=unit), course, officer=officer
    )
    for lesson in course.lessons.filter(required=True):
        course_services.lesson_complete(enrollment=enrollment, lesson=lesson)
    when = datetime.datetime(2026, 3, 10, 15, 30, tzinfo=datetime.UTC)  # 00:30 on the 11th in Seoul
    Enrollment.objects.filter(pk=enrollment.pk).update(completed_at=when)
    filters = selectors.ReportFilters(completed_from=datetime.date(2026, 3, 11))

    def names():
        page = selectors.completion_page(actor=officer, filters=filters, number=1, per_page=50)
        return _names(page)

    with timezone.override("Asia/Seoul"):
        assert names() == ["Late Finisher"]
    with timezone.override("Europe/Belgrade"):
        assert names() == []
    with timezone.override("Asia/Seoul"):
        assert names() == ["Late Finisher"]


def test_the_report_page_count_agrees_with_its_rows_under_every_filter(client):
    """The page's count is the rows' queryset's own count, without the columns joined for the
    page: it must still count exactly the rows the report lists."""
    ministry = OrgUnitFactory(name="Ministry")
    north = OrgUnitFactory(name="North", parent=ministry)
    officer = privileged(Role.HR_OFFICER, org_unit=ministry)
    records, security = (course_with_lessons(self_enrollment=False) for _ in range(2))
    people = [
        UserFactory(full_name="Ana Anić", org_unit=ministry),
        UserFactory(full_name="Bora Borić", org_unit=north),
        UserFactory(full_name="Vesna Vesić", org_unit=north, employee_number="E-77"),
    ]
    for person in people:
        _assign(person, records, officer=officer)
    _assign(people[1], security, officer=officer, due_in_days=-3)
    course_services.lesson_complete(
        enrollment=Enrollment.objects.get(user=people[2], course=records),
        lesson=records.lessons.filter(required=True).first(),
    )
    cases = [
        {},
        {"unit": north},
        {"unit": ministry, "include_subunits": False},
        {"course": security},
        {"status": "overdue"},
        {"status": "in_progress"},
        {"query": "E-77"},
        {"query": "bora", "course": records},
        {"sort": "unit", "descending": True},
    ]
    counts = []
    for filters in cases:
        filters = selectors.ReportFilters(**filters)
        page = selectors.completion_page(actor=officer, filters=filters, number=1, per_page=1)
        listed = list(selectors.completion_rows(actor=officer, filters=filters))
        assert page.paginator.count == len(listed)
        counts.append(len(listed))
    assert counts == [4, 3, 1, 1, 1, 1, 1, 1, 4]


def test_the_report_page_follows_a_move_of_the_officers_own_unit(client):
    """The statements are kept by the officer's unit id and the tree's version, not by its
    path: when the unit moves (its path and its members' change), the next page is built
    for the new path."""
    ministry, other = OrgUnitFactory(name="Ministry"), OrgUnitFactory(name="Other ministry")
    north = OrgUnitFactory(name="North", parent=ministry)
    officer = privileged(Role.HR_OFFICER, org_unit=north)
    course = course_with_lessons(self_enrollment=False)
    _assign(UserFactory(full_name="Nora North", org_unit=north), course, officer=officer)

    def names():
        reader = type(officer).objects.get(pk=officer.pk)  # as a request loads it
        page = selectors.completion_page(
            actor=reader, filters=selectors.ReportFilters(), number=1, per_page=50
        )
        return _names(page), page.paginator.count

    assert names() == (["Nora North"], 1)
    account_services.org_unit_update(
        unit=north, name="North", code=north.code, parent=other, actor=None
    )
    assert names() == (["Nora North"], 1)


def _statements_reading_enrollments(sent) -> list[str]:
    return [q["sql"] for q in sent if "courses_enrollment" in q["sql"]]


def test_the_report_page_sends_its_count_inside_the_rows_of_the_page_asked_for(client):
    """One statement gives the page's rows and how many rows there are, on every page with
    rows; a page with none (nothing matches, or past the last page) still shows the right
    count and the last page's rows."""
    unit = OrgUnitFactory(name="Ministry")
    officer = privileged(Role.HR_OFFICER, org_unit=unit)
    course = course_with_lessons(self_enrollment=False)
    for name in ("Ana", "Bora", "Vesna"):
        _assign(UserFactory(full_name=name, org_unit=unit), course, officer=officer)

    def page(number, **filters):
        with CaptureQueriesContext(connection) as sent:
            found = selectors.completion_page(
                actor=officer,
                filters=selectors.ReportFilters(**filters),
                number=number,
                per_page=2,
            )
            shown = (_names(found), found.paginator.count, found.number)
        return shown, len(_statements_reading_enrollments(sent))

    for _ in range(2):  # compiled on the first visit, sent again on the second
        assert page(1) == ((["Ana", "Bora"], 3, 1), 1)
        assert page(2) == ((["Vesna"], 3, 2), 1)
    # Past the last page: the count alone, then the last page, as Paginator.get_page does.
    assert page(7) == ((["Vesna"], 3, 2), 3)
    assert page(1, status="completed") == (([], 0, 1), 2)


def test_the_report_view_reads_enrollments_in_one_statement(officer_client):
    course = course_with_lessons(self_enrollment=False)
    for n in range(3):
        _assign(
            UserFactory(full_name=f"Person {n}", org_unit=officer_client.root),
            course,
            officer=officer_client.officer,
        )
    for _ in range(2):
        with CaptureQueriesContext(connection) as sent:
            response = officer_client.get(reverse("reports:completion"))
        assert response.status_code == 200
        assert "3 rows" in response.text and response.text.count("Person ") == 3
        assert len(_statements_reading_enrollments(sent)) == 1
