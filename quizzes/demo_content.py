"""The quizzes ``manage.py seed_demo`` adds to the demo courses: a knowledge check in a module
and a final exam for "E-government services for citizens", between them using every kind of
question, each question written to the lessons of ``courses/demo_content.py``.

Plain data only; ``demo/management/commands/seed_demo.py`` decides how it is written. A quiz
is found again by its course and title, a module by its position (counted from 1) in the course,
and a question or choice by its position in its list.
"""

from dataclasses import dataclass
from decimal import Decimal

from courses.demo_content import E_GOVERNMENT

from .models import GradingPolicy, PartialCredit, QuestionKind, ReviewPolicy


@dataclass(frozen=True)
class DemoChoice:
    text: str
    correct: bool = False


@dataclass(frozen=True)
class DemoQuestion:
    kind: QuestionKind
    text: str
    explanation: str
    points: Decimal = Decimal(1)
    # Single, multiple and true-or-false questions.
    choices: tuple[DemoChoice, ...] = ()
    partial_credit: PartialCredit = PartialCredit.ALL_OR_NOTHING
    # Short-text questions; the grader ignores case, spacing and Serbian script.
    accepted_answers: tuple[str, ...] = ()
    # Numeric questions.
    numeric_answer: Decimal | None = None
    numeric_tolerance: Decimal = Decimal(0)


@dataclass(frozen=True)
class DemoQuiz:
    course_slug: str
    title: str
    instructions: str
    questions: tuple[DemoQuestion, ...]
    # The module the knowledge check follows, by position; None makes it the final exam.
    module_position: int | None = None
    position: int = 1
    pass_mark: int = 70
    attempt_limit: int | None = None
    time_limit_minutes: int | None = None
    questions_per_attempt: int | None = None
    shuffle_questions: bool = False
    shuffle_choices: bool = True
    grading_policy: GradingPolicy = GradingPolicy.HIGHEST
    review_policy: ReviewPolicy = ReviewPolicy.RESPONSES
    required_for_completion: bool = True


def true_or_false(
    statement: str, *, true: bool, explanation: str, points: Decimal = Decimal(1)
) -> DemoQuestion:
    """A true-or-false question; its two choices always read "True", then "False"."""
    return DemoQuestion(
        kind=QuestionKind.TRUE_FALSE,
        text=statement,
        explanation=explanation,
        points=points,
        choices=(DemoChoice("True", correct=true), DemoChoice("False", correct=not true)),
    )


# --- E-government services for citizens --------------------------------------------------------

E_GOVERNMENT_FOUNDATIONS_CHECK = DemoQuiz(
    course_slug=E_GOVERNMENT.slug,
    module_position=1,
    title="Knowledge check: foundations of digital public services",
    instructions=(
        "Six short questions on the lessons of this module: service maturity, the once-only "
        "principle and accessible services. Take it as often as you like; after each attempt "
        "you see the correct answers and why they are correct."
    ),
    pass_mark=60,
    attempt_limit=None,
    time_limit_minutes=None,
    shuffle_questions=False,
    shuffle_choices=True,
    review_policy=ReviewPolicy.FULL,
    required_for_completion=True,
    questions=(
        DemoQuestion(
            kind=QuestionKind.SINGLE,
            text=(
                "A municipality publishes its application for a parking permit as a PDF. "
                "Citizens download it, fill it in by hand and bring it to the counter. At which "
                "level of maturity is this service?"
            ),
            explanation=(
                "Downloading a form is the one-way level, the second one. The service "
                "reaches the two-way level only when the form itself can be submitted "
                "electronically, and the transaction level when the fee and the decision are "
                "handled online too."
            ),
            choices=(
                DemoChoice("Information"),
                DemoChoice("One-way", correct=True),
                DemoChoice("Two-way"),
                DemoChoice("Transaction"),
            ),
        ),
        DemoQuestion(
            kind=QuestionKind.SINGLE,
            text=(
                "A citizen applies for a residence permit for a family member. Under the "
                "once-only principle, which of these documents may you still ask the applicant "
                "to provide?"
            ),
            explanation=(
                "Births, citizenship and addresses are recorded in official registers, so the "
                "authority obtains them ex officio through the electronic data exchange. A "
                "document issued abroad is held by no domestic register, so only the applicant "
                "can provide it."
            ),
            choices=(
                DemoChoice("An extract from the register of births"),
                DemoChoice("A certificate of citizenship"),
                DemoChoice("A certificate of residence"),
                DemoChoice("A marriage certificate issued abroad", correct=True),
            ),
        ),
        true_or_false(
            "An authority obtains ex officio the data held in official records, unless the "
            "party states that it will provide them itself.",
            true=True,
            explanation=(
                "True. This is how the Law on General Administrative Procedure puts the "
                "once-only principle: the duty lies with the authority, and the applicant may "
                "choose to bring the document instead."
            ),
        ),
        DemoQuestion(
            kind=QuestionKind.SHORT_TEXT,
            text=(
                "What is the name of the electronic exchange of data between official registers "
                "that authorities in Serbia use to obtain data ex officio?"
            ),
            explanation=(
                "eZUP (еЗУП), named after the Law on General Administrative Procedure (ZUP), "
                "connects the registers so that a civil servant can request a citizen's data "
                "instead of asking the citizen for a certificate."
            ),
            accepted_answers=("eZUP", "e-ZUP", "еЗУП", "е-ЗУП"),
        ),
        DemoQuestion(
            kind=QuestionKind.MULTIPLE,
            text=(
                "Which of these does meeting WCAG at level AA require of a public sector "
                "website? Select all that apply."
            ),
            explanation=(
                "Visible labels, keyboard operation and text that can be enlarged are all part "
                "of level AA. Scanned documents are the opposite of accessible: a screen reader "
                "cannot read them. And no guideline asks for a single script; services should "
                "accept names typed in Cyrillic or Latin alike. Each wrong choice cancels a "
                "right one."
            ),
            points=Decimal(2),
            partial_credit=PartialCredit.PROPORTIONAL,
            choices=(
                DemoChoice("Every form field has a visible label", correct=True),
                DemoChoice("Every function works with the keyboard alone", correct=True),
                DemoChoice("Text can be enlarged to 200% without loss", correct=True),
                DemoChoice("Documents are published as scanned images of the signed original"),
                DemoChoice("Forms accept names in one script only, so that search works"),
            ),
        ),
        DemoQuestion(
            kind=QuestionKind.NUMERIC,
            text=(
                "About one person in how many lives with a disability? Enter a whole number: "
                "for one in ten, enter 10."
            ),
            explanation=(
                "About one person in six (an answer of 5 to 7 counts). A service that these "
                "citizens cannot use is not finished, which is why accessibility is part of "
                "the design from the start."
            ),
            numeric_answer=Decimal(6),
            numeric_tolerance=Decimal(1),
        ),
    ),
)

E_GOVERNMENT_FINAL_EXAM = DemoQuiz(
    course_slug=E_GOVERNMENT.slug,
    module_position=None,
    title="Final exam: e-government services for citizens",
    instructions=(
        "Six questions drawn at random from the whole course, in random order. You have 15 "
        "minutes and three attempts; your best attempt counts and 70% passes. After each "
        "attempt you see which of your answers were right, but not the correct answers."
    ),
    pass_mark=70,
    attempt_limit=3,
    time_limit_minutes=15,
    questions_per_attempt=6,
    shuffle_questions=True,
    shuffle_choices=True,
    grading_policy=GradingPolicy.HIGHEST,
    review_policy=ReviewPolicy.RESPONSES,
    required_for_completion=True,
    questions=(
        DemoQuestion(
            kind=QuestionKind.SINGLE,
            text="Which of these instructions on an application form is written in plain language?",
            explanation=(
                "Short sentences in the active voice and the reader's own words: \"Send us proof "
                'of your address" says who does what. The other three hide the action in nouns '
                "and the passive voice."
            ),
            choices=(
                DemoChoice("Send us proof of your address.", correct=True),
                DemoChoice("Submission of evidence of the place of residence is required."),
                DemoChoice("Evidence of residence is to be furnished by the applicant."),
                DemoChoice("Proof of address submission is mandatory for the processing."),
            ),
        ),
        DemoQuestion(
            kind=QuestionKind.SINGLE,
            text=(
                "An online service lets a company change the data it is registered with, with "
                "serious legal effect. Which level of assurance of electronic identification "
                "should it require?"
            ),
            explanation=(
                "High: a qualified certificate on a card or in the cloud. The level follows "
                "from the risk of the procedure; the low level suits general information and "
                "the substantial level most applications."
            ),
            choices=(
                DemoChoice("Low: user name and password"),
                DemoChoice("Substantial: password and a one-time code or app"),
                DemoChoice("High: qualified certificate", correct=True),
                DemoChoice("None: the company registration number is enough"),
            ),
        ),
        DemoQuestion(
            kind=QuestionKind.SHORT_TEXT,
            text=(
                "Serbian law grades electronic identification on the same three-level model as "
                "a European regulation. Give the regulation's short name."
            ),
            explanation=(
                "eIDAS, the EU regulation on electronic identification and trust services. "
                "Its levels are low, substantial and high."
            ),
            accepted_answers=("eIDAS", "eIDAS regulation", "еИДАС"),
        ),
        DemoQuestion(
            kind=QuestionKind.MULTIPLE,
            text="Which of these are requirements for an advanced electronic signature?",
            explanation=(
                "An advanced signature is uniquely linked to the signer, created with means "
                "under the signer's sole control and reveals any later change. A qualified "
                "certificate is what a qualified signature adds; a scanned signature is only a "
                "simple one."
            ),
            points=Decimal(2),
            choices=(
                DemoChoice("It is uniquely linked to the signer", correct=True),
                DemoChoice(
                    "It is created with means under the signer's sole control", correct=True
                ),
                DemoChoice("It reveals any change made to the document later", correct=True),
                DemoChoice("It is a scanned image of the handwritten signature"),
            ),
        ),
        true_or_false(
            "When a PDF viewer shows a signature icon on a document you received, the "
            "signature has been checked and is valid.",
            true=False,
            explanation=(
                "False. The icon shows that a signature is present, not that it is valid. "
                "Validate signed documents with an official validation service."
            ),
        ),
        DemoQuestion(
            kind=QuestionKind.SINGLE,
            text=(
                "A registrar issues an extract from the register of births as an electronic "
                "document. What should the extract bear so that anyone can check that it comes "
                "from the authority and has not changed?"
            ),
            explanation=(
                "The authority's qualified electronic seal: a seal does for a legal person what "
                "a signature does for a natural person. A scanned stamp can be copied onto any "
                "document."
            ),
            choices=(
                DemoChoice("A scanned image of the authority's stamp"),
                DemoChoice("The authority's qualified electronic seal", correct=True),
                DemoChoice("The registrar's typed name and job title"),
                DemoChoice("A reference number from the case management system"),
            ),
        ),
        DemoQuestion(
            kind=QuestionKind.NUMERIC,
            text=(
                "Last month 480 citizens started the online application for an extract and 372 "
                "of them submitted it. What was the completion rate, in percent? Round to one "
                "decimal place."
            ),
            explanation=(
                "372 / 480 = 0.775, a completion rate of 77.5% (answers from 77 to 78 count). "
                "Web analytics show on which page the other 22.5% gave up."
            ),
            points=Decimal(2),
            numeric_answer=Decimal("77.5"),
            numeric_tolerance=Decimal("0.5"),
        ),
        DemoQuestion(
            kind=QuestionKind.SINGLE,
            text=(
                "One in four applications for a service is returned to the citizen as "
                "incomplete. What does a return rate this high usually point to?"
            ),
            explanation=(
                "Unclear instructions, far more often than careless citizens. Five short "
                "interviews or an hour watching people at the counter will show which step "
                "confuses them."
            ),
            choices=(
                DemoChoice("Careless applicants"),
                DemoChoice("Unclear instructions", correct=True),
                DemoChoice("Too few staff processing cases"),
                DemoChoice("A service that is too popular"),
            ),
        ),
        true_or_false(
            "A data protection impact assessment is carried out once a service has run for a "
            "year, when there are enough data to judge its risks.",
            true=False,
            explanation=(
                "False. When a service is likely to pose a high risk to people's rights, the "
                "impact is assessed before processing begins, with the data protection officer "
                "involved early."
            ),
        ),
    ),
)

QUIZZES = (E_GOVERNMENT_FOUNDATIONS_CHECK, E_GOVERNMENT_FINAL_EXAM)
