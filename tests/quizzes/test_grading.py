"""The grader alone: plain question keys and responses in, scores out, no database."""

import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizzes.grading import (
    MULTIPLE,
    NUMERIC,
    PROPORTIONAL,
    SHORT_TEXT,
    SINGLE,
    TRUE_FALSE,
    QuestionKey,
    Response,
    answer_form,
    grade,
    grade_question,
)

CHOICE_KINDS = (SINGLE, MULTIPLE, TRUE_FALSE)
ALL_OR_NOTHING = "all"


def single(points="1", correct=1, choices=(1, 2, 3), question_id=1) -> QuestionKey:
    return QuestionKey(
        id=question_id,
        kind=SINGLE,
        points=Decimal(points),
        correct_choice_ids=frozenset({correct}),
        choice_ids=frozenset(choices),
    )


def multiple(
    points="3", correct=(1, 2, 3), choices=(1, 2, 3, 4, 5), partial=PROPORTIONAL, question_id=1
) -> QuestionKey:
    return QuestionKey(
        id=question_id,
        kind=MULTIPLE,
        points=Decimal(points),
        correct_choice_ids=frozenset(correct),
        choice_ids=frozenset(choices),
        partial_credit=partial,
    )


def short_text(*accepted: str, points="1") -> QuestionKey:
    return QuestionKey(id=1, kind=SHORT_TEXT, points=Decimal(points), accepted_answers=accepted)


def numeric(answer="3.5", tolerance="0.1", points="1") -> QuestionKey:
    return QuestionKey(
        id=1,
        kind=NUMERIC,
        points=Decimal(points),
        numeric_answer=Decimal(answer),
        numeric_tolerance=Decimal(tolerance),
    )


def picks(*choice_ids: int) -> Response:
    return Response(choice_ids=frozenset(choice_ids))


# Single choice and true/false


@pytest.mark.parametrize(
    ("chosen", "points", "correct"),
    [
        ((1,), Decimal("2.5"), True),
        ((2,), Decimal(0), False),
        ((), Decimal(0), False),
        ((1, 2), Decimal(0), False),
    ],
)
def test_a_single_choice_question_scores_only_the_right_choice_alone(chosen, points, correct):
    result = grade_question(single(points="2.5"), picks(*chosen))

    assert (result.points, result.correct) == (points, correct)


@pytest.mark.parametrize(("chosen", "points"), [((10,), Decimal(1)), ((11,), Decimal(0))])
def test_a_true_false_question_scores_the_right_statement(chosen, points):
    key = QuestionKey(
        id=1,
        kind=TRUE_FALSE,
        points=Decimal(1),
        correct_choice_ids=frozenset({10}),
        choice_ids=frozenset({10, 11}),
    )

    assert grade_question(key, picks(*chosen)).points == points


# Multiple choice


@pytest.mark.parametrize(
    ("chosen", "points", "correct"),
    [
        ((1, 2, 3), Decimal(3), True),
        ((1, 2), Decimal(0), False),
        ((1, 2, 3, 4), Decimal(0), False),
        ((), Decimal(0), False),
    ],
)
def test_all_or_nothing_gives_the_points_only_for_exactly_the_right_choices(
    chosen, points, correct
):
    result = grade_question(multiple(partial=ALL_OR_NOTHING), picks(*chosen))

    assert (result.points, result.correct) == (points, correct)


@pytest.mark.parametrize(
    ("chosen", "points"),
    [
        ((1, 2, 3), Decimal("3.00")),
        ((1, 2), Decimal("2.00")),  # two of three right: two thirds of the points
        ((1,), Decimal("1.00")),
        ((1, 2, 4), Decimal("1.00")),  # one wrong pick takes back one right share
        ((1, 2, 3, 4), Decimal("2.00")),
        ((1, 4), Decimal("0.00")),
        ((1, 4, 5), Decimal("0.00")),  # more wrong than right: never below zero
        ((4, 5), Decimal("0.00")),
        ((), Decimal("0.00")),
    ],
)
def test_proportional_credit_gives_a_share_per_right_choice_less_one_per_wrong_choice(
    chosen, points
):
    assert grade_question(multiple(), picks(*chosen)).points == points


def test_a_proportional_share_is_rounded_to_the_cent():
    result = grade_question(multiple(points="1"), picks(1, 2))

    assert result.points == Decimal("0.67")
    assert result.correct is False


def test_proportional_credit_counts_as_correct_only_when_every_right_choice_is_picked():
    assert grade_question(multiple(), picks(1, 2, 3)).correct is True
    assert grade_question(multiple(), picks(1, 2, 3, 4)).correct is False


# Choice ids that belong to another question


def test_a_choice_of_another_question_does_not_make_a_single_choice_right():
    key = single(correct=1, choices=(1, 2, 3))

    assert grade_question(key, picks(7)).points == Decimal(0)


def test_a_choice_of_another_question_neither_adds_nor_subtracts():
    assert grade_question(multiple(), picks(1, 2, 99)).points == Decimal("2.00")
    assert grade_question(multiple(partial=ALL_OR_NOTHING), picks(1, 2, 3, 99)).points == 3
    assert grade_question(single(), picks(1, 99)).correct is True


def test_choices_of_another_question_score_nothing_in_the_whole_quiz():
    first = single(question_id=1, correct=1, choices=(1, 2))
    second = single(question_id=2, correct=3, choices=(3, 4))

    result = grade([first, second], {1: picks(3), 2: picks(1)}, pass_mark=50)

    assert result.score == Decimal(0)
    assert result.questions[1].correct is result.questions[2].correct is False


# Short text


@pytest.mark.parametrize(
    "given_answer",
    [
        "Đorđe Vajfert",
        "đorđe vajfert",
        "ĐORĐE VAJFERT",
        "  Đorđe    Vajfert  ",
        "Đorđe\tVajfert\n",
        "Ђорђе Вајферт",
        "ЂОРЂЕ вајферт",
        "Ђорђе Vajfert",
    ],
)
def test_a_short_answer_ignores_case_spacing_and_script(given_answer):
    result = grade_question(short_text("Đorđe Vajfert", points="2"), Response(text=given_answer))

    assert (result.points, result.correct) == (Decimal(2), True)


def test_a_cyrillic_accepted_answer_accepts_the_latin_spelling():
    key = short_text("Ђорђе")

    assert grade_question(key, Response(text="Đorđe")).correct is True
    assert grade_question(key, Response(text="đorđe")).correct is True


@pytest.mark.parametrize(
    ("accepted", "given_answer"),
    [
        ("šal", "sal"),
        ("sal", "šal"),
        ("шал", "sal"),
        ("Đorđe", "Djordje"),  # "ђ" is "đ", not "dj"
        ("Ђорђе", "Dorde"),
        ("čaj", "ćaj"),
    ],
)
def test_letters_with_diacritics_are_different_letters(accepted, given_answer):
    result = grade_question(short_text(accepted), Response(text=given_answer))

    assert (result.points, result.correct) == (Decimal(0), False)


def test_the_serbian_digraphs_match_their_single_cyrillic_letters():
    key = short_text("Љубљана", "џем", "њива")

    for given_answer in ("ljubljana", "LJUBLJANA", "džem", "njiva"):
        assert grade_question(key, Response(text=given_answer)).correct is True, given_answer


def test_a_decomposed_letter_is_the_same_letter():
    decomposed = unicodedata.normalize("NFD", "šal")
    assert decomposed != "šal"

    assert grade_question(short_text("šal"), Response(text=decomposed)).correct is True


def test_any_of_the_accepted_answers_is_right():
    key = short_text("Beograd", "Белград", "Belgrade")

    assert grade_question(key, Response(text="belgrade")).correct is True
    assert grade_question(key, Response(text="БЕОГРАД")).correct is True
    assert grade_question(key, Response(text="Novi Sad")).correct is False


def test_a_blank_answer_is_never_right_even_against_a_blank_accepted_answer():
    key = short_text("", "   ")

    assert grade_question(key, Response(text="")).correct is False
    assert grade_question(key, Response(text="  ")).correct is False


def test_answer_form_is_the_latin_lower_case_single_spaced_spelling():
    assert answer_form("  Ђорђе   ВАЈФЕРТ ") == "đorđe vajfert"


# Numeric


@pytest.mark.parametrize(
    ("number", "correct"),
    [
        ("3.5", True),
        ("3.4", True),  # exactly at the tolerance, below
        ("3.6", True),  # exactly at the tolerance, above
        ("3.399999", False),
        ("3.600001", False),
        ("-3.5", False),
    ],
)
def test_a_numeric_answer_is_right_within_the_tolerance_inclusive(number, correct):
    result = grade_question(numeric(points="2"), Response(number=Decimal(number)))

    assert result.correct is correct
    assert result.points == (Decimal(2) if correct else Decimal(0))


def test_without_tolerance_only_the_exact_value_is_right():
    key = numeric(answer="-12", tolerance="0")

    assert grade_question(key, Response(number=Decimal("-12.000"))).correct is True
    assert grade_question(key, Response(number=Decimal("-12.001"))).correct is False


def test_a_numeric_question_without_a_value_is_never_right():
    key = QuestionKey(id=1, kind=NUMERIC, points=Decimal(1), numeric_answer=None)

    assert grade_question(key, Response(number=Decimal(0))).correct is False


# Unanswered questions and unknown kinds


@pytest.mark.parametrize(
    "key",
    [
        single(),
        multiple(),
        multiple(partial=ALL_OR_NOTHING),
        short_text("yes"),
        numeric(answer="0", tolerance="1"),
    ],
    ids=["single", "proportional", "all-or-nothing", "short-text", "numeric"],
)
def test_an_unanswered_question_scores_zero(key):
    result = grade([key], {}, pass_mark=0)

    assert result.score == Decimal(0)
    assert result.max_score == key.points
    assert result.questions[key.id].correct is False


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="essay"):
        grade_question(QuestionKey(id=1, kind="essay", points=Decimal(1)), Response())


# The whole quiz: score, percent, passed


def _ten_points_quiz() -> list[QuestionKey]:
    """Ten one-point single-choice questions; question n's right choice is 10 * n."""
    return [
        single(question_id=n, correct=10 * n, choices=(10 * n, 10 * n + 1)) for n in range(1, 11)
    ]


def _right_answers(keys, count: int) -> dict[int, Response]:
    return {key.id: picks(*key.correct_choice_ids) for key in keys[:count]}


@pytest.mark.parametrize(
    ("right", "percent", "passed"),
    [(7, Decimal("70.00"), True), (6, Decimal("60.00"), False), (10, Decimal("100.00"), True)],
)
def test_a_learner_passes_at_exactly_the_pass_mark(right, percent, passed):
    keys = _ten_points_quiz()

    result = grade(keys, _right_answers(keys, right), pass_mark=70)

    assert result.score == Decimal(right)
    assert result.max_score == Decimal(10)
    assert (result.percent, result.passed) == (percent, passed)


def test_a_score_just_below_the_pass_mark_fails():
    key = multiple(points="3", question_id=1)
    other = single(points="0.5", question_id=2, correct=9, choices=(9, 8))

    result = grade([key, other], {1: picks(1, 2, 3), 2: picks(8)}, pass_mark=86)

    assert result.score == Decimal("3.00")
    assert result.max_score == Decimal("3.50")
    assert result.percent == Decimal("85.71")
    assert result.passed is False


def test_the_percent_is_rounded_to_two_places():
    keys = [single(question_id=n, correct=n, choices=(n, n + 100)) for n in (1, 2, 3)]

    result = grade(keys, _right_answers(keys, 2), pass_mark=66)

    assert result.percent == Decimal("66.67")
    assert result.passed is True


def test_a_pass_mark_of_zero_passes_an_empty_paper():
    assert grade(_ten_points_quiz(), {}, pass_mark=0).passed is True


def test_a_quiz_without_questions_scores_zero_and_does_not_pass():
    result = grade([], {}, pass_mark=70)

    assert (result.score, result.max_score, result.percent) == (0, 0, 0)
    assert result.passed is False


def test_responses_to_questions_that_were_not_drawn_are_ignored():
    keys = _ten_points_quiz()[:2]

    result = grade(keys, {**_right_answers(keys, 1), 99: picks(990)}, pass_mark=50)

    assert result.score == Decimal(1)
    assert set(result.questions) == {1, 2}


# Property tests

POINTS = st.integers(min_value=1, max_value=20).map(lambda halves: Decimal(halves) / 2)
SERBIAN_LETTERS = "abcčćdđefghijklmnoprsštuvzž" + "абвгдђежзијклљмнњопрстћуфхцчџш"
WORDS = st.text(alphabet=SERBIAN_LETTERS + SERBIAN_LETTERS.upper() + " \t", max_size=20)
ANSWERS = WORDS.filter(str.strip)
NUMBERS = st.decimals(
    min_value=-1000, max_value=1000, places=3, allow_nan=False, allow_infinity=False
)
TOLERANCES = st.decimals(min_value=0, max_value=5, places=2, allow_nan=False, allow_infinity=False)
KINDS = st.sampled_from([SINGLE, MULTIPLE, TRUE_FALSE, SHORT_TEXT, NUMERIC])


@st.composite
def question_keys(draw, question_id: int) -> QuestionKey:
    """Any well-formed question; choice ids are unique across the quiz (100 * id + n)."""
    kind = draw(KINDS)
    points = draw(POINTS)
    if kind in CHOICE_KINDS:
        count = 2 if kind == TRUE_FALSE else draw(st.integers(min_value=2, max_value=6))
        choice_ids = [100 * question_id + n for n in range(count)]
        if kind == MULTIPLE:
            correct = draw(st.sets(st.sampled_from(choice_ids), min_size=1))
        else:
            correct = {draw(st.sampled_from(choice_ids))}
        return QuestionKey(
            id=question_id,
            kind=kind,
            points=points,
            correct_choice_ids=frozenset(correct),
            choice_ids=frozenset(choice_ids),
            partial_credit=draw(st.sampled_from([ALL_OR_NOTHING, PROPORTIONAL])),
        )
    if kind == SHORT_TEXT:
        accepted = draw(st.lists(ANSWERS, min_size=1, max_size=3))
        return QuestionKey(
            id=question_id, kind=kind, points=points, accepted_answers=tuple(accepted)
        )
    return QuestionKey(
        id=question_id,
        kind=kind,
        points=points,
        numeric_answer=draw(NUMBERS),
        numeric_tolerance=draw(TOLERANCES),
    )


@st.composite
def quizzes(draw) -> list[QuestionKey]:
    count = draw(st.integers(min_value=1, max_value=8))
    return [draw(question_keys(question_id)) for question_id in range(1, count + 1)]


@st.composite
def responses_to(draw, keys: list[QuestionKey]) -> dict[int, Response]:
    """Random answers, some blank, with choices picked from any question or from none."""
    every_choice = sorted({cid for key in keys for cid in key.choice_ids} | {1, 99_999})
    responses = {}
    for key in keys:
        if not draw(st.booleans()):
            continue
        if key.kind in CHOICE_KINDS:
            chosen = draw(st.sets(st.sampled_from(every_choice), max_size=8))
            responses[key.id] = Response(choice_ids=frozenset(chosen))
        elif key.kind == SHORT_TEXT:
            text = draw(st.one_of(st.sampled_from(key.accepted_answers), WORDS, st.text()))
            responses[key.id] = Response(text=text)
        else:
            near = key.numeric_answer + draw(NUMBERS) / 100
            responses[key.id] = Response(number=draw(st.sampled_from([near, draw(NUMBERS)])))
    return responses


def all_right(keys: list[QuestionKey]) -> dict[int, Response]:
    responses = {}
    for key in keys:
        if key.kind in CHOICE_KINDS:
            responses[key.id] = Response(choice_ids=key.correct_choice_ids)
        elif key.kind == SHORT_TEXT:
            responses[key.id] = Response(text=key.accepted_answers[0])
        else:
            responses[key.id] = Response(number=key.numeric_answer)
    return responses


papers = quizzes().flatmap(lambda keys: st.tuples(st.just(keys), responses_to(keys)))
PASS_MARKS = st.integers(min_value=0, max_value=100)


@given(paper=papers, pass_mark=PASS_MARKS)
def test_the_score_lies_between_zero_and_the_maximum(paper, pass_mark):
    keys, responses = paper

    result = grade(keys, responses, pass_mark=pass_mark)

    assert result.max_score == sum(key.points for key in keys)
    assert Decimal(0) <= result.score <= result.max_score
    assert Decimal(0) <= result.percent <= Decimal(100)
    assert result.passed is (result.percent >= pass_mark)
    for key in keys:
        assert Decimal(0) <= result.questions[key.id].points <= key.points


@given(keys=quizzes(), pass_mark=PASS_MARKS)
def test_answering_everything_right_gives_the_maximum(keys, pass_mark):
    result = grade(keys, all_right(keys), pass_mark=pass_mark)

    assert result.score == result.max_score
    assert result.percent == Decimal(100)
    assert result.passed is True
    assert all(question.correct for question in result.questions.values())


@given(keys=quizzes())
def test_the_right_answer_in_another_case_and_spacing_still_gives_the_maximum(keys):
    responses = all_right(keys)
    for key in keys:
        if key.kind == SHORT_TEXT:
            responses[key.id] = Response(text=f"  {key.accepted_answers[0].upper()}\t ")

    assert grade(keys, responses, pass_mark=100).score == sum(key.points for key in keys)


@given(paper=papers, pass_mark=PASS_MARKS, data=st.data())
def test_the_order_of_questions_does_not_change_the_score(paper, pass_mark, data):
    """Questions reach the grader as a list in the order the paper showed them. Choices reach
    it as sets, so their order cannot matter here; the shuffled order of choices on a paper is
    tested where it exists, in tests/quizzes/test_attempt_services.py."""
    keys, responses = paper
    shuffled_keys = data.draw(st.permutations(keys))

    before = grade(keys, responses, pass_mark=pass_mark)
    after = grade(shuffled_keys, dict(reversed(list(responses.items()))), pass_mark=pass_mark)

    assert (after.score, after.max_score, after.percent, after.passed) == (
        before.score,
        before.max_score,
        before.percent,
        before.passed,
    )
    assert after.questions == before.questions
