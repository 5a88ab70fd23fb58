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
        ("Match these. {=a -> 1 =b -> 2}", "Matching"),
        ("Write an essay. {}", "Essay"),
        ("The sky is {=blue ~green} today.", "Missing-word"),
        ("No braces at all", "one pair of braces"),
        ("Two {=a} pairs {=b}", "one pair of braces"),
        ("{=a ~b}", "question text is missing"),
        ("Only one? {=a}", None),
        ("Choose. {~a ~b}", "at least one choice as correct"),
        ("Choose. {=a}", None),
        ("Choose. {~a =}", "empty"),
        ("How many? {#lots}", "not a number"),
        ("How many? {#1..3}", "ranges"),
        ("How many? {#3:-1}", "cannot be negative"),
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
