"""``manage.py seed_demo``: what it creates, that a second run writes nothing, and that it keeps
out of production."""

import datetime
import unicodedata
from decimal import Decimal
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import OrgUnit, User
from accounts.roles import Role
from courses.models import (
    Course,
    CourseStatus,
    Enrollment,
    EnrollmentSource,
    EnrollmentStatus,
    Lesson,
)
from demo.management.commands.seed_demo import DEMO_PASSWORD
from notifications.kinds import Kind
from notifications.models import NotificationLog
from quizzes import grading
from quizzes.models import (
    CHOICE_KINDS,
    Attempt,
    AttemptStatus,
    GradingPolicy,
    PartialCredit,
    QuestionKind,
    Quiz,
    ReviewPolicy,
)
from quizzes.selectors import required_quizzes_passed
from quizzes.services import question_key

pytestmark = pytest.mark.django_db

ROLE_ACCOUNTS = {
    "learner@demo.lms.local": Role.LEARNER,
    "trainer@demo.lms.local": Role.TRAINER,
    "hr@demo.lms.local": Role.HR_OFFICER,
    "admin@demo.lms.local": Role.ADMINISTRATOR,
}
DEMO_LEARNER = "learner@demo.lms.local"
HR_OFFICER = "hr@demo.lms.local"
QUIZ_COURSE = "e-government-services-for-citizens"
WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Two dozen accounts hashed with the production hasher cost seconds per seed.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def script_language(name: str) -> str:
    """The language a name's script implies: Cyrillic, Hangul, Serbian Latin, else English."""
    scripts = {unicodedata.name(char).split()[0] for char in name if char.isalpha()}
    if "CYRILLIC" in scripts:
        return "sr"
    if "HANGUL" in scripts:
        return "ko"
    if set(name.casefold()) & set("čćđšž"):
        return "sr-latn"
    return "en"


def test_second_run_writes_nothing():
    seed()
    counts = row_counts()
    learner = User.objects.get(email=DEMO_LEARNER)
    assigned = Enrollment.objects.get(user=learner, source=EnrollmentSource.ASSIGNED)

    with CaptureQueriesContext(connection) as queries:
        output = seed()

    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]
    assert writes == []
    assert row_counts() == counts
    assert counts["quizzes.Quiz"] >= 2 and counts["quizzes.Attempt"] >= 1
    assert User.objects.get(pk=learner.pk).password == learner.password
    assert Enrollment.objects.get(pk=assigned.pk).due_date == assigned.due_date
    assert "nothing was changed" in output


def test_second_run_keeps_a_password_changed_since():
    seed()
    learner = User.objects.get(email=DEMO_LEARNER)
    learner.set_password("a-new-passphrase-42")
    learner.save(update_fields=["password"])

    seed()

    learner.refresh_from_db()
    assert learner.check_password("a-new-passphrase-42")
    assert not learner.check_password(DEMO_PASSWORD)


def test_second_run_keeps_the_due_date_of_the_first():
    seed()
    # As if the first run had been a week ago.
    first_due = timezone.localdate() + datetime.timedelta(days=23)
    assigned = Enrollment.objects.filter(user__email=DEMO_LEARNER, source=EnrollmentSource.ASSIGNED)
    assigned.update(due_date=first_due)

    seed()

    assert assigned.get().due_date == first_due


def test_one_verified_account_per_role_with_the_demo_password():
    seed()

    for email, role in ROLE_ACCOUNTS.items():
        user = User.objects.get(email=email)
        assert set(user.groups.values_list("name", flat=True)) == {role}
        assert user.check_password(DEMO_PASSWORD)
        assert EmailAddress.objects.filter(user=user, verified=True, primary=True).exists()
    assert User.objects.get(email="admin@demo.lms.local").is_superuser


def test_the_ministry_has_three_levels_built_by_the_unit_service():
    seed()

    ministry = OrgUnit.objects.get(code="mduls", parent=None)
    units = OrgUnit.objects.subtree(ministry)
    assert {unit.depth for unit in units} == {0, 1, 2}
    for unit in units.exclude(pk=ministry.pk).select_related("parent"):
        assert unit.is_within(unit.parent)


def test_hr_officer_sits_on_a_sector_with_departments_below():
    seed()
    hr = User.objects.select_related("org_unit").get(email=HR_OFFICER)

    assert hr.org_unit.depth == 1
    assert hr.org_unit.children.count() >= 2
    assigned = Enrollment.objects.filter(assigned_by=hr).select_related("user__org_unit")
    assert assigned.exists()
    # HR assigns only inside its own subtree, while sibling sectors hold learners too.
    assert all(e.user.org_unit.is_within(hr.org_unit) for e in assigned)
    learners = User.objects.filter(groups__name=Role.LEARNER).select_related("org_unit")
    assert any(not learner.org_unit.is_within(hr.org_unit) for learner in learners)


def test_twenty_learners_with_names_in_every_script_stored_as_typed():
    seed()

    learners = User.objects.filter(groups__name=Role.LEARNER).exclude(email=DEMO_LEARNER)
    assert learners.count() >= 20
    names = set(learners.values_list("full_name", flat=True))
    assert {"Ђорђе Љубић", "Милица Јовановић", "Đorđe Petrović", "Snežana Šćekić"} <= names
    assert {"Žarko Čolić", "오현목", "김지은"} <= names
    for learner in learners:
        assert learner.preferred_language == script_language(learner.full_name), learner
        assert learner.employee_number
        assert learner.org_unit is not None


def test_published_courses_in_several_languages_with_real_structure():
    seed()

    published = Course.objects.filter(status=CourseStatus.PUBLISHED)
    assert published.count() >= 3
    assert {"en", "sr", "sr-latn", "ko"} <= set(published.values_list("language", flat=True))
    trainer = User.objects.get(email="trainer@demo.lms.local")
    for course in published.prefetch_related("modules__lessons", "trainers"):
        assert course.published_at is not None
        assert course.summary and course.estimated_hours > 0
        assert trainer in course.trainers.all()
        assert 2 <= len(course.modules.all()) <= 3
        for module in course.modules.all():
            assert 2 <= len(module.lessons.all()) <= 4
    assert published.filter(self_enrollment=False).exists()
    assert Course.objects.filter(status=CourseStatus.DRAFT).exists()


def test_lessons_include_a_video_and_an_optional_reading():
    seed()

    videos = Lesson.objects.exclude(video_url="")
    assert videos.exists()
    assert all(lesson.video_embed_url for lesson in videos)
    assert Lesson.objects.filter(required=False, course__status=CourseStatus.PUBLISHED).exists()


def test_demo_learner_has_a_course_under_way_and_an_assigned_one():
    seed()
    learner = User.objects.get(email=DEMO_LEARNER)

    started = Enrollment.objects.get(user=learner, course__slug=QUIZ_COURSE)
    assert started.source == EnrollmentSource.SELF
    assert started.status == EnrollmentStatus.ACTIVE
    assert started.lesson_progress.count() == 1
    assigned = Enrollment.objects.get(user=learner, source=EnrollmentSource.ASSIGNED)
    assert assigned.assigned_by == User.objects.get(email=HR_OFFICER)
    assert assigned.due_date == timezone.localdate() + datetime.timedelta(days=30)


def test_demo_learner_has_notifications_to_see(settings):
    # The sweep records reminders only inside the sending window; keep it open for the test.
    settings.NOTIFICATIONS_WINDOW_START_HOUR, settings.NOTIFICATIONS_WINDOW_END_HOUR = 0, 24
    seed()
    learner = User.objects.get(email=DEMO_LEARNER)
    confirmation = NotificationLog.objects.get(recipient=learner, kind=Kind.ENROLMENT_CONFIRMATION)
    assert confirmation.read_at is None
    assert confirmation.context["course"]
    # Someone's assignment is five days overdue in the demo data: the sweep reminded them.
    assert NotificationLog.objects.filter(kind=Kind.OVERDUE).exists()


def test_some_learners_completed_every_required_lesson():
    seed()

    completed = Enrollment.objects.filter(status=EnrollmentStatus.COMPLETED)
    assert completed.count() >= 2
    for enrollment in completed:
        required = Lesson.objects.filter(course=enrollment.course, required=True).count()
        assert enrollment.completed_at is not None
        assert enrollment.lesson_progress.filter(lesson__required=True).count() == required


def test_prints_the_sign_ins_and_the_mfa_note():
    output = seed()

    for email in ROLE_ACCOUNTS:
        assert email in output
    assert DEMO_PASSWORD in output
    assert "LMS_REQUIRE_MFA=0" in output


def test_refuses_to_run_in_production(settings):
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match="production"):
        seed()
    assert not User.objects.exists()
    assert not Course.objects.exists()


def test_allow_production_seeds_anyway(settings):
    settings.PRODUCTION = True

    seed(allow_production=True)

    assert User.objects.filter(email=DEMO_LEARNER).exists()


def demo_quizzes():
    return Quiz.objects.filter(course__slug=QUIZ_COURSE).prefetch_related("questions__choices")


def test_the_english_course_has_a_module_quiz_and_a_final_exam():
    seed()

    course = Course.objects.get(slug=QUIZ_COURSE)
    check = Quiz.objects.get(course=course, module__isnull=False)
    assert check.module.course == course
    assert (check.pass_mark, check.attempt_limit, check.time_limit_minutes) == (60, None, None)
    assert check.shuffle_choices and check.review_policy == ReviewPolicy.FULL
    assert check.required_for_completion
    exam = Quiz.objects.get(course=course, module=None)
    assert exam.is_final_exam
    assert (exam.pass_mark, exam.attempt_limit, exam.time_limit_minutes) == (70, 3, 15)
    assert exam.shuffle_questions and exam.shuffle_choices
    assert exam.grading_policy == GradingPolicy.HIGHEST
    assert exam.review_policy == ReviewPolicy.RESPONSES
    assert exam.required_for_completion


def test_the_exam_draws_from_a_larger_pool():
    seed()

    exam = Quiz.objects.get(course__slug=QUIZ_COURSE, module=None)
    assert exam.questions_per_attempt is not None
    assert exam.questions.count() > exam.questions_per_attempt


def test_the_demo_quizzes_use_every_kind_of_question_with_a_key_and_an_explanation():
    seed()

    questions = [q for quiz in demo_quizzes() for q in quiz.questions.all()]
    assert {q.kind for q in questions} == set(QuestionKind.values)
    for question in questions:
        assert question.points > 0 and question.explanation, question
        correct = [c for c in question.choices.all() if c.is_correct]
        if question.kind in CHOICE_KINDS:
            assert correct, question
            if question.kind != QuestionKind.MULTIPLE:
                assert len(correct) == 1, question
        else:
            assert not question.choices.exists(), question
        if question.kind == QuestionKind.SHORT_TEXT:
            assert question.accepted_answers, question
        if question.kind == QuestionKind.NUMERIC:
            assert question.numeric_answer is not None and question.numeric_tolerance > 0
    assert any(
        q.kind == QuestionKind.MULTIPLE and q.partial_credit == PartialCredit.PROPORTIONAL
        for q in questions
    )


def test_short_answers_are_accepted_in_either_script():
    seed()

    short = [
        q
        for quiz in demo_quizzes()
        for q in quiz.questions.all()
        if q.kind == QuestionKind.SHORT_TEXT
    ]
    assert any(script_language(a) == "sr" for q in short for a in q.accepted_answers)
    for question in short:
        key = question_key(question)
        for answer in question.accepted_answers:
            assert grading.grade_question(key, grading.Response(text=answer)).correct, answer
    exchange = next(q for q in short if "eZUP" in q.accepted_answers)
    for typed in ("ezup", "еЗУП", "  EZUP "):
        response = grading.Response(text=typed)
        assert grading.grade_question(question_key(exchange), response).correct, typed


def test_learners_who_completed_the_course_passed_its_quizzes_through_the_services():
    seed()

    completed = Enrollment.objects.filter(
        course__slug=QUIZ_COURSE, status=EnrollmentStatus.COMPLETED
    )
    assert completed.exists()
    for enrollment in completed:
        assert required_quizzes_passed(enrollment)
        attempts = Attempt.objects.filter(enrollment=enrollment)
        assert attempts.count() == 2
        assert all(a.status == AttemptStatus.SUBMITTED and a.passed for a in attempts)
        assert all(a.answers.count() == len(a.question_ids) for a in attempts)
    exam = Quiz.objects.get(course__slug=QUIZ_COURSE, module=None)
    for attempt in Attempt.objects.filter(quiz=exam):
        assert len(attempt.question_ids) == exam.questions_per_attempt
        assert attempt.percent == Decimal(100)
    # Part-way through: the first module's knowledge check passed, the exam still to come.
    under_way = Enrollment.objects.get(user__email="minji.lee@demo.lms.local", course=exam.course)
    assert under_way.status == EnrollmentStatus.ACTIVE
    attempt = Attempt.objects.select_related("quiz").get(enrollment=under_way)
    assert attempt.passed and attempt.quiz.module is not None


def test_a_database_seeded_before_the_quizzes_gets_them_once():
    seed()
    # As if the first run had come before the demo had quizzes.
    Quiz.objects.all().delete()
    completed = set(
        Enrollment.objects.filter(status=EnrollmentStatus.COMPLETED).values_list("pk", flat=True)
    )

    output = seed()

    assert "2 quizzes" in output
    assert demo_quizzes().count() == 2
    # Learning history made before stays as it was: nobody sits the new quizzes.
    assert not Attempt.objects.exists()
    assert completed == set(
        Enrollment.objects.filter(status=EnrollmentStatus.COMPLETED).values_list("pk", flat=True)
    )
    with CaptureQueriesContext(connection) as queries:
        seed()
    assert not [q for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]


def test_demo_learner_has_an_issued_certificate_with_a_pdf():
    from certificates.models import Certificate, CertificateStatus

    seed()
    certificates = Certificate.objects.filter(enrollment__user__email=DEMO_LEARNER)
    issued = certificates.get(status=CertificateStatus.ISSUED)
    with issued.pdf.open("rb") as handle:
        assert handle.read(4) == b"%PDF"
    assert issued.enrollment.status == EnrollmentStatus.COMPLETED
    assert not Certificate.objects.filter(status=CertificateStatus.PENDING).exists()
