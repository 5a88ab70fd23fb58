"""The shared boundary rules (lms/boundary.py) that every view, form and service parses with."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from lms import boundary


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", 1),
        (" 42 ", 42),
        ("9223372036854775807", 2**63 - 1),
        ("9223372036854775808", None),
        ("0", None),
        ("-1", None),
        ("²", None),
        ("٣", None),
        ("1e3", None),
        ("", None),
        (None, None),
        ("1\x00", None),
        ("9" * 40, None),
    ],
)
def test_ids_are_ascii_digits_within_the_key_range(raw, expected):
    assert boundary.parse_id(raw) == expected


@given(st.text(max_size=30))
def test_parse_id_never_raises_and_round_trips(raw):
    parsed = boundary.parse_id(raw)
    if parsed is not None:
        assert str(parsed) == raw.strip().lstrip("0")


@pytest.mark.parametrize("value", ["a\x00b", "\x07", "x\x1by", "tab\there", "\ud800"])
def test_single_line_text_refuses_control_characters(value):
    with pytest.raises(ValidationError):
        boundary.validate_plain_text(value)


def test_multiline_text_keeps_line_breaks_and_tabs_but_not_nul():
    boundary.validate_multiline_text("line one\r\nline\ttwo")
    with pytest.raises(ValidationError):
        boundary.validate_multiline_text("line\x00")


def test_clean_text_strips_and_checks_length():
    assert boundary.clean_text("  Ђорђе  ", max_length=6) == "Ђорђе"
    with pytest.raises(ValidationError, match="at most 3"):
        boundary.clean_text("abcd", max_length=3)


@given(
    st.one_of(
        st.text(max_size=40),
        st.decimals(allow_nan=True, allow_infinity=True).map(str),
        st.floats().map(repr),
    )
)
def test_parsed_numbers_always_fit_the_answer_column(raw):
    """Whatever is typed, the result is a ValidationError or a value DecimalField(18, 6) holds
    and SQLite's float storage returns unchanged."""
    try:
        value = boundary.parse_decimal(raw, max_digits=18, decimal_places=6)
    except ValidationError:
        return
    assert abs(value) <= Decimal("999999999999.999")
    assert value == value.quantize(Decimal("0.000001"))
    assert Decimal(repr(float(value))).quantize(Decimal("0.000001")) == value
