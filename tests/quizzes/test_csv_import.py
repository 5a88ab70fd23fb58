"""The CSV question parser: every kind, the reason for each row it cannot read, and the files it
refuses as a whole (broken quoting, too many rows, no header)."""

from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from quizzes.csv_import import MAX_ROWS, CsvRefused, parse_csv

pytestmark = pytest.mark.django_db

GOOD = (
    "\ufeffkind,question,choices,answer,points,explanation,tolerance\r\n"
    "single,Који потпис важи као својеручни?,Напредни|Квалификовани|Скенирани,2,1,Закон.,\r\n"
    'multiple,"Which are electronic, legally?",Advanced|Qualified|Paper,1|2,2,,\r\n'
    "true_false,A time stamp proves when a document existed.,,true,,,\r\n"
    "short_text,Who wrote the first Serbian grammar?,,Vuk Karadžić|Вук Караџић,,,\r\n"
    'numeric,How many days at most?,,"30,5",,,0.5\r\n'
)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_reads_every_kind():
    result = parse_csv(GOOD)

    assert result.problems == ()
    single, multiple, true_false, short, numeric = result.questions
    assert single.choices == (("Напредни", False), ("Квалификовани", True), ("Скенирани", False))
    assert single.explanation == "Закон."
    assert multiple.text == "Which are electronic, legally?"
    assert [c for _t, c in multiple.choices] == [True, True, False]
    assert multiple.points == Decimal("2.00")
    assert true_false.choices == (("True", True), ("False", False))
    assert short.accepted_answers == ("Vuk Karadžić", "Вук Караџић")
    assert (numeric.numeric_answer, numeric.numeric_tolerance) == (Decimal("30.5"), Decimal("0.5"))
    assert numeric.line == 6


def test_semicolons_separate_columns_when_the_header_uses_them():
    result = parse_csv("kind;question;answer\nshort_text;Главни град?;Београд\n")

    assert result.questions[0].accepted_answers == ("Београд",)


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("essay,Write.,,,,,", "Unknown kind"),
        ("single,,A|B,1,,,", "question text is missing"),
        ("single,Q?,A,1,,,", "at least two choices"),
        ("single,Q?,A|B,3,,,", "numbers (from 1)"),
        ("single,Q?,A|B,1|2,,,", "one correct choice"),
        ("single,Q?,A|B,,,,", "numbers (from 1)"),
        ("true_false,Q?,,maybe,,,", "true or false"),
        ("short_text,Q?,,,,,", "accepted answer"),
        ("numeric,Q?,,,,,", "correct value"),
        ("numeric,Q?,,about three,,,", "not a number"),
        ("numeric,Q?,,NaN,,,", "not a number"),
        ("numeric,Q?,,3,,,-1", "cannot be negative"),
        ("numeric,Q?,,0.1234567,,,", "at most 6 decimal places"),
        ("numeric,Q?,,3,,,0.0000001", "at most 6 decimal places"),
        ("single,Q?,A|B,1,0,,", "more than 0"),
        ("single,Q?,A|B,1,1e309,,", "not a number"),
        ("single,Q?,A|B,1,,,,extra", "more cells"),
    ],
)
def test_a_bad_row_is_reported_and_the_others_still_parse(row, reason):
    text = (
        f"kind,question,choices,answer,points,explanation,tolerance\n{row}\nsingle,Ok?,A|B,1,,,\n"
    )

    result = parse_csv(text)

    [problem] = result.problems
    assert reason in problem.reason
    assert problem.line == 2
    assert [q.text for q in result.questions] == ["Ok?"]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('kind,question\nsingle,"broken quoting\nnumeric,"x"y\n', "not valid CSV"),
        ("question,answer\nQ?,A\n", "name the columns"),
        ("kind,question,colour\nsingle,Q?,red\n", "name the columns"),
        ("kind,question,choices,answer\n" + "single,Q?,A|B,1\n" * 50_000, "import it in parts"),
        ("x" * 1_000_001, "too large"),
    ],
)
def test_a_file_that_cannot_be_read_as_a_whole_is_refused(text, reason):
    with pytest.raises(CsvRefused, match=reason):
        parse_csv(text)


def test_the_row_limit_is_exact():
    body = "single,Q?,A|B,1\n" * MAX_ROWS
    assert len(parse_csv("kind,question,choices,answer\n" + body).questions) == MAX_ROWS


@hypothesis_settings(database=None, max_examples=150)
@given(st.text(max_size=300))
def test_any_text_is_read_or_refused_without_crashing(text):
    try:
        result = parse_csv("kind,question,choices,answer,points\n" + text)
    except CsvRefused:
        return
    for question in result.questions:
        assert question.text and question.points > 0
