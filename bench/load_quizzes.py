"""Add quizzes to the bench database (after bench/load_data.py) and write what the load test's
simulated learners need: who they are and where they are enrolled.

Every course gets one final quiz of five single-choice questions (unlimited attempts, no time
limit, not required for completion, so the completion rules stay as load_data.py left them).
Run in its own process with the server's environment, like load_data.py.
"""

import argparse
import json
import os
import sys
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
django.setup()

from django.db import transaction  # noqa: E402

from bench.load_data import BENCH_PASSWORD, SEARCH_WORD  # noqa: E402
from courses.models import Course, Enrollment, EnrollmentStatus, Lesson  # noqa: E402
from quizzes.models import Choice, Question, QuestionKind, Quiz  # noqa: E402


def add_quizzes() -> int:
    if Quiz.objects.exists():
        return Quiz.objects.count()
    courses = list(Course.objects.order_by("pk"))
    quizzes = Quiz.objects.bulk_create(
        Quiz(
            course=course,
            title=f"Final check: {course.title[:150]}",
            pass_mark=60,
            attempt_limit=None,
            required_for_completion=False,
        )
        for course in courses
    )
    questions = Question.objects.bulk_create(
        Question(
            quiz=quiz,
            kind=QuestionKind.SINGLE,
            text=f"Question {n + 1} about {quiz.course.title[:80]}?",
            position=n + 1,
        )
        for quiz in quizzes
        for n in range(5)
    )
    Choice.objects.bulk_create(
        Choice(question=question, text=f"Answer {c + 1}", is_correct=c == 0, position=c + 1)
        for question in questions
        for c in range(4)
    )
    return len(quizzes)


def learners(count: int) -> list[dict]:
    """The first ``count`` learners with an active enrolment, each with one such course, its
    lessons in reading order and its quiz."""
    chosen = []
    enrollments = (
        Enrollment.objects.filter(status=EnrollmentStatus.ACTIVE, user__email__startswith="learner")
        .select_related("user", "course")
        .order_by("user_id", "pk")
    )
    seen = set()
    for enrollment in enrollments.iterator():
        if enrollment.user_id in seen:
            continue
        seen.add(enrollment.user_id)
        course = enrollment.course
        lessons = list(
            Lesson.objects.filter(course=course)
            .order_by("module__position", "position")
            .values_list("pk", flat=True)
        )
        chosen.append(
            {
                "email": enrollment.user.email,
                "course": course.slug,
                "lessons": lessons,
                "quiz": Quiz.objects.get(course=course).pk,
            }
        )
        if len(chosen) == count:
            break
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--learners", type=int, default=200)
    args = parser.parse_args()
    with transaction.atomic():
        quizzes = add_quizzes()
    people = learners(args.learners)
    args.output.write_text(
        json.dumps(
            {"password": BENCH_PASSWORD, "search_word": SEARCH_WORD, "learners": people},
            indent=1,
        )
    )
    print(f"{quizzes} quizzes; {len(people)} learners written to {args.output}")


if __name__ == "__main__":
    main()
