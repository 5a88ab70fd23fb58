"""Moodle GIFT, the plain-text question format: pure parsing, no ORM.

    // a comment
    ::Signatures:: Which signature counts as handwritten? {
      ~An advanced one
      =A qualified one#The law says so.
      ~A scanned one
    }
    A time stamp proves when a document existed. {TRUE}
    Who wrote the first Serbian grammar? {=Vuk Karadžić =Вук Караџић}
    How many days does an open tender last at most? {#30:2}
    How many members may the committee have? {#3..7}
    Which are electronic? {~%50%Advanced ~%50%Qualified ~%-100%Paper}
    Moodle costs {~lots of money =nothing ~a small amount} to download.

Questions are separated by blank lines. Supported: single and multiple choice (``=`` marks
the right choice; ``~%n%`` with a positive weight marks one of several right choices), true or
false (``{T}``, ``{TRUE}``, ``{F}``, ``{FALSE}``), short answer (only ``=`` answers) and numeric
(``{#value}``, ``{#value:tolerance}``, the range ``{#min..max}`` as its middle value with half
its width as the tolerance, and ``{#=value:tolerance =%50%value:tolerance}``, of which the
first full-credit answer is kept, with a note saying so, since a question has one value).
Missing-word questions (text after the answer braces) keep the kind of their answers (choice,
short answer or numeric) and show the gap as ``_____`` in the text. ``::title::`` is dropped,
``#feedback`` after an answer becomes the question's explanation when it is the right
answer's, ``$CATEGORY`` lines and ``//`` comments are skipped, and ``\\~ \\= \\# \\{ \\} \\:``
are literal characters. Matching and essay questions have no kind in the quizzes and are
reported, as is any block that breaks a rule, with its first line number and the reason.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

MAX_QUESTIONS = 500
MAX_CHARACTERS = 1_000_000
MAX_CHOICE_LENGTH = 500
# The decimal places a numeric answer or tolerance is stored with (quizzes.models.Question).
MAX_DECIMAL_PLACES = 6
# What a missing-word question shows where its answer goes.
BLANK = "_____"
_ESCAPES = {
    "\\~": "\x01",
    "\\=": "\x02",
    "\\#": "\x03",
    "\\{": "\x04",
    "\\}": "\x05",
    "\\:": "\x06",
}
_UNESCAPE = {"\x01": "~", "\x02": "=", "\x03": "#", "\x04": "{", "\x05": "}", "\x06": ":"}
_TITLE = re.compile(r"^\s*::.*?::", re.DOTALL)
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")


class GiftProblemError(ValueError):
    pass


@dataclass(frozen=True)
class GiftQuestion:
    line: int
    kind: str
    text: str
    choices: tuple[tuple[str, bool], ...] = ()
    accepted_answers: tuple[str, ...] = ()
    numeric_answer: Decimal | None = None
    numeric_tolerance: Decimal = Decimal(0)
    explanation: str = ""
    # Shown in the import preview: what the import changed on the way (not saved).
    note: str = ""

    def as_fields(self) -> dict:
        """The keyword arguments of ``quizzes.authoring.question_create``."""
        return {
            "kind": self.kind,
            "text": self.text,
            "choices": list(self.choices),
            "accepted_answers": list(self.accepted_answers),
            "numeric_answer": self.numeric_answer,
            "numeric_tolerance": self.numeric_tolerance,
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class GiftProblem:
    line: int
    text: str
    reason: str


@dataclass(frozen=True)
class GiftResult:
    questions: tuple[GiftQuestion, ...]
    problems: tuple[GiftProblem, ...]


def _plain(text: str) -> str:
    for code, char in _UNESCAPE.items():
        text = text.replace(code, char)
    return " ".join(text.split())


def _blocks(text: str):
    block, start = [], 0
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if stripped.startswith("//") or stripped.startswith("$CATEGORY"):
            continue
        if not stripped:
            if block:
                yield start, "\n".join(block)
                block = []
            continue
        if not block:
            start = number
        block.append(raw)
    if block:
        yield start, "\n".join(block)


def _split_answers(body: str) -> list[tuple[str, str]]:
    """(marker, text) for each answer: "=" or "~" followed by its text."""
    parts = re.split(r"([=~])", body)
    if parts[0].strip():
        raise GiftProblemError(_("Each answer must start with = or ~."))
    return [(parts[i], parts[i + 1]) for i in range(1, len(parts) - 1, 2)]


def _feedback(text: str) -> tuple[str, str]:
    answer, _sep, feedback = text.partition("#")
    return _plain(answer), _plain(feedback)


def _number(raw: str) -> Decimal:
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        raise GiftProblemError(_("The numeric answer is not a number.")) from None
    if not value.is_finite() or abs(value) >= Decimal(10) ** 12:
        raise GiftProblemError(_("The numeric answer is not a number."))
    return value


def _stored(value: Decimal) -> Decimal:
    """``value`` as a question stores it, or a problem when it has too many decimal places."""
    if value.normalize().as_tuple().exponent < -MAX_DECIMAL_PLACES:
        raise GiftProblemError(
            _("A numeric answer or tolerance may have at most %(n)d decimal places.")
            % {"n": MAX_DECIMAL_PLACES}
        )
    return value


def _numeric_answer(spec: str) -> tuple[Decimal, Decimal, str]:
    """(value, tolerance, feedback) of one numeric answer: ``value``, ``value:tolerance`` or
    ``min..max`` (the middle of the range, give or take half its width)."""
    spec, feedback = _feedback(spec)
    if ".." in spec:
        low, _sep, high = spec.partition("..")
        low, high = _number(low), _number(high)
        if low > high:
            raise GiftProblemError(_("The range's lower end is above its upper end."))
        value, tolerance = (low + high) / 2, (high - low) / 2
    else:
        value, _sep, tolerance_raw = spec.partition(":")
        value = _number(value)
        tolerance = _number(tolerance_raw) if tolerance_raw.strip() else Decimal(0)
    if tolerance < 0:
        raise GiftProblemError(_("The tolerance cannot be negative."))
    return _stored(value), _stored(tolerance), feedback


def _numeric(common: dict, body: str) -> GiftQuestion:
    """A numeric question from the answers after ``#``: one answer, or several ``=`` answers
    of which the first with full credit is kept (a question has one value)."""
    body = body.strip()
    if not body.startswith(("=", "~")):
        value, tolerance, feedback = _numeric_answer(body)
        return GiftQuestion(
            **common,
            kind="numeric",
            numeric_answer=value,
            numeric_tolerance=tolerance,
            explanation=feedback,
        )
    answers = _split_answers(body)
    if any(marker != "=" for marker, _text in answers):
        raise GiftProblemError(_("Each numeric answer must start with =."))
    chosen = None
    for _marker, raw in answers:
        raw = raw.strip()
        weight = _WEIGHT.match(raw)
        if weight:
            raw = raw[weight.end() :]
        answer = _numeric_answer(raw)  # every answer must be readable, not only the kept one
        if chosen is None and (weight is None or Decimal(weight.group(1)) == 100):
            chosen = answer
    if chosen is None:
        raise GiftProblemError(
            _("No numeric answer gives full credit; a question here has one right value.")
        )
    value, tolerance, feedback = chosen
    note = ""
    if len(answers) > 1:
        note = _(
            "%(n)d answers were given; only the first full-credit one, %(value)s ± "
            "%(tolerance)s, is imported."
        ) % {
            "n": len(answers),
            "value": format(value.normalize(), "f"),
            "tolerance": format(tolerance.normalize(), "f"),
        }
    return GiftQuestion(
        **common,
        kind="numeric",
        numeric_answer=value,
        numeric_tolerance=tolerance,
        explanation=feedback,
        note=note,
    )


def _parse_block(start: int, block: str, labels: tuple[str, str]) -> GiftQuestion:
    for escape, code in _ESCAPES.items():
        block = block.replace(escape, code)
    block = _TITLE.sub("", block, count=1)
    if block.count("{") != 1 or block.count("}") != 1 or block.index("{") > block.index("}"):
        raise GiftProblemError(
            _("A question needs exactly one pair of braces holding its answers.")
        )
    before, rest = block.split("{", 1)
    body, after = rest.split("}", 1)
    # Text after the braces makes a missing-word question: the answers fill the gap.
    text = _plain(f"{before}{BLANK}{after}") if _plain(after) else _plain(before)
    if not _plain(before) and not _plain(after):
        raise GiftProblemError(_("The question text is missing."))
    body = body.strip()
    common = {"line": start, "text": text}
    if body.upper() in {"T", "TRUE", "F", "FALSE"}:
        if _plain(after):
            raise GiftProblemError(_("A true-or-false question cannot have a gap in its text."))
        truth = body.upper().startswith("T")
        return GiftQuestion(
            **common, kind="true_false", choices=((labels[0], truth), (labels[1], not truth))
        )
    if body.startswith("#"):
        return _numeric(common, body[1:])
    if not body:
        raise GiftProblemError(
            _("Essay questions (no answers) are not imported: quizzes have no essay kind.")
        )
    if "->" in body:
        raise GiftProblemError(
            _("Matching questions are not imported: quizzes have no matching kind.")
        )
    answers = _split_answers(body)
    if all(marker == "=" for marker, _text in answers):
        accepted = [_feedback(text)[0] for _marker, text in answers]
        if any(not answer for answer in accepted):
            raise GiftProblemError(_("An answer is empty."))
        return GiftQuestion(**common, kind="short_text", accepted_answers=tuple(accepted))
    choices, explanation, weighted = [], "", False
    for marker, raw in answers:
        raw = raw.strip()
        weight = _WEIGHT.match(raw)
        if weight:
            weighted = True
            raw = raw[weight.end() :]
        choice, feedback = _feedback(raw)
        if not choice:
            raise GiftProblemError(_("An answer is empty."))
        if len(choice) > MAX_CHOICE_LENGTH:
            raise GiftProblemError(
                _("A choice is longer than %(n)d characters.") % {"n": MAX_CHOICE_LENGTH}
            )
        correct = marker == "=" or (weight is not None and Decimal(weight.group(1)) > 0)
        if correct and feedback and not explanation:
            explanation = feedback
        choices.append((choice, correct))
    right = sum(1 for _choice, correct in choices if correct)
    if len(choices) < 2:
        raise GiftProblemError(_("A question needs at least two choices."))
    if right == 0:
        raise GiftProblemError(_("Mark at least one choice as correct."))
    kind = "multiple" if right > 1 or weighted else "single"
    return GiftQuestion(**common, kind=kind, choices=tuple(choices), explanation=explanation)


def parse_gift(text: str, *, labels: tuple[str, str] | None = None) -> GiftResult:
    """The questions in ``text`` and the blocks that could not be read, in file order.
    ``labels`` are the choice texts of true-or-false questions (the course's language; by
    default the active one). Raises ValueError for input too large to preview."""
    labels = labels or (_("True"), _("False"))
    if len(text) > MAX_CHARACTERS:
        raise ValueError(
            _("The file is too large; import at most %(n)d characters at once.")
            % {"n": MAX_CHARACTERS}
        )
    questions, problems = [], []
    for start, block in _blocks(text.replace("\ufeff", "")):
        try:
            questions.append(_parse_block(start, block, labels))
        except GiftProblemError as error:
            problems.append(GiftProblem(start, _plain(block.splitlines()[0])[:200], str(error)))
        if len(questions) + len(problems) > MAX_QUESTIONS:
            raise ValueError(
                _("The file has more than %(n)d questions; import it in parts.")
                % {"n": MAX_QUESTIONS}
            )
    return GiftResult(questions=tuple(questions), problems=tuple(problems))
