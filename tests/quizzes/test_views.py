"""The quiz pages: a paper that gives nothing away, submission, review, integrity, time and
attempt limits, the trainer's report and regrade, and completing a course by passing."""

import re
from datetime import timedelta
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEvent
from courses import services as course_services
from courses.models import EnrollmentStatus
from quizzes import services
from quizzes.models import Answer, Attempt, AttemptStatus, QuestionKind, Quiz, ReviewPolicy
from tests.factories import (
    CourseFactory,
    EnrollmentFactory,
    UserFactory,
    course_with_lessons,
    give_totp,
)
from tests.quizzes.factories import (
    QuizFactory,
    choice_ids,
    choice_question,
    correct_answers,
    questions_of,
    quiz_with_every_kind,
    wrong_answers,
)

pytestmark = pytest.mark.django_db

# A value no page shows by chance, unlike the factory's 3.5 ("such as 12 or 3.5").
NUMERIC_ANSWER = Decimal("1848.25")


def exam(course, **quiz_kwargs) -> Quiz:
    """``quiz_with_every_kind`` with an explanation on every question and a numeric answer that
    can be searched for in a page."""
    quiz = quiz_with_every_kind(course, **quiz_kwargs)
    for question in questions_of(quiz):
        question.explanation = f"Explained: {question.kind} is answered so."
        if question.kind == QuestionKind.NUMERIC:
            question.numeric_answer = NUMERIC_ANSWER
        question.save()
    return quiz


def question_of(quiz: Quiz, kind: str):
    return next(q for q in questions_of(quiz) if q.kind == kind)


class ReversingRandom:
    """Shuffles by reversing, so a frozen paper is known and differs from the authored order."""

    def shuffle(self, items):
        items.reverse()

    def sample(self, population, k):
        return list(population[:k])


class _AttributeCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.attributes = []

    def handle_starttag(self, tag, attrs):
        self.attributes.extend(f"{name}={value or ''}" for name, value in attrs)


def attributes(html: str) -> list[str]:
    collector = _AttributeCollector()
    collector.feed(html)
    return collector.attributes


def assert_no_answer_key(html: str, quiz: Quiz) -> None:
    """Nothing in the page tells which answer is right."""
    marked = [a for a in attributes(html) if "correct" in a.lower()]
    assert marked == []
    assert "correct answer" not in html.lower()
    for question in questions_of(quiz):
        if question.explanation:
            assert question.explanation not in html
        for accepted in question.accepted_answers or []:
            assert accepted not in html
        if question.numeric_answer is not None:
            assert str(question.numeric_answer) not in html
            assert str(question.numeric_answer.normalize()) not in html


def shown_question_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<fieldset class="question" id="question-(\d+)"', html)]


def shown_choice_ids(html: str, question_id: int) -> list[int]:
    return [int(pk) for pk in re.findall(rf'name="q-{question_id}" value="(\d+)"', html)]


def given_answers(attempt: Attempt) -> dict[int, Answer]:
    """The attempt's answers that hold something; saving writes a blank row for every question
    left unanswered on the form."""
    return {
        a.question_id: a
        for a in attempt.answers.all()
        if a.choice_ids or a.text or a.number is not None
    }


def messages_of(html: str, level: str) -> list[str]:
    return re.findall(rf'<li class="message message-{level}">(.*?)</li>', html, re.S)


def url(name: str, attempt: Attempt) -> str:
    return reverse(f"quizzes:{name}", args=[attempt.quiz.course.slug, attempt.quiz_id, attempt.pk])


def quiz_url(name: str, quiz: Quiz) -> str:
    return reverse(f"quizzes:{name}", args=[quiz.course.slug, quiz.pk])


@pytest.fixture
def course():
    return CourseFactory(slug="egov")


@pytest.fixture
def enrollment(learner, course):
    return EnrollmentFactory(user=learner, course=course)


@pytest.fixture
def quiz(course):
    return exam(course)


def start(enrollment, quiz, **kwargs) -> Attempt:
    return services.attempt_start(enrollment=enrollment, quiz=quiz, **kwargs)


# The paper gives nothing away.


def test_quiz_page_shows_no_answer_key(learner_client, enrollment, quiz):
    response = learner_client.get(quiz_url("detail", quiz))
    assert response.status_code == 200
    assert quiz.title in response.text
    assert_no_answer_key(response.text, quiz)


def test_attempt_page_shows_the_frozen_paper_and_no_answer_key(learner_client, enrollment, course):
    quiz = exam(course, shuffle_questions=True, shuffle_choices=True)
    attempt = start(enrollment, quiz, rng=ReversingRandom())
    authored = [q.pk for q in questions_of(quiz)]
    assert attempt.question_ids == authored[::-1]  # the paper really differs from the pool

    response = learner_client.get(url("attempt", attempt))

    assert response.status_code == 200
    assert_no_answer_key(response.text, quiz)
    assert shown_question_ids(response.text) == attempt.question_ids
    for question in questions_of(quiz):
        frozen = attempt.choice_order[str(question.pk)]
        assert shown_choice_ids(response.text, question.pk) == (
            frozen if question.has_choices else []
        )
    multiple = question_of(quiz, QuestionKind.MULTIPLE)
    assert attempt.choice_order[str(multiple.pk)] == choice_ids(multiple)[::-1]


def test_saved_answers_come_back_and_still_give_nothing_away(learner_client, enrollment, quiz):
    attempt = start(enrollment, quiz)
    single = question_of(quiz, QuestionKind.SINGLE)
    picked = choice_ids(single, correct=False)[0]
    data = {
        "action": "save",
        f"q-{single.pk}": str(picked),
        f"q-{question_of(quiz, QuestionKind.SHORT_TEXT).pk}": "my guess",
        f"q-{question_of(quiz, QuestionKind.NUMERIC).pk}": "7",
    }

    response = learner_client.post(url("attempt", attempt), data)
    assert response.status_code == 302
    assert response["Location"] == url("attempt", attempt)

    page = learner_client.get(response["Location"])
    assert page.status_code == 200
    assert "Your answers are saved" in page.text
    assert f'value="{picked}" id="c-{picked}" checked' in page.text
    assert 'value="my guess"' in page.text
    assert_no_answer_key(page.text, quiz)
    assert shown_question_ids(page.text) == attempt.question_ids
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.IN_PROGRESS
    assert len(given_answers(attempt)) == 3


def test_every_value_posted_through_the_page_is_saved_whole(learner_client, enrollment, quiz):
    """The page posts a QueryDict, where ``get`` gives only the last value of a field."""
    attempt = start(enrollment, quiz)
    multiple = question_of(quiz, QuestionKind.MULTIPLE)
    short_text = question_of(quiz, QuestionKind.SHORT_TEXT)
    numeric = question_of(quiz, QuestionKind.NUMERIC)
    picked = choice_ids(multiple, correct=True)

    response = learner_client.post(
        url("attempt", attempt),
        {
            "action": "save",
            f"q-{multiple.pk}": [str(pk) for pk in picked],
            f"q-{short_text.pk}": "Ђорђе Вајферт",
            f"q-{numeric.pk}": "1848.25",
        },
    )

    assert response.status_code == 302
    saved = given_answers(attempt)
    assert saved[multiple.pk].choice_ids == sorted(picked)
    assert saved[short_text.pk].text == "Ђорђе Вајферт"
    assert saved[numeric.pk].number == Decimal("1848.25")


def test_reload_shows_the_same_paper(learner_client, enrollment, course):
    quiz = exam(course, shuffle_questions=True, shuffle_choices=True)
    response = learner_client.post(quiz_url("start", quiz))
    attempt = Attempt.objects.get(enrollment=enrollment, quiz=quiz)
    assert response["Location"] == url("attempt", attempt)

    first = learner_client.get(url("attempt", attempt)).text
    second = learner_client.get(url("attempt", attempt)).text

    assert shown_question_ids(first) == shown_question_ids(second) == attempt.question_ids
    for question in questions_of(quiz):
        frozen = attempt.choice_order[str(question.pk)] if question.has_choices else []
        assert shown_choice_ids(first, question.pk) == frozen
        assert shown_choice_ids(second, question.pk) == frozen


def test_starting_again_continues_the_open_attempt(learner_client, enrollment, quiz):
    learner_client.post(quiz_url("start", quiz))
    learner_client.post(quiz_url("start", quiz))
    assert Attempt.objects.filter(enrollment=enrollment, quiz=quiz).count() == 1


def test_result_before_submission_redirects_to_the_attempt(learner_client, enrollment, quiz):
    attempt = start(enrollment, quiz)
    response = learner_client.get(url("result", attempt))
    assert response.status_code == 302
    assert response["Location"] == url("attempt", attempt)


def test_countdown_shows_the_time_left(learner_client, enrollment, course):
    quiz = exam(course, time_limit_minutes=10)
    attempt = start(enrollment, quiz, now=timezone.now() - timedelta(minutes=4))
    response = learner_client.get(url("attempt", attempt))
    seconds_left = int(re.search(r'data-seconds-left="(\d+)"', response.text).group(1))
    assert 5 * 60 <= seconds_left <= 6 * 60


# Submitting and the review that follows.


def test_submit_grades_and_redirects_to_the_result(learner_client, enrollment, quiz):
    attempt = start(enrollment, quiz)
    response = learner_client.post(
        url("attempt", attempt), {"action": "submit", **correct_answers(quiz)}
    )
    assert response.status_code == 302
    assert response["Location"] == url("result", attempt)
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED
    assert (attempt.score, attempt.max_score, attempt.passed) == (Decimal(10), Decimal(10), True)

    page = learner_client.get(response["Location"])
    assert "10.00 of 10.00 points (100.00%)" in page.text
    assert "Passed" in page.text


def mixed_answers(quiz: Quiz) -> tuple[dict, dict[int, bool]]:
    """Right on single choice, true/false and numeric (5 of 10 points), wrong on the rest."""
    data = wrong_answers(quiz)
    right = correct_answers(quiz)
    verdicts = {}
    for question in questions_of(quiz):
        is_right = question.kind in {
            QuestionKind.SINGLE,
            QuestionKind.TRUE_FALSE,
            QuestionKind.NUMERIC,
        }
        if is_right:
            data[f"q-{question.pk}"] = right[f"q-{question.pk}"]
        verdicts[question.pk] = is_right
    return data, verdicts


def review_verdicts(html: str) -> list[bool]:
    return [
        verdict == "is-correct"
        for verdict in re.findall(
            r'<section class="question review (is-correct|is-partial|is-wrong)">', html
        )
    ]


def submitted_result(client, enrollment, quiz) -> tuple[Attempt, str, dict[int, bool]]:
    attempt = start(enrollment, quiz)
    data, verdicts = mixed_answers(quiz)
    response = client.post(url("attempt", attempt), {"action": "submit", **data}, follow=True)
    assert response.status_code == 200
    attempt.refresh_from_db()
    return attempt, response.text, verdicts


SOLUTION_MARKERS = ("correct answer", "right-answer", "Accepted answers:", "Correct answer:")


def test_review_policy_score_shows_the_score_only(learner_client, enrollment, course):
    quiz = exam(course, review_policy=ReviewPolicy.SCORE)
    _attempt, html, _verdicts = submitted_result(learner_client, enrollment, quiz)

    assert "5.00 of 10.00 points (50.00%)" in html
    assert "Not passed: the pass mark is 70%." in html
    assert "Your answers" not in html
    assert review_verdicts(html) == []
    assert "Your choice:" not in html
    assert_no_answer_key(html, quiz)


def test_review_policy_responses_shows_what_was_right_without_solutions(
    learner_client, enrollment, course
):
    quiz = exam(course, review_policy=ReviewPolicy.RESPONSES)
    attempt, html, verdicts = submitted_result(learner_client, enrollment, quiz)

    assert "5.00 of 10.00 points (50.00%)" in html
    assert review_verdicts(html) == [verdicts[qid] for qid in attempt.question_ids]
    assert html.count("Your choice:") == 3
    for marker in SOLUTION_MARKERS:
        assert marker not in html
    for question in questions_of(quiz):
        assert question.explanation not in html
        for accepted in question.accepted_answers:
            assert accepted not in html


def test_review_policy_full_shows_correct_answers_and_explanations(
    learner_client, enrollment, course
):
    quiz = exam(course, review_policy=ReviewPolicy.FULL)
    attempt, html, verdicts = submitted_result(learner_client, enrollment, quiz)

    assert review_verdicts(html) == [verdicts[qid] for qid in attempt.question_ids]
    for question in questions_of(quiz):
        assert question.explanation in html
    right_choices = sum(len(choice_ids(q, correct=True)) for q in questions_of(quiz))
    assert html.count('<span class="badge">correct answer</span>') == right_choices
    for choice in question_of(quiz, QuestionKind.SINGLE).choices.filter(is_correct=True):
        assert re.search(
            rf"{re.escape(choice.text)}(</span>)? <span class=\"badge\">correct answer", html
        )
    short_text = question_of(quiz, QuestionKind.SHORT_TEXT)
    assert "Accepted answers: " + ", ".join(short_text.accepted_answers) in html
    assert "Correct answer: 1848.25" in html


# Integrity: bad input is refused or ignored, never a 500, never a changed score.


def test_someone_elses_attempt_is_404_and_stays_untouched(learner_client, enrollment, quiz):
    other = EnrollmentFactory(course=quiz.course)
    theirs = start(other, quiz)
    start(enrollment, quiz)  # the learner has an attempt of their own at the same quiz

    submit = learner_client.post(
        url("attempt", theirs), {"action": "submit", **correct_answers(quiz)}
    )
    save = learner_client.post(url("attempt", theirs), {"action": "save", **correct_answers(quiz)})

    assert submit.status_code == save.status_code == 404
    assert learner_client.get(url("attempt", theirs)).status_code == 404
    assert learner_client.get(url("result", theirs)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == AttemptStatus.IN_PROGRESS
    assert theirs.score is None
    assert not theirs.answers.exists()


def test_an_attempt_of_an_earlier_cycle_is_404_once_a_new_cycle_starts(
    learner_client, enrollment, quiz
):
    """The attempt pages are those of the learner's current enrollment, as every course page
    is: an attempt left open in an earlier certification cycle cannot be submitted from it."""
    old = start(enrollment, quiz)
    EnrollmentFactory(user=enrollment.user, course=quiz.course, cycle=enrollment.cycle + 1)

    submit = learner_client.post(url("attempt", old), {"action": "submit", **correct_answers(quiz)})

    assert submit.status_code == 404
    assert learner_client.get(url("attempt", old)).status_code == 404
    old.refresh_from_db()
    assert old.status == AttemptStatus.IN_PROGRESS and not old.answers.exists()


@pytest.mark.parametrize("huge", ["quiz", "attempt"])
def test_an_id_past_any_row_in_the_attempt_address_is_404(learner_client, enrollment, quiz, huge):
    """A quiz or attempt id beyond 64 bits was a 500 (the database refused the number)."""
    attempt = start(enrollment, quiz)
    ids = {"quiz": quiz.pk, "attempt": attempt.pk, huge: 2**64}
    for name in ("quizzes:attempt", "quizzes:result"):
        address = reverse(name, args=[quiz.course.slug, ids["quiz"], ids["attempt"]])
        assert learner_client.get(address).status_code == 404
        assert learner_client.post(address, {"action": "submit"}).status_code == 404


def test_submitting_twice_keeps_the_first_score(learner_client, enrollment, quiz):
    attempt = start(enrollment, quiz)
    first = learner_client.post(
        url("attempt", attempt), {"action": "submit", **wrong_answers(quiz)}
    )
    assert first["Location"] == url("result", attempt)
    attempt.refresh_from_db()
    assert attempt.score == 0
    submitted_at = attempt.submitted_at

    again = learner_client.post(
        url("attempt", attempt), {"action": "submit", **correct_answers(quiz)}
    )

    assert again.status_code == 302
    assert again["Location"] == url("result", attempt)
    attempt.refresh_from_db()
    assert (attempt.score, attempt.passed, attempt.submitted_at) == (0, False, submitted_at)
    assert not attempt.answers.filter(correct=True).exists()


def test_choice_of_another_question_is_refused_on_save(learner_client, enrollment, quiz):
    attempt = start(enrollment, quiz)
    single = question_of(quiz, QuestionKind.SINGLE)
    foreign = choice_ids(question_of(quiz, QuestionKind.MULTIPLE), correct=True)[0]

    response = learner_client.post(
        url("attempt", attempt), {"action": "save", f"q-{single.pk}": str(foreign)}
    )

    assert response.status_code == 400
    assert "That is not one of this question&#x27;s choices." in response.text
    assert f'aria-describedby="error-{single.pk}"' in response.text
    assert given_answers(attempt) == {}
    assert not attempt.answers.filter(question=single).exists()


def test_choice_of_another_question_counts_nothing_on_submit(learner_client, enrollment, quiz):
    attempt = start(enrollment, quiz)
    single = question_of(quiz, QuestionKind.SINGLE)
    foreign = choice_ids(question_of(quiz, QuestionKind.MULTIPLE), correct=True)[0]

    response = learner_client.post(
        url("attempt", attempt),
        {"action": "submit", f"q-{single.pk}": str(foreign)},
        follow=True,
    )

    assert response.status_code == 200
    assert any("An answer was not saved" in m for m in messages_of(response.text, "warning"))
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED
    assert attempt.score == 0
    assert given_answers(attempt) == {}


@pytest.mark.parametrize("value", ["abc", "-1", "1.5", "", " ", "99999999999999999999", "²"])
def test_malformed_choice_ids_never_fail(learner_client, enrollment, quiz, value):
    attempt = start(enrollment, quiz)
    single = question_of(quiz, QuestionKind.SINGLE)

    response = learner_client.post(
        url("attempt", attempt), {"action": "save", f"q-{single.pk}": value}
    )

    assert response.status_code in {302, 400}
    assert not attempt.answers.filter(question=single).exclude(choice_ids=[]).exists()


def test_duplicated_choice_ids_are_saved_once(learner_client, enrollment, quiz):
    attempt = start(enrollment, quiz)
    single = question_of(quiz, QuestionKind.SINGLE)
    multiple = question_of(quiz, QuestionKind.MULTIPLE)
    one = choice_ids(single, correct=True)[0]
    first, second = choice_ids(multiple, correct=True)[:2]

    response = learner_client.post(
        url("attempt", attempt),
        {
            "action": "save",
            f"q-{single.pk}": [str(one), str(one)],
            f"q-{multiple.pk}": [str(second), str(first), str(second), str(first)],
        },
    )

    assert response.status_code == 302
    assert Answer.objects.get(attempt=attempt, question=single).choice_ids == [one]
    assert Answer.objects.get(attempt=attempt, question=multiple).choice_ids == sorted(
        [first, second]
    )


def test_two_answers_to_a_single_choice_question_are_refused(learner_client, enrollment, quiz):
    attempt = start(enrollment, quiz)
    single = question_of(quiz, QuestionKind.SINGLE)

    response = learner_client.post(
        url("attempt", attempt),
        {"action": "save", f"q-{single.pk}": [str(pk) for pk in choice_ids(single)]},
    )

    assert response.status_code == 400
    assert "Choose only one answer." in response.text
    assert given_answers(attempt) == {}


@pytest.mark.parametrize("value", ["abc", "NaN", "Infinity", "-inf", "12,5,3", "3 . 5 e", "١٢"])
def test_a_non_number_in_a_numeric_question_is_refused(learner_client, enrollment, quiz, value):
    attempt = start(enrollment, quiz)
    numeric = question_of(quiz, QuestionKind.NUMERIC)

    response = learner_client.post(
        url("attempt", attempt), {"action": "save", f"q-{numeric.pk}": value}
    )

    assert response.status_code == 400
    assert "Enter a number, such as 12 or 3.5." in response.text
    assert given_answers(attempt) == {}


@pytest.mark.parametrize(
    ("value", "number"), [("1848,25", Decimal("1848.25")), (" 1 848.25 ", Decimal("1848.25"))]
)
def test_numbers_with_a_decimal_comma_or_spaces_are_read(
    learner_client, enrollment, quiz, value, number
):
    attempt = start(enrollment, quiz)
    numeric = question_of(quiz, QuestionKind.NUMERIC)

    response = learner_client.post(
        url("attempt", attempt), {"action": "submit", f"q-{numeric.pk}": value}
    )

    assert response.status_code == 302
    answer = Answer.objects.get(attempt=attempt, question=numeric)
    assert (answer.number, answer.correct) == (number, True)


@pytest.mark.parametrize(
    "value",
    ["999999999999.9999999", "999999999999.999999", "1000000000000", "-1e12", "1e20", "9" * 60],
)
def test_numbers_outside_the_stored_range_get_a_message_at_the_field(
    learner_client, enrollment, quiz, value
):
    """999999999999.9999999 passed the old "< 1e12" check, rounded to 10**12 and overflowed
    Answer.number (a 500 on PostgreSQL, an unreadable row on SQLite)."""
    attempt = start(enrollment, quiz)
    numeric = question_of(quiz, QuestionKind.NUMERIC)

    response = learner_client.post(
        url("attempt", attempt), {"action": "save", f"q-{numeric.pk}": value}
    )

    assert response.status_code == 400
    assert "Enter a number between -999999999999.999 and 999999999999.999." in response.text
    assert given_answers(attempt) == {}
    # The attempt still opens and submits.
    assert learner_client.get(url("attempt", attempt)).status_code == 200
    assert learner_client.post(url("attempt", attempt), {"action": "submit"}).status_code == 302


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("999999999999.999", Decimal("999999999999.999")),
        ("-999999999999.9994", Decimal("-999999999999.999")),
        ("123456789012.3456", Decimal("123456789012.346")),
        ("0.00000000000000000001", Decimal(0)),
    ],
)
def test_numbers_at_the_edge_of_the_stored_range_are_kept(
    learner_client, enrollment, quiz, value, stored
):
    attempt = start(enrollment, quiz)
    numeric = question_of(quiz, QuestionKind.NUMERIC)

    response = learner_client.post(
        url("attempt", attempt), {"action": "submit", f"q-{numeric.pk}": value}
    )

    assert response.status_code == 302
    assert Answer.objects.get(attempt=attempt, question=numeric).number == stored
    assert learner_client.get(url("result", attempt)).status_code == 200


@pytest.mark.parametrize("value", ["nul\x00byte", "bell\x07", "escape\x1b[31m", "tab\tinside"])
def test_text_answers_with_control_characters_are_refused(learner_client, enrollment, quiz, value):
    """A NUL byte in a short-text answer was a 500 on PostgreSQL."""
    attempt = start(enrollment, quiz)
    text_question = question_of(quiz, QuestionKind.SHORT_TEXT)

    response = learner_client.post(
        url("attempt", attempt), {"action": "save", f"q-{text_question.pk}": value}
    )

    assert response.status_code == 400
    assert "Remove control characters (such as NUL) from the text." in response.text
    assert given_answers(attempt) == {}


def test_an_overlong_text_answer_is_refused(learner_client, enrollment, quiz):
    attempt = start(enrollment, quiz)
    short_text = question_of(quiz, QuestionKind.SHORT_TEXT)

    response = learner_client.post(
        url("attempt", attempt), {"action": "save", f"q-{short_text.pk}": "x" * 501}
    )

    assert response.status_code == 400
    assert "Enter at most 500 characters (you entered 501)." in response.text
    assert given_answers(attempt) == {}


@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])
def test_ten_thousand_extra_fields_are_a_400_and_change_nothing(
    learner_client, enrollment, quiz, encoding
):
    attempt = start(enrollment, quiz)
    data = {"action": "submit", **correct_answers(quiz)}
    data.update({f"extra-{n}": "1" for n in range(10_000)})

    if encoding == "urlencoded":
        response = learner_client.post(
            url("attempt", attempt),
            urlencode(data, doseq=True),
            content_type="application/x-www-form-urlencoded",
        )
    else:
        response = learner_client.post(url("attempt", attempt), data)

    assert response.status_code == 400
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.IN_PROGRESS
    assert attempt.score is None
    assert not attempt.answers.exists()


@pytest.fixture
def elsewhere(learner, enrollment, quiz):
    """The learner's attempt at this quiz, a second quiz of the course, and a course of their
    own elsewhere with a quiz and attempt of its own."""
    attempt = start(enrollment, quiz)
    sibling = exam(quiz.course)
    other_course = CourseFactory(slug="elsewhere")
    other_quiz = exam(other_course)
    other_attempt = start(EnrollmentFactory(user=learner, course=other_course), other_quiz)
    return {
        "slug": quiz.course.slug,
        "quiz": quiz.pk,
        "attempt": attempt.pk,
        "sibling": sibling.pk,
        "other_quiz": other_quiz.pk,
        "other_attempt": other_attempt.pk,
    }


@pytest.mark.parametrize(
    ("method", "name", "args"),
    [
        ("get", "detail", ("slug", 999_999)),
        ("post", "start", ("slug", 999_999)),
        ("get", "detail", ("slug", "other_quiz")),
        ("post", "start", ("slug", "other_quiz")),
        ("get", "attempt", ("slug", "other_quiz", "other_attempt")),
        ("get", "attempt", ("slug", "sibling", "attempt")),
        ("post", "attempt", ("slug", "sibling", "attempt")),
        ("get", "result", ("slug", "sibling", "attempt")),
        ("get", "attempt", ("slug", "quiz", "other_attempt")),
        ("get", "attempt", ("slug", "quiz", 999_999)),
        ("get", "attempt", ("no-such-course", "quiz", "attempt")),
    ],
)
def test_bad_ids_are_404(learner_client, elsewhere, method, name, args):
    resolved = [elsewhere.get(a, a) if isinstance(a, str) else a for a in args]
    response = getattr(learner_client, method)(
        reverse(f"quizzes:{name}", args=resolved), {"action": "submit"}
    )
    assert response.status_code == 404
    assert not Attempt.objects.exclude(status=AttemptStatus.IN_PROGRESS).exists()
    assert Attempt.objects.count() == 2


def test_pages_need_sign_in(client, enrollment, quiz):
    attempt = start(enrollment, quiz)
    for page in (quiz_url("detail", quiz), url("attempt", attempt), url("result", attempt)):
        response = client.get(page)
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]


# The server keeps time.


@pytest.mark.parametrize("action", ["submit", "save"])
def test_answers_after_the_deadline_are_not_counted(learner_client, enrollment, course, action):
    quiz = exam(course, time_limit_minutes=10)
    attempt = start(enrollment, quiz, now=timezone.now() - timedelta(minutes=30))
    assert attempt.deadline < timezone.now()

    response = learner_client.post(
        url("attempt", attempt), {"action": action, **correct_answers(quiz)}
    )

    assert response.status_code == 302
    assert response["Location"] == url("result", attempt)
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.EXPIRED
    assert attempt.submitted_at == attempt.deadline
    assert (attempt.score, attempt.passed) == (0, False)
    assert not attempt.answers.exists()
    page = learner_client.get(response["Location"])
    assert "The time limit ran out" in page.text


def test_answers_saved_in_time_count_when_the_deadline_passes(learner_client, enrollment, course):
    quiz = exam(course, time_limit_minutes=10)
    attempt = start(enrollment, quiz, now=timezone.now() - timedelta(minutes=9))
    learner_client.post(url("attempt", attempt), {"action": "save", **correct_answers(quiz)})
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=1))

    response = learner_client.post(
        url("attempt", attempt), {"action": "submit", **wrong_answers(quiz)}
    )

    assert response["Location"] == url("result", attempt)
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.EXPIRED
    assert attempt.score == 10


def test_opening_an_attempt_after_the_deadline_closes_it(learner_client, enrollment, course):
    quiz = exam(course, time_limit_minutes=10)
    attempt = start(enrollment, quiz)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=1))

    response = learner_client.get(url("attempt", attempt))

    assert response.status_code == 302
    assert response["Location"] == url("result", attempt)
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.EXPIRED


# Attempt limit.


def test_starting_beyond_the_limit_shows_an_error_and_creates_nothing(
    learner_client, enrollment, course
):
    quiz = exam(course, attempt_limit=1)
    services.attempt_submit(attempt=start(enrollment, quiz), data=wrong_answers(quiz))

    response = learner_client.post(quiz_url("start", quiz), follow=True)

    assert response.redirect_chain == [(quiz_url("detail", quiz), 302)]
    assert messages_of(response.text, "error") == ["You have used all your attempts at this quiz."]
    assert "Start a new attempt" not in response.text
    assert Attempt.objects.filter(quiz=quiz).count() == 1


def test_a_learner_not_enrolled_cannot_start(client, quiz):
    outsider = UserFactory()
    client.force_login(outsider)
    response = client.post(quiz_url("start", quiz))
    assert response.status_code == 404
    assert not Attempt.objects.exists()


# The trainer's report and regrade.


@pytest.fixture
def trainer(course):
    trainer = UserFactory(full_name="Trainer Тренер", roles=[Role.TRAINER])
    give_totp(trainer)
    course.trainers.add(trainer)
    return trainer


@pytest.fixture
def trainer_client(client, trainer):
    client.force_login(trainer)
    return client


def graded_quiz(course, **quiz_kwargs) -> Quiz:
    """One single-choice question worth 1 point (Alpha right, Beta and Gamma wrong) and one
    numeric worth 3."""
    quiz = exam(course, **quiz_kwargs)
    quiz.questions.exclude(kind__in=[QuestionKind.SINGLE, QuestionKind.NUMERIC]).delete()
    for choice, text in zip(
        question_of(quiz, QuestionKind.SINGLE).choices.order_by("position"),
        ["Alpha", "Beta", "Gamma"],
        strict=True,
    ):
        choice.text = text
        choice.save()
    return quiz


def sit(quiz, *, name: str, single_choice: str | None, submit: bool = True) -> Attempt:
    """A learner called ``name`` answers the numeric question right and picks ``single_choice``."""
    enrollment = EnrollmentFactory(course=quiz.course, user__full_name=name)
    attempt = start(enrollment, quiz)
    single = question_of(quiz, QuestionKind.SINGLE)
    numeric = question_of(quiz, QuestionKind.NUMERIC)
    data = {f"q-{numeric.pk}": [str(NUMERIC_ANSWER)]}
    if single_choice:
        data[f"q-{single.pk}"] = [str(single.choices.get(text=single_choice).pk)]
    if submit:
        services.attempt_submit(attempt=attempt, data=data)
    else:
        services.attempt_save(attempt=attempt, data=data)
    attempt.refresh_from_db()
    return attempt


def stats_rows(html: str) -> dict[str, tuple[int, int, list[str]]]:
    """Question text → (answered, percent correct, choice lines) from the report's table."""
    rows = re.findall(
        r"<tr>\s*<td>(.*?) <span class=\"meta\">.*?</td>\s*<td>(\d+)</td>\s*<td>(\d+)%</td>"
        r"\s*<td>(.*?)</td>\s*</tr>",
        html,
        re.S,
    )
    return {
        text: (int(answered), int(percent), re.findall(r"<li>(.*?)</li>", choices))
        for text, answered, percent, choices in rows
    }


def test_trainer_sees_attempts_and_question_stats(trainer_client, course):
    quiz = graded_quiz(course)
    sit(quiz, name="Ана Right", single_choice="Alpha")
    sit(quiz, name="Бојан Wrong", single_choice="Beta")
    sit(quiz, name="Vesna Unfinished", single_choice="Gamma", submit=False)

    response = trainer_client.get(quiz_url("report", quiz))

    assert response.status_code == 200
    for name in ("Ана Right", "Бојан Wrong", "Vesna Unfinished"):
        assert name in response.text
    assert "In progress" in response.text
    rows = stats_rows(response.text)
    single = question_of(quiz, QuestionKind.SINGLE)
    numeric = question_of(quiz, QuestionKind.NUMERIC)
    # The unfinished attempt is listed but counts in no statistic.
    assert rows[single.text] == (2, 50, ["Alpha ✓: 1", "Beta: 1", "Gamma: 0"])
    assert rows[numeric.text] == (2, 100, [])


def test_trainer_sees_one_attempt_with_solutions(trainer_client, course):
    quiz = graded_quiz(course)
    attempt = sit(quiz, name="Ана", single_choice="Beta")
    response = trainer_client.get(url("review", attempt))
    assert response.status_code == 200
    assert "Ана" in response.text
    assert "Explained: single is answered so." in response.text


@pytest.mark.parametrize("who", ["learner", "other_trainer"])
def test_report_review_and_regrade_are_404_for_others(client, learner, course, who):
    quiz = graded_quiz(course)
    attempt = sit(quiz, name="Ана", single_choice="Beta")
    if who == "learner":
        EnrollmentFactory(user=learner, course=course)
        user = learner
    else:
        user = UserFactory(roles=[Role.TRAINER])
        give_totp(user)
        CourseFactory(trainers=[user])
    client.force_login(user)

    assert client.get(quiz_url("report", quiz)).status_code == 404
    assert client.get(url("review", attempt)).status_code == 404
    assert client.post(reverse("teaching:quiz_regrade", args=[quiz.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action__startswith="quiz.regrade").exists()


def test_trainer_without_mfa_is_sent_to_set_it_up(client, course):
    quiz = graded_quiz(course)
    trainer = UserFactory(roles=[Role.TRAINER])
    course.trainers.add(trainer)
    client.force_login(trainer)
    response = client.get(quiz_url("report", quiz))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_regrade_follows_a_corrected_key_and_is_audited(
    trainer_client, trainer, course, django_capture_on_commit_callbacks
):
    quiz = graded_quiz(course, pass_mark=100)
    attempt = sit(quiz, name="Ана", single_choice="Beta")
    assert (attempt.score, attempt.passed) == (Decimal(3), False)
    single = question_of(quiz, QuestionKind.SINGLE)
    single.choices.filter(text="Alpha").update(is_correct=False)
    single.choices.filter(text="Beta").update(is_correct=True)

    # The report offers the workspace's confirmed, background regrade (there is only one).
    regrade_url = reverse("teaching:quiz_regrade", args=[quiz.pk])
    assert f'href="{regrade_url}"' in trainer_client.get(quiz_url("report", quiz)).text
    with django_capture_on_commit_callbacks(execute=True):
        trainer_client.post(regrade_url)

    attempt.refresh_from_db()
    assert (attempt.score, attempt.percent, attempt.passed) == (Decimal(4), Decimal(100), True)
    assert attempt.enrollment.status == EnrollmentStatus.COMPLETED
    event = AuditEvent.objects.get(action="quiz.regrade")
    assert (event.actor, event.target_type, event.target_id) == (
        trainer,
        "quizzes.quiz",
        str(quiz.pk),
    )
    assert event.data["attempts"] == 1
    assert event.data["changed"] == [
        {
            "attempt": attempt.pk,
            "old_score": "3.00",
            "new_score": "4.00",
            "old_passed": False,
            "new_passed": True,
        }
    ]
    response = trainer_client.get(quiz_url("report", quiz))
    assert stats_rows(response.text)[single.text][:2] == (1, 100)


# Completion through the pages.


def completion_course():
    course = course_with_lessons(lessons_per_module=1, modules=1, slug="finals")
    final = choice_question(
        Quiz.objects.create(course=course, title="Final exam"), correct=(True, False)
    ).quiz
    return course, final


@pytest.mark.parametrize("passes", [True, False])
def test_passing_the_required_quiz_completes_the_course(learner_client, learner, passes):
    course, final = completion_course()
    enrollment = EnrollmentFactory(user=learner, course=course)
    course_services.lesson_complete(enrollment=enrollment, lesson=course.lessons.get())
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.ACTIVE  # the exam is still to pass

    learner_client.post(quiz_url("start", final))
    attempt = Attempt.objects.get(enrollment=enrollment, quiz=final)
    answers = correct_answers(final) if passes else wrong_answers(final)
    response = learner_client.post(
        url("attempt", attempt), {"action": "submit", **answers}, follow=True
    )

    assert response.status_code == 200
    assert ("Course completed." in response.text) is passes
    enrollment.refresh_from_db()
    expected = EnrollmentStatus.COMPLETED if passes else EnrollmentStatus.ACTIVE
    assert enrollment.status == expected


# Polish: partial credit says so; choices are never numbered out of the order shown.


def test_partly_right_multiple_choice_answer_says_partly_correct(
    learner_client, enrollment, course
):
    quiz = exam(course, review_policy=ReviewPolicy.RESPONSES)
    multiple = question_of(quiz, QuestionKind.MULTIPLE)
    right = choice_ids(multiple, correct=True)
    attempt = start(enrollment, quiz)
    data = {**wrong_answers(quiz), f"q-{multiple.pk}": right[:2]}
    response = learner_client.post(
        url("attempt", attempt), {"action": "submit", **data}, follow=True
    )
    html = response.text
    number = attempt.question_ids.index(multiple.pk) + 1
    verdict = re.search(rf'data-testid="verdict-{number}">\s*([^·]+)·', html).group(1).strip()
    assert verdict == "Partly correct"
    assert '<section class="question review is-partial">' in html
    answer = Answer.objects.get(attempt=attempt, question=multiple)
    assert 0 < answer.points < multiple.points
    # A wrong answer with no points is still "Not correct".
    single = question_of(quiz, QuestionKind.SINGLE)
    number = attempt.question_ids.index(single.pk) + 1
    verdict = re.search(rf'data-testid="verdict-{number}">\s*([^·]+)·', html).group(1).strip()
    assert verdict == "Not correct"


def test_demo_choices_carry_no_numbers_that_shuffling_would_scramble():
    from quizzes.demo_content import QUIZZES

    for quiz in QUIZZES:
        for question in quiz.questions:
            for choice in question.choices:
                assert not re.match(r"\s*\(?\d+[.)]\s", choice.text), choice.text


def test_the_course_page_is_read_from_the_cache_and_follows_every_quiz_change(
    client, django_assert_max_num_queries
):
    """The course page lists the quizzes from the shared cache; adding, renaming, moving or
    deleting a quiz shows on the next view."""
    course = course_with_lessons(lessons_per_module=1, modules=2)
    first_module, second_module = course.modules.order_by("position")
    url = reverse("courses:detail", args=[course.slug])
    assert client.get(url).status_code == 200
    with django_assert_max_num_queries(2):  # the catalogue version and the cached course
        cached = client.get(url)
    assert cached.status_code == 200

    quiz = QuizFactory(course=course, module=first_module, title="Checkpoint on records")
    assert "Checkpoint on records" in client.get(url).text
    quiz.title = "Checkpoint on archives"
    quiz.save()
    page = client.get(url).text
    assert "Checkpoint on archives" in page and "Checkpoint on records" not in page
    quiz.module = second_module
    quiz.save()
    page = client.get(url).text
    assert page.index(second_module.title) < page.index("Checkpoint on archives")
    quiz.delete()
    assert "Checkpoint on archives" not in client.get(url).text
