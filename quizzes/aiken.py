"""Aiken, the plain-text question format Moodle reads: pure parsing, no ORM.

    Which signature does the law treat like a handwritten one?
    A. An advanced electronic signature
    B. A qualified electronic signature
    C. A scanned signature
    ANSWER: B

Questions are separated by blank lines. The question may run over several lines before the first
choice; choices are a capital letter, "." or ")", a space and the text, in alphabetical order;
the block ends with ``ANSWER:`` and the letter of the one correct choice. Each question becomes a
single-choice question. A block that breaks a rule is reported with its first line number and
the reason, and the others still parse, so a preview can list both.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_QUESTIONS = 500
MAX_CHARACTERS = 1_000_000
MAX_CHOICE_LENGTH = 500  # Choice.text
_CHOICE = re.compile(r"^([A-Z])[.)]\s+(.+)$")
_ANSWER = re.compile(r"^ANSWER:\s*(\S*)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class AikenQuestion:
    line: int
    text: str
    choices: tuple[tuple[str, bool], ...]

    def as_fields(self) -> dict:
        """The keyword arguments of ``quizzes.authoring.question_create``."""
        return {"kind": "single", "text": self.text, "choices": list(self.choices)}


@dataclass(frozen=True)
class AikenProblem:
    line: int
    text: str
    reason: str


@dataclass(frozen=True)
class AikenResult:
    questions: tuple[AikenQuestion, ...]
    problems: tuple[AikenProblem, ...]


def _blocks(text: str):
    block, start = [], 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            if block:
                yield start, block
                block = []
            continue
        if not block:
            start = number
        block.append(line)
    if block:
        yield start, block


def _parse_block(start: int, lines: list[str]) -> AikenQuestion | AikenProblem:
    first = lines[0][:200]
    question_lines, choices, answer = [], [], None
    for offset, line in enumerate(lines):
        if answer is not None:
            return AikenProblem(
                start, first, _("Text after the ANSWER line (line %(n)d).") % {"n": start + offset}
            )
        answer_match = _ANSWER.match(line)
        if answer_match:
            answer = answer_match.group(1).upper()
            continue
        choice_match = _CHOICE.match(line)
        if choice_match:
            choices.append((choice_match.group(1), choice_match.group(2).strip()))
        elif choices:
            return AikenProblem(
                start,
                first,
                _("Line %(n)d is neither a choice nor the ANSWER line.") % {"n": start + offset},
            )
        else:
            question_lines.append(line)
    if not question_lines:
        return AikenProblem(start, first, _("The question text is missing."))
    if answer is None:
        return AikenProblem(start, first, _("The ANSWER: line is missing."))
    if len(choices) < 2:
        return AikenProblem(start, first, _("A question needs at least two choices."))
    letters = [letter for letter, _text in choices]
    if letters != [chr(ord("A") + i) for i in range(len(letters))]:
        return AikenProblem(start, first, _("The choices must be lettered A, B, C … in order."))
    if any(len(text) > MAX_CHOICE_LENGTH for _letter, text in choices):
        return AikenProblem(
            start, first, _("A choice is longer than %(n)d characters.") % {"n": MAX_CHOICE_LENGTH}
        )
    if answer not in letters:
        return AikenProblem(
            start,
            first,
            _("The answer “%(answer)s” is not one of the choices.") % {"answer": answer[:5]},
        )
    return AikenQuestion(
        line=start,
        text=" ".join(question_lines),
        choices=tuple((text, letter == answer) for letter, text in choices),
    )


def parse_aiken(text: str) -> AikenResult:
    """The questions in ``text`` and the blocks that could not be read, in file order. Raises
    ValueError for input too large to preview."""
    if len(text) > MAX_CHARACTERS:
        raise ValueError(
            _("The file is too large; import at most %(n)d characters at once.")
            % {"n": MAX_CHARACTERS}
        )
    questions, problems = [], []
    for start, lines in _blocks(text.replace("\ufeff", "")):
        parsed = _parse_block(start, lines)
        (questions if isinstance(parsed, AikenQuestion) else problems).append(parsed)
        if len(questions) + len(problems) > MAX_QUESTIONS:
            raise ValueError(
                _("The file has more than %(n)d questions; import it in parts.")
                % {"n": MAX_QUESTIONS}
            )
    return AikenResult(questions=tuple(questions), problems=tuple(problems))
