"""The Aiken parser: what it reads, and the reason it gives for each block it cannot."""

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from quizzes.aiken import MAX_QUESTIONS, parse_aiken


@pytest.fixture(autouse=True)
def _english():
    # The reasons are checked in English whatever language an earlier test left active.
    with translation.override("en"):
        yield


GOOD = """\ufeffКоји потпис закон изједначава са својеручним?
A. Напредни електронски потпис
B) Квалификовани електронски потпис
C. Скенирани потпис
ANSWER: B

What does a time stamp prove?
It is a two-line question.
A. When a document existed
B. Who wrote it
ANSWER: a
"""


def test_reads_questions_choices_and_the_answer():
    result = parse_aiken(GOOD)

    assert result.problems == ()
    first, second = result.questions
    assert first.text == "Који потпис закон изједначава са својеручним?"
    assert first.choices == (
        ("Напредни електронски потпис", False),
        ("Квалификовани електронски потпис", True),
        ("Скенирани потпис", False),
    )
    assert second.line == 7
    assert second.text == "What does a time stamp prove? It is a two-line question."
    assert [correct for _text, correct in second.choices] == [True, False]


@pytest.mark.parametrize(
    ("block", "reason"),
    [
        ("Question?\nA. One\nB. Two", "ANSWER: line is missing"),
        ("Question?\nA. One\nANSWER: A", "at least two choices"),
        ("Question?\nA. One\nB. Two\nANSWER: D", "not one of the choices"),
        ("Question?\nA. One\nC. Two\nANSWER: A", "lettered A, B, C"),
        ("A. One\nB. Two\nANSWER: A", "question text is missing"),
        ("Question?\nA. One\nstray line\nB. Two\nANSWER: A", "neither a choice"),
        ("Question?\nA. One\nB. Two\nANSWER: A\nmore", "after the ANSWER line"),
        ("Question?\nA. " + "x" * 501 + "\nB. Two\nANSWER: A", "longer than 500"),
    ],
)
def test_a_broken_block_is_reported_and_the_rest_still_parse(block, reason):
    result = parse_aiken(f"{block}\n\nGood?\nA. Yes\nB. No\nANSWER: A\n")

    [problem] = result.problems
    assert reason in problem.reason
    assert problem.line == 1
    assert [q.text for q in result.questions] == ["Good?"]


def test_too_many_questions_is_refused_before_anything_is_built():
    block = "Q?\nA. a\nB. b\nANSWER: A\n\n"
    with pytest.raises(ValueError, match="import it in parts"):
        parse_aiken(block * (MAX_QUESTIONS + 1))


def test_an_empty_file_has_nothing_to_import():
    assert parse_aiken("") == parse_aiken("\n\n  \n")
    assert parse_aiken("").questions == ()


@hypothesis_settings(database=None, max_examples=200)
@given(st.text(max_size=400))
def test_any_text_parses_into_questions_or_problems_without_crashing(text):
    result = parse_aiken(text)

    for question in result.questions:
        assert len(question.choices) >= 2
        assert sum(correct for _t, correct in question.choices) == 1
