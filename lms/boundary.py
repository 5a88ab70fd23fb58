"""Validation at the boundary: the one place where raw request values become ids, numbers and
text the database can hold. Views, forms and services of every app parse input through these
functions, so a hostile value gets a clear message (or a 404) instead of a server error.

Nothing here touches the database or imports an app; the rules only need the column's shape.
"""

import unicodedata
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The largest value a BigAutoField (and every integer primary key here) can hold.
MAX_ID = 2**63 - 1
_MAX_ID_DIGITS = len(str(MAX_ID))

# Line breaks and tabs are allowed in multi-line text; every other control character
# (Unicode category Cc, NUL included) is refused, as are unpaired surrogates (Cs) that
# PostgreSQL cannot store.
_MULTILINE_ALLOWED = frozenset("\n\r\t")


def parse_id(raw: object) -> int | None:
    """An id typed or posted by a person: ASCII digits only, within the primary-key range.

    ``str.isdigit`` accepts "²" and "٣", which ``int`` then rejects or reads as another number;
    this accepts only 0-9. Returns None for anything else, for the caller to turn into a 404
    or a message."""
    if not isinstance(raw, str):
        return None
    value = raw.strip()
    if not value or len(value) > _MAX_ID_DIGITS or not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    if number < 1 or number > MAX_ID:
        return None
    return number


def text_problem(value: str, *, max_length: int | None = None, multiline: bool = False) -> str:
    """What is wrong with ``value`` as stored text, or "" when nothing is."""
    allowed = _MULTILINE_ALLOWED if multiline else frozenset()
    for char in value:
        if char in allowed:
            continue
        if unicodedata.category(char) in ("Cc", "Cs"):
            return _("Remove control characters (such as NUL) from the text.")
    if max_length is not None and len(value) > max_length:
        return _("Enter at most %(n)d characters (you entered %(count)d).") % {
            "n": max_length,
            "count": len(value),
        }
    return ""


def clean_text(value: str, *, max_length: int | None = None, multiline: bool = False) -> str:
    """``value`` stripped, or ValidationError when it holds control characters or is too long."""
    value = value.strip()
    problem = text_problem(value, max_length=max_length, multiline=multiline)
    if problem:
        raise ValidationError(problem, code="invalid_text")
    return value


def validate_plain_text(value: str) -> None:
    """Form-field validator for single-line text (names, search terms)."""
    problem = text_problem(value)
    if problem:
        raise ValidationError(problem, code="invalid_text")


def validate_multiline_text(value: str) -> None:
    """Form-field validator for text that may hold line breaks."""
    problem = text_problem(value, multiline=True)
    if problem:
        raise ValidationError(problem, code="invalid_text")


# SQLite keeps a decimal column as an 8-byte float, which holds 15 significant digits exactly;
# a longer number would come back as another value (999999999999.999999 reads as 10**12, which
# then no longer fits the column). PostgreSQL keeps more, but one rule holds for both.
SAFE_SIGNIFICANT_DIGITS = 15


def decimal_limit(*, max_digits: int, decimal_places: int) -> Decimal:
    """The largest magnitude ``parse_decimal`` accepts for a DecimalField(max_digits,
    decimal_places) column: within the column, and exact on every supported database."""
    digits = min(max_digits, SAFE_SIGNIFICANT_DIGITS)
    whole = max_digits - decimal_places
    if whole >= digits:
        return (Decimal(10) ** digits - 1).scaleb(whole - digits)
    return Decimal(10) ** whole - Decimal(1).scaleb(-min(decimal_places, digits - whole))


def parse_decimal(raw: str, *, max_digits: int, decimal_places: int) -> Decimal:
    """A number as people type it ("3,5", "1 000", "-2.25"), rounded to the column's decimal
    places (and to 15 significant digits) and within its range, or ValidationError with a
    message for the field.

    The range is checked after rounding: "999999999999.9999999" rounds up to 10**12, which a
    DecimalField(18, 6) cannot hold (an overflow on PostgreSQL, an unreadable row on SQLite)."""
    cleaned = raw.strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
    limit = decimal_limit(max_digits=max_digits, decimal_places=decimal_places)
    # Far more characters than any column holds are refused before Decimal works on them.
    if not cleaned or len(cleaned) > 100 or not cleaned.isascii():
        raise _not_a_number()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise _not_a_number() from None
    if not value.is_finite():
        raise _not_a_number()
    if value.adjusted() >= max_digits - decimal_places:
        raise _out_of_range(limit)
    value = value.quantize(Decimal(1).scaleb(-decimal_places), rounding=ROUND_HALF_EVEN)
    excess = len(value.as_tuple().digits) - SAFE_SIGNIFICANT_DIGITS
    if value and excess > 0:
        # Keep the 15 leading digits, then show the column's decimal places again.
        value = value.quantize(Decimal(1).scaleb(excess - decimal_places), rounding=ROUND_HALF_EVEN)
        value = value.quantize(Decimal(1).scaleb(-decimal_places))
    if abs(value) > limit:
        raise _out_of_range(limit)
    return value


# The messages are translated when an error is raised, not for every number that parses (a
# submitted quiz paper parses a number per numeric question).
def _not_a_number() -> ValidationError:
    return ValidationError(_("Enter a number, such as 12 or 3.5."), code="number")


def _out_of_range(limit: Decimal) -> ValidationError:
    return ValidationError(
        _("Enter a number between %(low)s and %(high)s.") % {"low": -limit, "high": limit},
        code="number_range",
    )


def parse_decimal_for(field, raw: str) -> Decimal:
    """``parse_decimal`` with the shape of a model's DecimalField."""
    return parse_decimal(raw, max_digits=field.max_digits, decimal_places=field.decimal_places)
