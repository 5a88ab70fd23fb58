"""Who may take, review and grade quizzes."""

from courses.permissions import can_manage_course, can_read_lessons

from .models import Attempt, Quiz, ReviewPolicy


def can_take_quiz(user, quiz: Quiz, enrollment) -> bool:
    return (
        enrollment is not None
        and enrollment.user_id == user.pk
        and enrollment.is_open
        and enrollment.course_id == quiz.course_id
    )


def can_view_quiz(user, quiz: Quiz, enrollment) -> bool:
    return can_read_lessons(user, quiz.course, enrollment)


def owns_attempt(user, attempt: Attempt) -> bool:
    return attempt.enrollment.user_id == user.pk


def can_see_responses(attempt: Attempt) -> bool:
    """Whether the learner may see which of their answers were right."""
    return attempt.quiz.review_policy in {ReviewPolicy.RESPONSES, ReviewPolicy.FULL}


def can_see_solutions(attempt: Attempt) -> bool:
    """Whether the learner may see correct answers and explanations."""
    return attempt.quiz.review_policy == ReviewPolicy.FULL


def can_grade_quiz(user, quiz: Quiz) -> bool:
    """Trainers of the course and administrators see every attempt and its statistics."""
    return can_manage_course(user, quiz.course)
