"""The grader: plain data in, scores out. No database, so it can be tested and timed alone."""

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

SINGLE = "single"
MULTIPLE = "multiple"
TRUE_FALSE = "true_false"
SHORT_TEXT = "short_text"
NUMERIC = "numeric"
PROPORTIONAL = "proportional"

CENT = Decimal("0.01")

# Serbian Cyrillic to its official Latin spelling, diacritics kept: "ђ" is "đ", not "dj".
_SERBIAN_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "đ", "е": "e", "ж": "ž",
    "з": "z", "и": "i", "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n",
    "њ": "nj", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "ћ": "ć", "у": "u",
    "ф": "f", "х": "h", "ц": "c", "ч": "č", "џ": "dž", "ш": "š",
}  # fmt: skip


def answer_form(text: str) -> str:
    """Compare short answers ignoring case, spacing and Serbian script: "Ђорђе  Вајферт" and
    "đorđe vajfert" are the same answer; "sal" and "šal" are not."""
    folded = unicodedata.normalize("NFC", text).casefold()
    latin = "".join(_SERBIAN_LATIN.get(char, char) for char in folded)
    # Compose again: a Cyrillic letter with a separate accent became a Latin letter with one.
    return " ".join(unicodedata.normalize("NFC", latin).split())


@dataclass(frozen=True)
class QuestionKey:
    """What the grader needs to know about one question."""

    id: int
    kind: str
    points: Decimal
    correct_choice_ids: frozenset[int] = frozenset()
    choice_ids: frozenset[int] = frozenset()
    partial_credit: str = "all"
    accepted_answers: tuple[str, ...] = ()
    numeric_answer: Decimal | None = None
    numeric_tolerance: Decimal = Decimal(0)

    @cached_property
    def accepted_forms(self) -> frozenset[str]:
        """The accepted answers as ``answer_form`` gives them, folded once for this key (the
        keys are kept per process, so not again for every paper graded with them)."""
        return frozenset(answer_form(a) for a in self.accepted_answers)


_CHOICE_KINDS = frozenset({SINGLE, MULTIPLE, TRUE_FALSE})


@dataclass(frozen=True)
class Response:
    """A learner's answer to one question; an unanswered question is an empty Response."""

    choice_ids: frozenset[int] = frozenset()
    text: str = ""
    number: Decimal | None = None


@dataclass(frozen=True)
class QuestionResult:
    question_id: int
    points: Decimal
    correct: bool


@dataclass(frozen=True)
class Result:
    score: Decimal
    max_score: Decimal
    percent: Decimal
    passed: bool
    questions: dict[int, QuestionResult] = field(default_factory=dict)


def _choice_points(key: QuestionKey, chosen: frozenset[int]) -> tuple[Decimal, bool]:
    chosen = chosen & key.choice_ids  # ids that are not this question's choices count for nothing
    exact = chosen == key.correct_choice_ids and bool(chosen)
    if key.kind != MULTIPLE or key.partial_credit != PROPORTIONAL or not key.correct_choice_ids:
        return (key.points if exact else Decimal(0)), exact
    hits = len(chosen & key.correct_choice_ids)
    wrong = len(chosen - key.correct_choice_ids)
    share = Decimal(max(0, hits - wrong)) / Decimal(len(key.correct_choice_ids))
    return (key.points * share).quantize(CENT, rounding=ROUND_HALF_UP), exact


def grade_question(key: QuestionKey, response: Response) -> QuestionResult:
    if key.kind in _CHOICE_KINDS:
        points, correct = _choice_points(key, response.choice_ids)
    elif key.kind == SHORT_TEXT:
        given = answer_form(response.text)
        correct = bool(given) and given in key.accepted_forms
        points = key.points if correct else Decimal(0)
    elif key.kind == NUMERIC:
        correct = (
            response.number is not None
            and key.numeric_answer is not None
            and abs(response.number - key.numeric_answer) <= key.numeric_tolerance
        )
        points = key.points if correct else Decimal(0)
    else:
        raise ValueError(f"Unknown question kind {key.kind!r}")
    return QuestionResult(question_id=key.id, points=points, correct=correct)


def grade(
    keys: Sequence[QuestionKey], responses: Mapping[int, Response], *, pass_mark: int
) -> Result:
    """Score every drawn question; a question with no response scores zero."""
    empty = Response()
    results = {key.id: grade_question(key, responses.get(key.id, empty)) for key in keys}
    score = sum((r.points for r in results.values()), Decimal(0))
    max_score = sum((key.points for key in keys), Decimal(0))
    percent, passed = outcome(score, max_score, pass_mark=pass_mark)
    return Result(
        score=score.quantize(CENT),
        max_score=max_score.quantize(CENT),
        percent=percent,
        passed=passed,
        questions=results,
    )


def outcome(score: Decimal, max_score: Decimal, *, pass_mark: int) -> tuple[Decimal, bool]:
    """The percent and the pass decision for a score: one rule for computed grades and a
    trainer's override. Decided on the exact score, not the rounded percent: 69.997 % does not
    pass at 70."""
    percent = (
        (score * 100 / max_score).quantize(CENT, rounding=ROUND_HALF_UP)
        if max_score
        else Decimal(0)
    )
    return percent, bool(max_score) and score * 100 >= pass_mark * max_score
