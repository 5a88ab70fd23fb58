"""The statements compiled once (``lms.prepared``) give what their querysets give."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.db.models import IntegerField, Q
from django.db.models.expressions import RawSQL
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses import completion
from courses import selectors as course_selectors
from courses.models import Enrollment, Lesson
from courses.services import lesson_complete
from lms.prepared import CompiledPerKey, prepared
from quizzes import selectors as quiz_selectors
from quizzes.models import Attempt, AttemptStatus, GradingPolicy
from tests.factories import EnrollmentFactory, UserFactory, course_with_lessons, give_totp
from tests.prepared_rows import fields_of, same_rows
from tests.quizzes.factories import QuizFactory

pytestmark = pytest.mark.django_db


def test_the_current_enrollment_is_the_latest_cycle_and_matches_the_queryset(learner):
    course = course_with_lessons()
    assert (
        same_rows(course_selectors._enrollment_query, user_id=learner.pk, course_id=course.pk) == []
    )
    assert course_selectors.enrollment_for(user=learner, course=course) is None
    EnrollmentFactory(user=learner, course=course, cycle=1)
    second = EnrollmentFactory(
        user=learner, course=course, cycle=2, due_date=datetime.date(2030, 1, 2)
    )
    EnrollmentFactory(course=course, cycle=3)  # someone else's, in a later cycle
    rows = same_rows(course_selectors._enrollment_query, user_id=learner.pk, course_id=course.pk)
    assert [row.pk for row in rows] == [second.pk]
    found = course_selectors.enrollment_for(user=learner, course=course)
    assert found.pk == second.pk and found.due_date == datetime.date(2030, 1, 2)
    assert found.enrolled_at.tzinfo is not None


def test_the_enrollment_with_its_lessons_done_matches_the_queryset(learner):
    course = course_with_lessons(lessons_per_module=2, modules=1)
    ids = {"user_id": learner.pk, "course_id": course.pk}
    assert same_rows(course_selectors._enrollment_with_done_query, **ids) == []
    enrollment = EnrollmentFactory(user=learner, course=course)
    (row,) = same_rows(course_selectors._enrollment_with_done_query, **ids)
    assert row.completed_lesson_ids is None
    first, second = course.lessons.order_by("pk")
    lesson_complete(enrollment=enrollment, lesson=second)
    lesson_complete(enrollment=enrollment, lesson=first)
    (row,) = same_rows(course_selectors._enrollment_with_done_query, **ids)
    assert sorted(row.completed_lesson_ids) == sorted([first.pk, second.pk])


def test_each_run_takes_its_own_values(learner):
    """The compiled statement is reused; the ids are not (another user, another course)."""
    one, two = course_with_lessons(), course_with_lessons()
    other = UserFactory()
    mine = EnrollmentFactory(user=learner, course=one)
    theirs = EnrollmentFactory(user=other, course=two)
    assert course_selectors.enrollment_for(user=learner, course=one).pk == mine.pk
    assert course_selectors.enrollment_for(user=other, course=two).pk == theirs.pk
    assert course_selectors.enrollment_for(user=learner, course=two) is None
    assert course_selectors.enrollment_for(user=other, course=one) is None


def test_the_lesson_counts_follow_the_counted_lessons_rule(learner):
    course = course_with_lessons(lessons_per_module=2, modules=2)
    lessons = list(Lesson.objects.filter(module__course=course).order_by("pk"))
    optional, archived = lessons[0], lessons[1]
    Lesson.objects.filter(pk=optional.pk).update(required=False)
    Lesson.objects.filter(pk=archived.pk).update(archived_at=timezone.now())
    enrollment = EnrollmentFactory(user=learner, course=course)
    ids = {"course_id": course.pk, "enrollment_id": enrollment.pk}
    assert same_rows(completion._lesson_counts, **ids) == [(2, 0)]
    assert not completion.required_lessons_done(enrollment)
    counted = [lesson for lesson in lessons if lesson.pk not in (optional.pk, archived.pk)]
    lesson_complete(enrollment=enrollment, lesson=optional)  # counts for nothing
    lesson_complete(enrollment=enrollment, lesson=counted[0])
    assert same_rows(completion._lesson_counts, **ids) == [(2, 1)]
    assert not completion.required_lessons_done(enrollment)
    lesson_complete(enrollment=enrollment, lesson=counted[1])
    assert same_rows(completion._lesson_counts, **ids) == [(2, 2)]
    assert completion.required_lessons_done(Enrollment.objects.get(pk=enrollment.pk))


def test_a_course_that_counts_no_lesson_needs_none_done(learner):
    course = course_with_lessons(lessons_per_module=1, modules=1)
    Lesson.objects.filter(module__course=course).update(required=False)
    enrollment = EnrollmentFactory(user=learner, course=course)
    assert (
        same_rows(completion._lesson_counts, course_id=course.pk, enrollment_id=enrollment.pk) == []
    )
    assert completion.required_lessons_done(enrollment)


def _attempt(enrollment, quiz, number, *, percent, passed, status=AttemptStatus.SUBMITTED):
    return Attempt.objects.create(
        enrollment=enrollment,
        quiz=quiz,
        number=number,
        status=status,
        percent=percent,
        passed=passed,
        question_ids=[7, 3],
        started_at=timezone.now(),
        submitted_at=timezone.now() if status != AttemptStatus.IN_PROGRESS else None,
    )


def test_the_quiz_rule_rows_match_the_queryset_with_their_types(learner):
    course = course_with_lessons(lessons_per_module=1, modules=1)
    best = QuizFactory(course=course, required_for_completion=True)
    last = QuizFactory(
        course=course, required_for_completion=True, grading_policy=GradingPolicy.LAST
    )
    QuizFactory(course=course, required_for_completion=False)
    enrollment = EnrollmentFactory(user=learner, course=course)
    someone = EnrollmentFactory(course=course)
    ids = {"course_id": course.pk, "enrollment_id": enrollment.pk}
    rows = same_rows(quiz_selectors._required_quizzes_with_attempts, **ids)
    assert sorted(row[0] for row in rows) == sorted([best.pk, last.pk])
    assert not quiz_selectors.required_quizzes_passed(enrollment)

    _attempt(someone, best, 1, percent=Decimal("100.00"), passed=True)
    _attempt(enrollment, best, 1, percent=Decimal("40.00"), passed=False)
    _attempt(enrollment, best, 2, percent=Decimal("90.50"), passed=True)
    _attempt(enrollment, last, 1, percent=Decimal("95.00"), passed=True)
    _attempt(enrollment, last, 2, percent=Decimal("10.00"), passed=False)
    rows = same_rows(quiz_selectors._required_quizzes_with_attempts, **ids)
    assert Decimal("90.50") in [row[4] for row in rows]
    # The last attempt counts for the second quiz, and it failed.
    assert not quiz_selectors.required_quizzes_passed(enrollment)
    _attempt(enrollment, last, 3, percent=Decimal("80.00"), passed=True)
    assert quiz_selectors.required_quizzes_passed(enrollment)


def learner_attempt_case(learner):
    course = course_with_lessons(lessons_per_module=1, modules=1)
    quiz = QuizFactory(course=course, module=course.modules.first())
    enrollment = EnrollmentFactory(user=learner, course=course)
    attempt = _attempt(
        enrollment, quiz, 1, percent=None, passed=None, status=AttemptStatus.IN_PROGRESS
    )
    return course, quiz, enrollment, attempt


@pytest.mark.parametrize("lock", [False, True])
def test_the_learner_attempt_read_matches_the_queryset_with_its_related_rows(learner, lock):
    course, quiz, enrollment, attempt = learner_attempt_case(learner)
    ids = {"attempt_id": attempt.pk, "quiz_id": quiz.pk, "course_id": course.pk}
    # The locking read finds the learner's enrollment itself; the other is given it.
    owner = {"user_id": learner.pk} if lock else {"enrollment_id": enrollment.pk}
    ids.update(owner)
    query = quiz_selectors._learner_attempt_locked if lock else quiz_selectors._learner_attempt
    with transaction.atomic():
        (found,) = same_rows(query, **ids)
        with CaptureQueriesContext(connection) as queries:
            assert fields_of(found.quiz) == fields_of(quiz)
            assert found.quiz.module.pk == quiz.module_id
            if lock:
                assert fields_of(found.enrollment) == fields_of(enrollment)
        assert len(queries) == 0, "the related rows come with the read"
        # Each id is its own condition: one wrong id, no attempt.
        for name in ids:
            assert query.run(**{**ids, name: ids[name] + 1000}) == []


def test_the_locked_read_finds_the_attempts_of_the_current_cycle_only(learner):
    course, quiz, enrollment, attempt = learner_attempt_case(learner)
    other_learner = UserFactory()
    EnrollmentFactory(user=other_learner, course=course)

    def locked(user, attempt):
        with transaction.atomic():
            return quiz_selectors.learner_attempt_locked(
                user=user, course=course, quiz_id=quiz.pk, attempt_id=attempt.pk
            )

    found = locked(learner, attempt)
    assert found.pk == attempt.pk and found.enrollment.pk == enrollment.pk
    assert found.quiz.course is course
    # Another learner's attempt at the same quiz is not found through this one's enrollment.
    assert locked(other_learner, attempt) is None
    assert locked(AnonymousUser(), attempt) is None
    # A new certification cycle: the attempt of the earlier one is no longer the learner's to
    # write, as the enrollment the course pages read is the new one.
    EnrollmentFactory(user=learner, course=course, cycle=enrollment.cycle + 1)
    assert locked(learner, attempt) is None


def test_the_statement_sent_is_the_querysets_own():
    query = quiz_selectors._learner_attempt_locked
    ids = {"attempt_id": 11, "quiz_id": 12, "course_id": 13, "user_id": 14}
    with transaction.atomic():
        compiled = query._compile()
        sql, params = query.build(**ids).query.get_compiler("default").as_sql()
    assert compiled.sql == sql
    # The course's id twice: the quiz's course and the enrollment's.
    assert sorted(p for p in params if type(p) is int) == [11, 12, 13, 13, 14]


def test_an_address_id_past_any_row_is_no_attempt_rather_than_a_database_error(learner):
    course, quiz, enrollment, attempt = learner_attempt_case(learner)
    for attempt_id, quiz_id in ((2**63, quiz.pk), (attempt.pk, 2**63), (0, quiz.pk)):
        assert (
            quiz_selectors.learner_attempt(
                enrollment=enrollment, course=course, quiz_id=quiz_id, attempt_id=attempt_id
            )
            is None
        )


def test_the_values_must_be_the_named_ids(learner):
    with pytest.raises(TypeError):
        course_selectors._enrollment_query.run(user_id=learner.pk)
    with pytest.raises(TypeError):
        course_selectors._enrollment_query.run(user_id=learner.pk, course_id="1")


def test_a_name_that_reaches_no_parameter_is_refused():
    @prepared("user_id", "course_id")
    def unused_course(*, user_id, course_id):
        return Enrollment.objects.filter(Q(user_id=user_id))

    with pytest.raises(ValueError, match="course_id"):
        unused_course.run(user_id=1, course_id=2)


# Statements compiled once per key (``CompiledPerKey``): the report page's count and rows.


def _titles_by_key(statements: CompiledPerKey, key, builds: list):
    def build():
        builds.append(key)
        return Lesson.objects.filter(title__startswith="Kept").order_by("pk").values("title")

    return statements.rows(key, build)


def test_rows_per_key_are_compiled_once_and_read_afresh():
    course = course_with_lessons(lessons_per_module=1, modules=1)
    course.lessons.update(title="Kept 1")
    statements, builds = CompiledPerKey(), []
    assert _titles_by_key(statements, "k", builds) == [{"title": "Kept 1"}]
    lesson = course.lessons.get()
    Lesson.objects.create(module=lesson.module, course=course, title="Kept 2", position=9)
    with CaptureQueriesContext(connection) as sent:
        again = _titles_by_key(statements, "k", builds)
    assert again == [{"title": "Kept 1"}, {"title": "Kept 2"}]
    assert builds == ["k"] and len(sent) == 1


def test_counts_per_key_send_the_orms_statement_again():
    course = course_with_lessons(lessons_per_module=2, modules=1)
    statements, builds = CompiledPerKey(), []

    def build():
        builds.append(1)
        return Lesson.objects.filter(course=course)

    assert statements.count("c", build) == 2
    with CaptureQueriesContext(connection) as first:
        Lesson.objects.filter(course=course).count()
    Lesson.objects.filter(course=course).first().delete()
    with CaptureQueriesContext(connection) as again:
        assert statements.count("c", build) == 1
    assert builds == [1]
    assert [q["sql"] for q in again] == [q["sql"] for q in first]


def test_a_count_statement_is_compiled_without_being_sent_and_counts_inside_another():
    course = course_with_lessons(lessons_per_module=3, modules=1)
    statements, builds = CompiledPerKey(), []

    def build():
        builds.append(1)
        return Lesson.objects.filter(course=course)

    with transaction.atomic():
        with CaptureQueriesContext(connection) as sent:
            sql, params = statements.count_statement("c", build)
        assert len(sent) == 0
        # The transaction it was compiled in is still good to use.
        assert Lesson.objects.filter(course=course).exists()
    counted = Lesson.objects.filter(course=course).annotate(
        total=RawSQL(sql, params, output_field=IntegerField())  # noqa: S611 -- the ORM's own
    )
    assert {lesson.total for lesson in counted} == {3}
    assert statements.count("c", build) == 3 and builds == [1]
    # A count the ORM answers without a statement has none to give.
    assert statements.count_statement("none", lambda: Lesson.objects.none()) is None
    with CaptureQueriesContext(connection) as sent:
        assert statements.count("none", lambda: Lesson.objects.none()) == 0
    assert len(sent) == 0


def test_a_statement_that_matches_nothing_is_not_sent_and_keys_are_dropped_past_the_size():
    statements, builds = CompiledPerKey(size=2), []
    with CaptureQueriesContext(connection) as sent:
        assert statements.rows("empty", lambda: Lesson.objects.all()[0:0]) == []
        assert statements.rows("empty", lambda: Lesson.objects.all()[0:0]) == []
    assert len(sent) == 0
    for key in ("a", "b", "a", "c"):
        _titles_by_key(statements, key, builds)
    # "b" was the least recently used when "c" came: it is built again, "a" is not.
    _titles_by_key(statements, "a", builds)
    _titles_by_key(statements, "b", builds)
    assert builds == ["a", "b", "c", "b"]


def test_a_locking_read_is_not_kept_per_key():
    with transaction.atomic(), pytest.raises(TransactionManagementError):
        CompiledPerKey().rows("lock", lambda: Lesson.objects.select_for_update())


def test_the_role_names_and_the_totp_check_follow_their_querysets():
    from accounts import permissions as account_permissions
    from accounts.roles import Role

    person = UserFactory()
    assert same_rows(account_permissions._role_names, user_id=person.pk) == [Role.LEARNER]
    assert same_rows(account_permissions._totp_of, user_id=person.pk) == []
    officer = UserFactory(roles=(Role.HR_OFFICER, Role.TRAINER))
    give_totp(officer)
    names = same_rows(account_permissions._role_names, user_id=officer.pk)
    assert sorted(names) == sorted([Role.HR_OFFICER, Role.TRAINER])
    assert len(same_rows(account_permissions._totp_of, user_id=officer.pk)) == 1
    assert same_rows(account_permissions._totp_of, user_id=person.pk) == []
    both = same_rows(account_permissions._role_names_with_totp, user_id=officer.pk)
    assert sorted(both) == sorted([(Role.HR_OFFICER, True), (Role.TRAINER, True)])
    assert same_rows(account_permissions._role_names_with_totp, user_id=person.pk) == [
        (Role.LEARNER, False)
    ]


def test_the_mfa_check_reads_the_roles_in_the_same_statement():
    from accounts import permissions as account_permissions
    from accounts.models import User
    from accounts.roles import Role

    officer = UserFactory(roles=(Role.HR_OFFICER,))
    without = UserFactory(roles=(Role.TRAINER,))
    give_totp(officer)
    fresh = User.objects.get(pk=officer.pk)
    with CaptureQueriesContext(connection) as sent:
        assert account_permissions.has_totp(fresh)
        assert account_permissions.user_roles(fresh) == {Role.HR_OFFICER}
    assert len(sent) == 1
    assert not account_permissions.has_totp(User.objects.get(pk=without.pk))
    # Roles already read: the check alone.
    with CaptureQueriesContext(connection) as sent:
        assert account_permissions.has_totp(fresh)
    assert len(sent) == 1 and "auth_group" not in sent[0]["sql"]
    # No role at all (a superuser by the flag alone): the check alone, the answer the same.
    bare = UserFactory(roles=(), is_superuser=True)
    give_totp(bare)
    assert account_permissions.has_totp(User.objects.get(pk=bare.pk))
