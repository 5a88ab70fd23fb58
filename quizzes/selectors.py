"""Read queries for quizzes: counted attempts, the learner's paper, the trainer's report."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import FilteredRelation, Prefetch, Q, QuerySet, Subquery

from courses import selectors as course_selectors
from lms import boundary
from lms.prepared import prepared

from .models import Answer, Attempt, AttemptStatus, Choice, GradingPolicy, Question, Quiz

FINISHED = (AttemptStatus.SUBMITTED, AttemptStatus.EXPIRED)


def counted_attempt(quiz: Quiz, attempts: list[Attempt]) -> Attempt | None:
    """The finished attempt that counts under the quiz's policy: the highest score (the earliest
    of equals) or the last one submitted."""
    finished = [a for a in attempts if a.status in FINISHED]
    if not finished:
        return None
    if quiz.grading_policy == GradingPolicy.LAST:
        return max(finished, key=lambda a: a.number)
    return max(finished, key=lambda a: (a.percent or 0, -a.number))


@dataclass(frozen=True)
class _CountedRow:
    """The fields of an attempt that ``counted_attempt`` and the pass test read."""

    status: str
    number: int
    percent: object
    passed: bool | None


@prepared("course_id", "enrollment_id")
def _required_quizzes_with_attempts(*, course_id: int, enrollment_id: int) -> QuerySet:
    # One statement, plain values: each required quiz with this enrollment's attempts joined
    # (none: one row of NULLs).
    return (
        Quiz.objects.filter(course_id=course_id, required_for_completion=True)
        .annotate(
            mine=FilteredRelation("attempts", condition=Q(attempts__enrollment_id=enrollment_id))
        )
        .values_list(
            "pk", "grading_policy", "mine__status", "mine__number", "mine__percent", "mine__passed"
        )
        .order_by()
    )


def required_quizzes_passed(enrollment) -> bool:
    """Completion rule: every quiz of the course that requires a pass has a counted attempt
    that passed."""
    # The check runs inside every passing submit: its statement is compiled once.
    rows = _required_quizzes_with_attempts.run(
        course_id=enrollment.course_id, enrollment_id=enrollment.pk
    )
    policies = {}
    by_quiz = defaultdict(list)
    for quiz_id, policy, status, number, percent, passed in rows:
        policies[quiz_id] = policy
        if status is not None:
            by_quiz[quiz_id].append(_CountedRow(status, number, percent, passed))
    for quiz_id, policy in policies.items():
        counted = counted_attempt(Quiz(grading_policy=policy), by_quiz[quiz_id])
        if counted is None or not counted.passed:
            return False
    return True


def quiz_in_course(*, course, quiz_id: int) -> Quiz | None:
    try:
        # get(), not first(): the model's ordering would join the course to sort one row.
        return Quiz.objects.select_related("module").get(course=course, pk=quiz_id)
    except Quiz.DoesNotExist:
        return None


# The attempt page's reads, on every view and save of the paper: compiled once per process.
@prepared("attempt_id", "quiz_id", "course_id", "enrollment_id")
def _learner_attempt(*, attempt_id: int, quiz_id: int, course_id: int, enrollment_id: int):
    return (
        Attempt.objects.select_related("quiz__module")
        .filter(
            pk=attempt_id, quiz_id=quiz_id, quiz__course_id=course_id, enrollment_id=enrollment_id
        )
        .order_by()[:1]
    )


@prepared("attempt_id", "quiz_id", "course_id", "user_id")
def _learner_attempt_locked(*, attempt_id: int, quiz_id: int, course_id: int, user_id: int):
    # The learner's current enrollment found inside the same statement, which locks it with
    # the attempt: a save or submit reads neither again.
    current = course_selectors.current_enrollments(user_id=user_id, course_id=course_id)
    return (
        Attempt.objects.select_related("quiz__module", "enrollment")
        .select_for_update(of=("enrollment", "self"))
        .filter(
            pk=attempt_id,
            quiz_id=quiz_id,
            quiz__course_id=course_id,
            enrollment_id=Subquery(current.values("pk")[:1]),
        )
        .order_by()[:1]
    )


def _valid_ids(quiz_id: int, attempt_id: int) -> bool:
    # An id past any row's (from the address) is no attempt; the database would refuse it.
    return 0 < quiz_id <= boundary.MAX_ID and 0 < attempt_id <= boundary.MAX_ID


def _in_course(rows: list[Attempt], course) -> Attempt | None:
    # The filter matched the course's row; it is attached rather than joined in again.
    if not rows:
        return None
    rows[0].quiz.course = course
    return rows[0]


def learner_attempt(*, enrollment, course, quiz_id: int, attempt_id: int) -> Attempt | None:
    """The enrollment's attempt at a quiz of this course, with the quiz as ``quiz_in_course``
    gives it, in one query; None for anybody else's attempt or another course's quiz."""
    if enrollment is None or not _valid_ids(quiz_id, attempt_id):
        return None
    attempt = _in_course(
        _learner_attempt.run(
            attempt_id=attempt_id,
            quiz_id=quiz_id,
            course_id=course.pk,
            enrollment_id=enrollment.pk,
        ),
        course,
    )
    if attempt is not None:
        attempt.enrollment = enrollment  # the filter matched this very row
    return attempt


def learner_attempt_locked(*, user, course, quiz_id: int, attempt_id: int) -> Attempt | None:
    """``learner_attempt`` for a write, inside the caller's transaction: the user's current
    enrollment in the course (``courses.selectors.enrollment_for``'s) and its attempt, read in
    one statement that takes both rows' locks (the enrollment's first, as every writer of
    attempts takes them), as ``quizzes.services`` wants them
    (``attempt_submit(already_locked=True)``). None for anybody else's attempt, another course's
    quiz or an earlier cycle's attempt."""
    if not user.is_authenticated or not _valid_ids(quiz_id, attempt_id):
        return None
    rows = _learner_attempt_locked.run(
        attempt_id=attempt_id, quiz_id=quiz_id, course_id=course.pk, user_id=user.pk
    )
    return _in_course(rows, course)


def live_questions_filter(prefix: str = "") -> Q:
    """Questions new attempts draw from and learners and previews see: the ones not archived
    (``quizzes.authoring.question_archive``). Older attempts keep theirs regardless."""
    return Q(**{f"{prefix}archived_at__isnull": True})


def pool_question_count(*, quiz: Quiz) -> int:
    """How many questions new attempts draw from."""
    return quiz.questions.filter(live_questions_filter()).count()


def attempts_of(*, quiz: Quiz, enrollment) -> list[Attempt]:
    if enrollment is None:
        return []
    return list(Attempt.objects.filter(quiz=quiz, enrollment=enrollment).order_by("number"))


@dataclass
class PaperQuestion:
    """One question as the learner sees it: no correctness, accepted answers or explanation."""

    id: int
    number: int
    kind: str
    text: str
    points: object
    choices: list  # [(id, text)] in the attempt's frozen order
    selected: set
    text_answer: str
    error: str = ""


def attempt_paper(attempt: Attempt) -> list[PaperQuestion]:
    """The attempt's questions in their frozen order, with the learner's saved answers."""
    questions = {
        q.pk: q
        for q in Question.objects.filter(pk__in=attempt.question_ids).prefetch_related(
            Prefetch("choices", queryset=Choice.objects.only("pk", "text", "question_id"))
        )
    }
    answers = {a.question_id: a for a in attempt.answers.all()}
    paper = []
    for number, qid in enumerate(attempt.question_ids, start=1):
        question = questions.get(qid)
        if question is None:
            continue
        texts = {c.pk: c.text for c in question.choices.all()}
        order = attempt.choice_order.get(str(qid), [])
        answer = answers.get(qid)
        paper.append(
            PaperQuestion(
                id=qid,
                number=number,
                kind=question.kind,
                text=question.text,
                points=question.points,
                choices=[(cid, texts[cid]) for cid in order if cid in texts],
                selected=set(answer.choice_ids) if answer else set(),
                text_answer=answer.text if answer else "",
            )
        )
    return paper


@dataclass
class ReviewQuestion:
    number: int
    question: Question
    answer: Answer | None
    choices: list  # [(Choice, picked)] in the attempt's order


def attempt_review(attempt: Attempt) -> list[ReviewQuestion]:
    """The finished attempt with answers, for the result page and the trainer."""
    questions = {
        q.pk: q
        for q in Question.objects.filter(pk__in=attempt.question_ids).prefetch_related("choices")
    }
    answers = {a.question_id: a for a in attempt.answers.all()}
    review = []
    for number, qid in enumerate(attempt.question_ids, start=1):
        question = questions.get(qid)
        if question is None:
            continue
        by_id = {c.pk: c for c in question.choices.all()}
        order = attempt.choice_order.get(str(qid), [])
        answer = answers.get(qid)
        picked = set(answer.choice_ids) if answer else set()
        review.append(
            ReviewQuestion(
                number=number,
                question=question,
                answer=answer,
                choices=[(by_id[c], c in picked) for c in order if c in by_id],
            )
        )
    return review


def quiz_attempts_for_trainer(*, quiz: Quiz) -> QuerySet:
    return (
        Attempt.objects.filter(quiz=quiz)
        .select_related("enrollment__user", "enrollment__user__org_unit")
        .order_by("enrollment__user__full_name", "enrollment__user__email", "number")
    )


@dataclass
class QuestionStats:
    question: Question
    answered: int
    correct: int
    choice_counts: list  # [(Choice, times picked)]

    @property
    def percent_correct(self) -> int:
        return round(100 * self.correct / self.answered) if self.answered else 0


def quiz_question_stats(*, quiz: Quiz) -> list[QuestionStats]:
    """Per question over finished attempts: how many answered, how many right, and how often
    each choice was picked. Two queries whatever the number of attempts."""
    questions = list(quiz.questions.prefetch_related("choices").order_by("position", "pk"))
    answered = defaultdict(int)
    correct = defaultdict(int)
    picks = defaultdict(int)
    rows = Answer.objects.filter(attempt__quiz=quiz, attempt__status__in=FINISHED).values_list(
        "question_id", "correct", "choice_ids"
    )
    for question_id, is_correct, choice_ids in rows:
        answered[question_id] += 1
        correct[question_id] += bool(is_correct)
        for choice_id in choice_ids or []:
            picks[choice_id] += 1
    return [
        QuestionStats(
            question=q,
            answered=answered[q.pk],
            correct=correct[q.pk],
            choice_counts=[(c, picks[c.pk]) for c in q.choices.all()],
        )
        for q in questions
    ]


def _iso(value):
    return value.isoformat() if value else None


def _decimal(value):
    return None if value is None else str(value)


def attempts_personal_data(user) -> list[dict]:
    """A person's quiz attempts with the answers they gave, for their data download. Points per
    answer are included where the quiz lets the learner see which answers were right; the
    answer key never is."""
    from .permissions import can_see_responses

    attempts = list(
        Attempt.objects.filter(enrollment__user=user)
        .select_related("quiz__course")
        .prefetch_related(
            Prefetch("answers", queryset=Answer.objects.select_related("question").order_by("pk"))
        )
        .order_by("started_at", "pk")
    )
    choice_ids = {cid for a in attempts for answer in a.answers.all() for cid in answer.choice_ids}
    choice_text = dict(Choice.objects.filter(pk__in=choice_ids).values_list("pk", "text"))
    result = []
    for attempt in attempts:
        finished = attempt.status in FINISHED
        show_points = finished and can_see_responses(attempt)
        result.append(
            {
                "course": attempt.quiz.course.slug,
                "quiz": attempt.quiz.title,
                "number": attempt.number,
                "status": attempt.status,
                "started_at": _iso(attempt.started_at),
                "submitted_at": _iso(attempt.submitted_at),
                "score": _decimal(attempt.score),
                "max_score": _decimal(attempt.max_score),
                "percent": _decimal(attempt.percent),
                "passed": attempt.passed,
                "answers": [
                    {
                        "question": answer.question.text,
                        "choices": [choice_text.get(cid, "") for cid in answer.choice_ids],
                        "text": answer.text,
                        "number": _decimal(answer.number),
                        "saved_at": _iso(answer.saved_at),
                        **({"points": _decimal(answer.points)} if show_points else {}),
                    }
                    for answer in attempt.answers.all()
                ],
            }
        )
    return result
