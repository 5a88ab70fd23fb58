"""No input is a server error: random and hostile values in every form field and query
parameter of the learner's, the trainer's and the HR officer's pages (and the sign-in forms)
get a page, a redirect, a 4xx or a message, never a 5xx.

The same tests run on PostgreSQL in the integration tier (tests/integration/
test_hostile_input_postgres.py), where NUL bytes and numeric overflows used to fail.
"""

from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.roles import Role
from courses.models import Lesson
from quizzes import services as quiz_services
from quizzes.models import Question
from tests.factories import (
    EnrollmentFactory,
    OrgUnitFactory,
    UserFactory,
    course_with_lessons,
    give_totp,
)
from tests.quizzes.factories import correct_answers, quiz_with_every_kind

# Values that broke, or could break, a parser or a column.
HOSTILE = [
    "",
    " ",
    "²",
    "٣",
    "½",
    "0",
    "-1",
    "1e3",
    "1e309",
    "NaN",
    "-Infinity",
    "999999999999.9999999",
    "1000000000000",
    "0." + "0" * 40 + "1",
    "9" * 40,
    "9223372036854775808",
    "\x00",
    "a\x00b",
    "\x1b[2J",
    "%26q%3Dsecurity",
    "a&q=security",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "ж" * 600,
    "x" * 5000,
    "https://evil.example/",
    "//evil.example",
    "javascript:alert(1)",
]

# Any character a request can carry (a lone surrogate cannot be encoded, so no client sends
# one; raw invalid bytes are tested separately below).
TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=60)
VALUE = st.one_of(
    st.sampled_from(HOSTILE),
    TEXT,
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)
VALUES = st.lists(VALUE, min_size=1, max_size=3)
PATH_ID = st.one_of(
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=2**31, max_value=10**30),
)

FUZZ = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@dataclass
class World:
    learner: object
    trainer: object
    hr_officer: object
    administrator: object
    course: object
    lesson: Lesson
    quiz: object
    attempt: object
    finished: object
    enrollment: object
    question_fields: list[str] = field(default_factory=list)
    question_ids: list[int] = field(default_factory=list)


@pytest.fixture
def world(db) -> World:
    trainer = UserFactory(roles=[Role.TRAINER])
    give_totp(trainer)
    course = course_with_lessons(lessons_per_module=2, modules=1, trainers=[trainer])
    unit = OrgUnitFactory()
    hr_officer = UserFactory(roles=[Role.HR_OFFICER], org_unit=unit)
    give_totp(hr_officer)
    administrator = UserFactory(roles=[Role.ADMINISTRATOR])
    give_totp(administrator)
    learner = UserFactory(org_unit=unit)
    enrollment = EnrollmentFactory(user=learner, course=course)
    quiz = quiz_with_every_kind(course, attempt_limit=None)
    finished = quiz_services.attempt_start(enrollment=enrollment, quiz=quiz)
    quiz_services.attempt_submit(attempt=finished, data=correct_answers(quiz))
    attempt = quiz_services.attempt_start(enrollment=enrollment, quiz=quiz)
    question_ids = list(Question.objects.filter(quiz=quiz).values_list("pk", flat=True))
    fields = [f"q-{pk}" for pk in question_ids]
    return World(
        learner=learner,
        trainer=trainer,
        hr_officer=hr_officer,
        administrator=administrator,
        course=course,
        lesson=course.lessons.order_by("position").first(),
        quiz=quiz,
        attempt=attempt,
        finished=finished,
        enrollment=enrollment,
        question_fields=fields,
        question_ids=question_ids,
    )


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _who(w: World, who: str | None):
    return {
        "learner": w.learner,
        "trainer": w.trainer,
        "hr": w.hr_officer,
        "admin": w.administrator,
        None: None,
    }[who]


def _assert_no_server_error(response) -> None:
    assert response.status_code < 500, response.status_code


def _send(client, method, url, data):
    if method == "get":
        return client.get(url, data)
    return client.post(url, data)


# (who, method, url name, path arguments from the world, the fields the page reads)
def _pages(w: World):
    slug = w.course.slug
    quiz = (slug, w.quiz.pk)
    return [
        ("learner", "get", "courses:catalogue", (), ["q", "category", "language", "page"]),
        ("learner", "get", "courses:my_learning", (), []),
        ("learner", "get", "courses:detail", (slug,), []),
        ("learner", "post", "courses:enrol", (slug,), []),
        ("learner", "get", "courses:lesson", (slug, w.lesson.pk), []),
        ("learner", "post", "courses:lesson_done", (slug, w.lesson.pk), ["next"]),
        ("learner", "get", "courses:enrollment", (w.enrollment.pk,), []),
        ("learner", "get", "quizzes:detail", quiz, []),
        ("learner", "post", "quizzes:start", quiz, []),
        ("learner", "get", "quizzes:result", (*quiz, w.finished.pk), []),
        ("learner", "post", "profile", (), ["full_name", "preferred_language"]),
        ("learner", "post", "set_language", (), ["language", "next"]),
        ("trainer", "get", "quizzes:report", quiz, []),
        ("trainer", "get", "quizzes:review", (*quiz, w.finished.pk), []),
        ("trainer", "post", "quizzes:override", (*quiz, w.finished.pk), ["score", "reason"]),
        ("learner", "get", "certificates:mine", (), ["page"]),
        ("learner", "get", "notifications:list", (), ["page"]),
        ("learner", "post", "notifications:mark_read", (), ["id"]),
        (
            "learner",
            "post",
            "notifications:preferences",
            (),
            ["time_zone", "kind_inactivity", "kind_cert_expiring"],
        ),
        ("trainer", "get", "courses:detail", (slug,), []),
        (None, "post", "account_login", (), ["login", "password", "remember", "next"]),
        (
            None,
            "post",
            "account_signup",
            (),
            ["email", "password1", "password2", "full_name", "preferred_language"],
        ),
        (None, "post", "account_reset_password", (), ["email"]),
        (None, "get", "courses:catalogue", (), ["q", "category", "language", "page"]),
        ("hr", "get", "reports:dashboard", (), ["course"]),
        ("hr", "get", "reports:completion", (), REPORT_FILTERS),
        ("hr", "get", "reports:export", ("csv",), REPORT_FILTERS),
        ("hr", "get", "reports:export", ("xlsx",), REPORT_FILTERS),
        ("hr", "post", "reports:assign", (), ASSIGN_FIELDS),
        ("hr", "post", "reports:assign", (), ["action", "course", "due_date", "people"]),
        ("hr", "get", "reports:person", (w.learner.pk,), []),
        ("trainer", "get", "reports:completion", (), REPORT_FILTERS),
        ("admin", "post", "admin:courses_enrollment_add", (), ["course", "due_date", "people"]),
        # The trainer's workspace (teaching/): every authoring form.
        ("trainer", "post", "teaching:course_create", (), COURSE_FIELDS),
        ("trainer", "post", "teaching:markdown_preview", (), ["body"]),
        ("trainer", "post", "teaching:course_edit", (w.course.pk,), COURSE_FIELDS),
        ("trainer", "post", "teaching:course_duplicate", (w.course.pk,), ["title", "slug"]),
        ("trainer", "post", "teaching:course_trainers", (w.course.pk,), ["trainers"]),
        ("trainer", "post", "teaching:module_create", (w.course.pk,), ["title"]),
        ("trainer", "post", "teaching:module_move", (w.lesson.module_id,), ["direction"]),
        ("trainer", "post", "teaching:module_order", (w.course.pk,), ["order"]),
        ("trainer", "post", "teaching:lesson_order", (w.lesson.module_id,), ["order"]),
        ("trainer", "post", "teaching:question_order", (w.quiz.pk,), ["order"]),
        ("trainer", "post", "teaching:lesson_create", (w.lesson.module_id,), LESSON_FIELDS),
        ("trainer", "post", "teaching:lesson_edit", (w.lesson.pk,), LESSON_FIELDS),
        ("trainer", "post", "teaching:attachment_create", (w.lesson.pk,), ["title", "file"]),
        ("trainer", "post", "teaching:quiz_create", (w.course.pk,), QUIZ_FIELDS),
        ("trainer", "post", "teaching:question_create", (w.quiz.pk,), QUESTION_FIELDS),
        ("trainer", "post", "teaching:question_edit", (w.question_ids[0],), QUESTION_FIELDS),
        ("trainer", "post", "teaching:quiz_import", (w.quiz.pk,), ["action", "text", "format"]),
        ("trainer", "post", "teaching:quiz_regrade", (w.quiz.pk,), []),
        # Archiving and restoring read no field; whatever is posted changes nothing else.
        ("trainer", "post", "teaching:lesson_archive", (w.lesson.pk,), ["direction"]),
        ("trainer", "post", "teaching:lesson_restore", (w.lesson.pk,), ["direction"]),
        ("trainer", "post", "teaching:question_archive", (w.question_ids[0],), ["direction"]),
        ("trainer", "post", "teaching:question_restore", (w.question_ids[0],), ["direction"]),
        (
            "trainer",
            "post",
            "teaching:quiz_preview",
            (w.quiz.pk,),
            ["seed", *w.question_fields],
        ),
    ]


# The filters of the HR completion report and its exports.
REPORT_FILTERS = [
    "unit",
    "include_subunits",
    "course",
    "status",
    "due_from",
    "due_to",
    "completed_from",
    "completed_to",
    "q",
    "sort",
    "desc",
    "page",
]
COURSE_FIELDS = [
    "title",
    "slug",
    "summary",
    "description",
    "category",
    "language",
    "estimated_hours",
    "self_enrollment",
    "validity_months",
    "certificate_template",
    "cover_alt",
    "cover_image-clear",
]
LESSON_FIELDS = ["title", "body", "video_url", "estimated_minutes", "required", "preview"]
QUIZ_FIELDS = [
    "title",
    "module",
    "instructions",
    "pass_mark",
    "attempt_limit",
    "time_limit_minutes",
    "questions_per_attempt",
    "grading_policy",
    "review_policy",
    "shuffle_choices",
]
QUESTION_FIELDS = [
    "kind",
    "text",
    "points",
    "explanation",
    "partial_credit",
    "accepted_answers",
    "numeric_answer",
    "numeric_tolerance",
    "choice_0_text",
    "choice_0_correct",
    "choice_1_text",
]
ASSIGN_FIELDS = ["action", "course", "due_date", "source", "people", "unit", "include_subunits"]

PAGE_COUNT = 56


@settings(FUZZ, max_examples=8 * PAGE_COUNT)
@given(index=st.integers(min_value=0, max_value=PAGE_COUNT - 1), data=st.data())
def test_no_field_or_parameter_value_is_a_server_error(world, index, data):
    pages = _pages(world)
    assert len(pages) == PAGE_COUNT
    who, method, name, args, fields = pages[index]
    user = _who(world, who)
    # Known fields with hostile values, plus a few unknown ones.
    names = fields + data.draw(st.lists(st.sampled_from(["junk", "page", "id", "q"]), max_size=2))
    payload = {name: data.draw(VALUES) for name in names}

    response = _send(_client(user), method, reverse(name, args=args), payload)

    _assert_no_server_error(response)


def test_every_known_hostile_value_in_every_field_is_no_server_error(world):
    """The random search may miss a single bad value ("²" in ``next``); every one of HOSTILE
    is also sent to every field of every page."""
    for who, method, name, args, fields in _pages(world):
        client = _client(_who(world, who))
        url = reverse(name, args=args)
        for value in HOSTILE if fields else [""]:
            response = _send(client, method, url, dict.fromkeys(fields, value))
            assert response.status_code < 500, (name, value, response.status_code)


def test_every_known_hostile_value_in_every_answer_is_no_server_error(world):
    client = _client(world.learner)
    for value in HOSTILE:
        for action in ("save", "submit"):
            attempt = quiz_services.attempt_start(enrollment=world.enrollment, quiz=world.quiz)
            url = reverse("quizzes:attempt", args=[world.course.slug, world.quiz.pk, attempt.pk])
            payload = {**dict.fromkeys(world.question_fields, value), "action": action}
            _assert_no_server_error(client.post(url, payload))
            _assert_no_server_error(client.get(url))


@FUZZ
@given(data=st.data())
def test_no_answer_to_the_attempt_form_is_a_server_error(world, data):
    """The attempt page reads one field per drawn question; every kind gets hostile values,
    saved or submitted. A submitted attempt is replaced by a new one, so most examples reach
    the form."""
    client = _client(world.learner)
    attempt = quiz_services.attempt_start(enrollment=world.enrollment, quiz=world.quiz)
    payload = {name: data.draw(VALUES) for name in world.question_fields}
    payload["action"] = data.draw(st.one_of(st.sampled_from(["save", "submit"]), VALUE))
    url = reverse("quizzes:attempt", args=[world.course.slug, world.quiz.pk, attempt.pk])

    _assert_no_server_error(client.post(url, payload))
    _assert_no_server_error(client.get(url))
    result = reverse("quizzes:result", args=[world.course.slug, world.quiz.pk, attempt.pk])
    _assert_no_server_error(client.get(result))


@FUZZ
@given(first=PATH_ID, second=PATH_ID)
def test_no_id_in_a_path_is_a_server_error(world, first, second):
    learner, trainer = _client(world.learner), _client(world.trainer)
    hr = _client(world.hr_officer)
    slug = world.course.slug
    for client, method, name, args in [
        (learner, "get", "courses:enrollment", [first]),
        (learner, "get", "courses:attachment", [first]),
        (learner, "get", "courses:lesson", [slug, first]),
        (learner, "post", "courses:lesson_done", [slug, first]),
        (learner, "get", "quizzes:detail", [slug, first]),
        (learner, "post", "quizzes:start", [slug, first]),
        (learner, "get", "quizzes:attempt", [slug, world.quiz.pk, first]),
        (learner, "get", "quizzes:attempt", [slug, first, second]),
        (learner, "get", "quizzes:result", [slug, world.quiz.pk, first]),
        (trainer, "get", "quizzes:review", [slug, world.quiz.pk, first]),
        (trainer, "get", "quizzes:report", [slug, first]),
        (learner, "get", "certificates:detail", [first]),
        (learner, "get", "certificates:download", [first]),
        (trainer, "post", "certificates:revoke", [first]),
        (trainer, "get", "certificates:template_preview", [first]),
        (hr, "get", "reports:person", [first]),
        (trainer, "get", "teaching:course", [first]),
        (trainer, "get", "teaching:course_learner_preview", [first]),
        (trainer, "get", "teaching:lesson_learner_preview", [world.course.pk, first]),
        (trainer, "get", "teaching:lesson_learner_preview", [first, second]),
        (trainer, "get", "teaching:module_edit", [first]),
        (trainer, "get", "teaching:lesson_edit", [first]),
        (trainer, "get", "teaching:quiz", [first]),
        (trainer, "post", "teaching:question_order", [first]),
        (trainer, "get", "teaching:question_edit", [first]),
        (trainer, "post", "teaching:attachment_delete", [first]),
        (trainer, "post", "teaching:lesson_archive", [first]),
        (trainer, "post", "teaching:lesson_restore", [first]),
        (trainer, "post", "teaching:question_archive", [first]),
        (trainer, "post", "teaching:question_restore", [first]),
    ]:
        _assert_no_server_error(_send(client, method, reverse(name, args=args), {}))


@FUZZ
@given(code=TEXT)
def test_no_verification_code_is_a_server_error(world, code):
    """The public verification page takes any text a QR scanner or a person may type."""
    from urllib.parse import quote

    _assert_no_server_error(_client(None).get(f"/v/{quote(code, safe='')}/"))


@pytest.mark.parametrize(
    "raw", ["%FF%FE", "%C0%AF", "%00", "%ED%A0%80", "%E2%82", "q=%26&&&=&page=%B2"]
)
def test_bytes_that_are_not_utf8_are_no_server_error(world, raw):
    learner = _client(world.learner)
    slug = world.course.slug
    for name in ("q", "page", "category"):
        url = f"{reverse('courses:catalogue')}?{name}={raw}"
        _assert_no_server_error(learner.get(url))
    hr = _client(world.hr_officer)
    for name in REPORT_FILTERS:
        for page in ("reports:completion", "reports:dashboard"):
            _assert_no_server_error(hr.get(f"{reverse(page)}?{name}={raw}"))
    done = reverse("courses:lesson_done", args=[slug, world.lesson.pk])
    body = f"next={raw}"
    _assert_no_server_error(
        learner.post(done, body, content_type="application/x-www-form-urlencoded")
    )
    attempt = reverse("quizzes:attempt", args=[slug, world.quiz.pk, world.attempt.pk])
    body = "&".join(f"{f}={raw}" for f in world.question_fields) + "&action=save"
    _assert_no_server_error(
        learner.post(attempt, body, content_type="application/x-www-form-urlencoded")
    )
