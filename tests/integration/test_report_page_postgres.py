"""The completion report page on PostgreSQL, where the scope is written as
``= ANY(ARRAY(people))`` and, when the statement joins the people, on their side as well
(``reports.permissions._UserAmong``)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.permissions import people_in_scope
from courses.models import Enrollment, EnrollmentStatus
from reports import selectors
from tests.factories import EnrollmentFactory, UserFactory, course_with_lessons
from tests.reports import test_query_counts_and_trainer_scope as page_tests
from tests.reports import test_scope_and_exports as scope_tests

pytestmark = pytest.mark.django_db

# Tests of the SQLite tier, with their fixtures, run here too.
tree, hr_client = scope_tests.tree, scope_tests.hr_client
test_officer_sees_own_subtree_only = scope_tests.test_officer_sees_own_subtree_only
test_the_report_page_statements_kept_per_scope_filters_and_day = (
    page_tests.test_the_report_page_statements_kept_per_scope_filters_and_day
)


def test_the_rows_join_the_people_in_scope_on_both_sides_and_match_the_plain_scope(hr_client, tree):
    root, unit_a, sub_a, unit_b = tree
    course = course_with_lessons()
    for unit in (unit_a, sub_a, unit_b, root):
        for n in range(3):
            person = UserFactory(full_name=f"{unit.name} {n}", org_unit=unit)
            EnrollmentFactory(user=person, course=course)
    officer = hr_client.officer

    with CaptureQueriesContext(connection) as sent:
        response = hr_client.get(reverse("reports:completion"))
    assert response.status_code == 200
    [rows_sql] = [q["sql"] for q in sent if 'AS "report_status"' in q["sql"]]
    # The rows on both sides of the join; the count, sent inside the same statement, once.
    columns, rest = rows_sql.split(' AS "report_total"')
    count_part = columns[columns.index('(SELECT COUNT(*) AS "__count"') :]
    assert rest.count("= ANY(ARRAY(") == 2 and rest.count('"id" = ANY(ARRAY(') == 1
    assert count_part.count("= ANY(ARRAY(") == 1
    # The page's rows chosen by their ids first: the per-row subqueries are not in that choice.
    chosen = rest[rest.index('"courses_enrollment"."id" IN (SELECT') :]
    assert "quizzes_attempt" not in chosen and "courses_lessonprogress" not in chosen
    assert not [
        q
        for q in sent
        if q["sql"].startswith('SELECT COUNT(*) AS "__count" FROM "courses_enrollment"')
    ]
    # A statement without the people joined (the count of the bare scope) has only the one.
    with CaptureQueriesContext(connection) as sent:
        selectors.completion_rows(actor=officer, filters=selectors.ReportFilters()).count()
    [count_sql] = [q["sql"] for q in sent if q["sql"].startswith("SELECT COUNT(*)")]
    assert '"accounts_user"' not in count_sql.split(" WHERE ")[0]
    assert count_sql.count("= ANY(ARRAY(") == 1

    page = selectors.completion_page(
        actor=officer, filters=selectors.ReportFilters(), number=1, per_page=50
    )
    plain = (
        Enrollment.objects.exclude(status=EnrollmentStatus.WITHDRAWN)
        .filter(user__in=people_in_scope(officer))
        .order_by("user__full_name", "user__email", "course__title", "pk")
        .values_list("pk", flat=True)
    )
    assert [row["pk"] for row in page.object_list] == list(plain)
    assert page.paginator.count == len(plain) == 6
