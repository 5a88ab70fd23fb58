"""The GIFT parser: the kinds it reads, and the reason for each block it cannot."""

from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from quizzes.gift import MAX_QUESTIONS, parse_gift

GOOD = r"""// Signatures, for the second intake
$CATEGORY: e-government

::Signatures:: Који потпис важи као својеручни? {
  ~Напредни
  =Квалификовани#Тако каже закон.
  ~Скенирани
}

A time stamp proves when a document existed. {TRUE}

Who wrote the first Serbian grammar? {=Vuk Karadžić =Вук Караџић}

How many days does an open tender last at most? {#30:2}

Which are electronic? {~%50%Advanced ~%50%Qualified ~%-100%Paper}

What does 2 \= 2 mean\? {=equality}
"""


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_reads_every_supported_kind():
    result = parse_gift(GOOD)

    assert result.problems == ()
    single, true_false, short, numeric, multiple, escaped = result.questions
    assert single.kind == "single" and single.line == 4
    assert single.text == "Који потпис важи као својеручни?"
    assert single.choices == (("Напредни", False), ("Квалификовани", True), ("Скенирани", False))
    assert single.explanation == "Тако каже закон."
    assert true_false.kind == "true_false" and true_false.choices[0] == ("True", True)
    assert short.kind == "short_text"
    assert short.accepted_answers == ("Vuk Karadžić", "Вук Караџић")
    assert (numeric.numeric_answer, numeric.numeric_tolerance) == (Decimal(30), Decimal(2))
    assert multiple.kind == "multiple"
    assert [correct for _text, correct in multiple.choices] == [True, True, False]
    assert escaped.text == r"What does 2 = 2 mean\?"


@pytest.mark.parametrize(
    ("block", "reason"),
    [
        ("Match these. {=a -> 1 =b -> 2}", "Matching questions are not imported"),
        ("Write an essay. {}", "Essay questions (no answers) are not imported"),
        ("Write {} here.", "Essay"),
        ("Match {=a -> 1 =b -> 2} these.", "Matching"),
        ("The sky is {T} today.", "cannot have a gap"),
        ("The sky is {~blue ~green} today.", "at least one choice as correct"),
        ("The sky is {=blue} today {=x}.", "one pair of braces"),
        ("No braces at all", "one pair of braces"),
        ("Two {=a} pairs {=b}", "one pair of braces"),
        ("{=a ~b}", "question text is missing"),
        ("Only one? {=a}", None),
        ("Choose. {~a ~b}", "at least one choice as correct"),
        ("Choose. {=a}", None),
        ("Choose. {~a =}", "empty"),
        ("How many? {#lots}", "not a number"),
        ("How many? {#5..1}", "lower end is above its upper end"),
        ("How many? {#1..x}", "not a number"),
        ("How many? {#..}", "not a number"),
        ("How many? {#1..2..3}", "not a number"),
        ("How many? {#}", "not a number"),
        ("How many? {#3:-1}", "cannot be negative"),
        ("How many? {#0.1234567}", "at most 6 decimal places"),
        ("How many? {#1..1.0000001}", "at most 6 decimal places"),
        ("How many? {#=%50%3 =%20%4}", "No numeric answer gives full credit"),
        ("How many? {#=3 ~4}", "must start with ="),
        ("How many? {#=3 =lots}", "not a number"),
        ("How many? {#junk =3}", "not a number"),
        ("Choose. {junk =a ~b}", "start with = or ~"),
    ],
)
def test_a_block_that_breaks_a_rule_is_reported_and_the_rest_still_parse(block, reason):
    result = parse_gift(f"{block}\n\nGood? {{=yes ~no}}\n")

    if reason is None:  # a one-answer "=" block is a short-answer question
        assert len(result.questions) == 2
        return
    [problem] = result.problems
    assert reason in problem.reason
    assert problem.line == 1
    assert [q.text for q in result.questions] == ["Good?"]


def test_too_many_questions_is_refused():
    with pytest.raises(ValueError, match="import it in parts"):
        parse_gift("Q? {T}\n\n" * (MAX_QUESTIONS + 1))


@hypothesis_settings(database=None, max_examples=200)
@given(st.text(max_size=300))
def test_any_text_parses_into_questions_or_problems_without_crashing(text):
    result = parse_gift(text)

    for question in result.questions:
        assert question.text
        if question.kind in {"single", "multiple", "true_false"}:
            assert len(question.choices) >= 2
            assert any(correct for _t, correct in question.choices)


def test_a_missing_word_question_shows_the_gap_and_keeps_its_answers():
    result = parse_gift(
        "Moodle costs {~lots of money =nothing ~a small amount} to download.\n\n"
        "::Weights:: {~%50%Advanced ~%50%Qualified ~%-100%Paper} signatures are electronic.\n\n"
        "Two plus {=two =2} equals four.\n\n"
        "The sky is {=blue ~green}.\n\n"
        "A tender lasts {#30:2} days.\n"
    )

    assert result.problems == ()
    single, multiple, short, punctuated, numeric = result.questions
    assert single.kind == "single"
    assert single.text == "Moodle costs _____ to download."
    assert single.choices == (
        ("lots of money", False),
        ("nothing", True),
        ("a small amount", False),
    )
    assert multiple.kind == "multiple" and multiple.text == "_____ signatures are electronic."
    assert [correct for _text, correct in multiple.choices] == [True, True, False]
    assert short.kind == "short_text" and short.text == "Two plus _____ equals four."
    assert short.accepted_answers == ("two", "2")
    assert punctuated.text == "The sky is _____."
    assert numeric.kind == "numeric" and numeric.text == "A tender lasts _____ days."
    assert (numeric.numeric_answer, numeric.numeric_tolerance) == (Decimal(30), Decimal(2))


@pytest.mark.parametrize(
    ("block", "value", "tolerance"),
    [
        ("{#1..5}", Decimal(3), Decimal(2)),
        ("{#1..2}", Decimal("1.5"), Decimal("0.5")),
        ("{# -10 .. -4 }", Decimal(-7), Decimal(3)),
        ("{#4..4}", Decimal(4), Decimal(0)),
        ("{#2.5..3.5#Between two and a half and three and a half.}", Decimal(3), Decimal("0.5")),
    ],
)
def test_a_numeric_range_is_its_middle_give_or_take_half_its_width(block, value, tolerance):
    [question] = parse_gift(f"How many? {block}").questions

    assert question.kind == "numeric"
    assert (question.numeric_answer, question.numeric_tolerance) == (value, tolerance)
    assert question.note == ""


def test_numeric_feedback_becomes_the_explanation():
    [question] = parse_gift("How many days? {#30:2#Thirty, give or take two.}").questions

    assert (question.numeric_answer, question.numeric_tolerance) == (Decimal(30), Decimal(2))
    assert question.explanation == "Thirty, give or take two."


def test_several_numeric_answers_keep_the_first_full_credit_one_and_say_so():
    [question] = parse_gift(
        "When was Vuk born? {#=%50%1786:2#Close. =1787:0#Right. =%100%1788}"
    ).questions

    assert (question.numeric_answer, question.numeric_tolerance) == (Decimal(1787), Decimal(0))
    assert question.explanation == "Right."
    assert "3 answers were given" in question.note and "1787 ± 0" in question.note
    [single] = parse_gift("When? {#=1787:1}").questions
    assert single.numeric_answer == Decimal(1787) and single.note == ""


_NUMBERS = st.decimals(
    min_value=Decimal("-1000000"), max_value=Decimal("1000000"), places=3, allow_nan=False
)


@hypothesis_settings(database=None, max_examples=200)
@given(low=_NUMBERS, high=_NUMBERS)
def test_any_range_covers_exactly_its_ends(low, high):
    low, high = min(low, high), max(low, high)

    [question] = parse_gift(f"How many? {{#{low}..{high}}}").questions

    assert question.numeric_answer - question.numeric_tolerance == low
    assert question.numeric_answer + question.numeric_tolerance == high
    assert question.numeric_tolerance >= 0


_WORDS = st.text(alphabet="abcdeфгхијк ", min_size=1, max_size=30).filter(str.strip)


@hypothesis_settings(database=None, max_examples=200)
@given(before=st.text(alphabet="abc ", max_size=20), after=_WORDS, right=_WORDS, wrong=_WORDS)
def test_any_missing_word_question_has_one_gap_and_its_text_around_it(before, after, right, wrong):
    [question] = parse_gift(f"{before}{{={right} ~{wrong}}}{after}").questions

    assert question.text.count("_____") == 1
    head, tail = question.text.split("_____")
    assert head.strip() == " ".join(before.split())
    assert tail.strip() == " ".join(after.split())
    assert question.choices[0] == (" ".join(right.split()), True)
