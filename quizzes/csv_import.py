"""Questions from a CSV file: pure parsing, no ORM.

One question a row under a header naming the columns (in any order; ``kind`` and ``question``
are required)::

    kind,question,choices,answer,points,explanation,tolerance
    single,Which signature counts as handwritten?,Advanced|Qualified|Scanned,2,1,
    multiple,Which are electronic?,Advanced|Qualified|Paper,1|2,2,
    true_false,A time stamp proves when a document existed.,,true,,
    short_text,Who wrote the first Serbian grammar?,,Vuk Karadžić|Вук Караџић,,
    numeric,How many days does an open tender last at most?,,30,,,0

``choices`` and ``answer`` hold several values separated by "|": the choices of a choice
question and the number (from 1) of each correct one; the accepted answers of a short-text
question; the value of a numeric one; "true" or "false" for a true-or-false question. Commas
or semicolons separate the columns (the header decides). A row that breaks a rule is reported
with its line and the reason; the others still parse.
"""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .gift import MAX_DECIMAL_PLACES

MAX_ROWS = 500
MAX_CHARACTERS = 1_000_000
MAX_CHOICE_LENGTH = 500
KINDS = ("single", "multiple", "true_false", "short_text", "numeric")
COLUMNS = ("kind", "question", "choices", "answer", "points", "explanation", "tolerance")
TRUE_WORDS = {"true", "t", "yes", "1", "тачно", "tačno", "참"}
FALSE_WORDS = {"false", "f", "no", "0", "нетачно", "netačno", "거짓"}


@dataclass(frozen=True)
class CsvQuestion:
    line: int
    kind: str
    text: str
    choices: tuple[tuple[str, bool], ...] = ()
    points: Decimal = Decimal(1)
    explanation: str = ""
    accepted_answers: tuple[str, ...] = ()
    numeric_answer: Decimal | None = None
    numeric_tolerance: Decimal = Decimal(0)

    def as_fields(self) -> dict:
        """The keyword arguments of ``quizzes.authoring.question_create``."""
        return {
            "kind": self.kind,
            "text": self.text,
            "choices": list(self.choices),
            "points": self.points,
            "explanation": self.explanation,
            "accepted_answers": list(self.accepted_answers),
            "numeric_answer": self.numeric_answer,
            "numeric_tolerance": self.numeric_tolerance,
        }


@dataclass(frozen=True)
class CsvProblem:
    line: int
    text: str
    reason: str


@dataclass(frozen=True)
class CsvResult:
    questions: tuple[CsvQuestion, ...] = ()
    problems: tuple[CsvProblem, ...] = field(default_factory=tuple)


class CsvRefused(ValueError):
    """The file as a whole cannot be previewed; the message says why."""


def _number(raw: str, *, what: str) -> Decimal:
    try:
        value = Decimal(raw.strip().replace(",", "."))
    except InvalidOperation:
        raise ValueError(_("%(what)s is not a number.") % {"what": what}) from None
    if not value.is_finite() or abs(value) >= Decimal(10) ** 12:
        raise ValueError(_("%(what)s is not a number.") % {"what": what})
    return value


def _stored_number(raw: str, *, what: str) -> Decimal:
    """A numeric answer or tolerance, refused when the question could not store it as given."""
    value = _number(raw, what=what)
    if value.normalize().as_tuple().exponent < -MAX_DECIMAL_PLACES:
        raise ValueError(
            _("A numeric answer or tolerance may have at most %(n)d decimal places.")
            % {"n": MAX_DECIMAL_PLACES}
        )
    return value


def _split(raw: str) -> list[str]:
    return [part.strip() for part in raw.split("|") if part.strip()]


def _row(line: int, row: dict[str, str], labels: tuple[str, str]) -> CsvQuestion:
    kind = row.get("kind", "").strip().lower()
    text = row.get("question", "").strip()
    if kind not in KINDS:
        raise ValueError(
            _("Unknown kind “%(kind)s”; use one of: %(kinds)s.")
            % {"kind": kind[:20], "kinds": ", ".join(KINDS)}
        )
    if not text:
        raise ValueError(_("The question text is missing."))
    points = _number(row["points"], what=_("Points")) if row.get("points", "").strip() else 1
    if points <= 0 or points >= 10000:
        raise ValueError(_("Points must be more than 0 and less than 10000."))
    common = {
        "line": line,
        "kind": kind,
        "text": text,
        "points": Decimal(points).quantize(Decimal("0.01")),
        "explanation": row.get("explanation", "").strip(),
    }
    answer = row.get("answer", "").strip()
    if kind == "true_false":
        word = answer.casefold()
        if word not in TRUE_WORDS | FALSE_WORDS:
            raise ValueError(_("The answer of a true-or-false question is true or false."))
        truth = word in TRUE_WORDS
        return CsvQuestion(**common, choices=((labels[0], truth), (labels[1], not truth)))
    if kind in {"single", "multiple"}:
        choices = _split(row.get("choices", ""))
        if len(choices) < 2:
            raise ValueError(_("A question needs at least two choices."))
        if any(len(choice) > MAX_CHOICE_LENGTH for choice in choices):
            raise ValueError(
                _("A choice is longer than %(n)d characters.") % {"n": MAX_CHOICE_LENGTH}
            )
        numbers = set()
        for part in _split(answer):
            if not (part.isascii() and part.isdigit()) or not 1 <= int(part) <= len(choices):
                raise ValueError(
                    _("The answer must give the numbers (from 1) of the correct choices.")
                )
            numbers.add(int(part))
        if not numbers:
            raise ValueError(_("The answer must give the numbers (from 1) of the correct choices."))
        if kind == "single" and len(numbers) > 1:
            raise ValueError(_("A single-choice question has one correct choice."))
        return CsvQuestion(
            **common,
            choices=tuple((text, n in numbers) for n, text in enumerate(choices, start=1)),
        )
    if kind == "short_text":
        accepted = _split(answer)
        if not accepted:
            raise ValueError(_("Give at least one accepted answer."))
        return CsvQuestion(**common, accepted_answers=tuple(accepted))
    if not answer:
        raise ValueError(_("Give the correct value."))
    tolerance_raw = row.get("tolerance", "").strip()
    tolerance = _stored_number(tolerance_raw, what=_("Tolerance")) if tolerance_raw else Decimal(0)
    if tolerance < 0:
        raise ValueError(_("The tolerance cannot be negative."))
    return CsvQuestion(
        **common,
        numeric_answer=_stored_number(answer, what=_("The answer")),
        numeric_tolerance=tolerance,
    )


def true_false_labels() -> tuple[str, str]:
    """The two choices of a true-or-false question, in the active language."""
    return _("True"), _("False")


def parse_csv(text: str, *, labels: tuple[str, str] | None = None) -> CsvResult:
    """The questions in ``text`` and the rows that could not be read. ``labels`` are the
    choice texts of true-or-false questions (the course's language; by default the active
    one). Raises CsvRefused when the file as a whole cannot be read: too large, too many rows,
    broken quoting, or a header without the required columns."""
    labels = labels or true_false_labels()
    if len(text) > MAX_CHARACTERS:
        raise CsvRefused(
            _("The file is too large; import at most %(n)d characters at once.")
            % {"n": MAX_CHARACTERS}
        )
    text = text.lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
        if header is None:
            return CsvResult()
        names = [name.strip().lower() for name in header]
        unknown = [name for name in names if name not in COLUMNS]
        if unknown or "kind" not in names or "question" not in names:
            raise CsvRefused(
                _(
                    "The first row must name the columns: %(columns)s (kind and question are "
                    "required)."
                )
                % {"columns": ", ".join(COLUMNS)}
            )
        questions, problems = [], []
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if len(questions) + len(problems) >= MAX_ROWS:
                raise CsvRefused(
                    _("The file has more than %(n)d questions; import it in parts.")
                    % {"n": MAX_ROWS}
                )
            line = reader.line_num
            values = dict(zip(names, row, strict=False))
            if len(row) > len(names):
                problems.append(
                    CsvProblem(line, row[0][:80], _("The row has more cells than the header."))
                )
                continue
            try:
                questions.append(_row(line, values, labels))
            except ValueError as error:
                problems.append(CsvProblem(line, values.get("question", "")[:80], str(error)))
    except csv.Error:
        raise CsvRefused(
            _("The file is not valid CSV near line %(line)d: check its quotation marks.")
            % {"line": reader.line_num}
        ) from None
    return CsvResult(questions=tuple(questions), problems=tuple(problems))
