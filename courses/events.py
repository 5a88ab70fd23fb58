"""Enrolment events that higher apps react to, without ``courses`` importing them.

``notifications`` registers a listener in its ``AppConfig.ready`` that confirms an assignment
to the learner. Listeners run inside the transaction that assigned the course, so what they
record lands with the assignment or not at all.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Enrollment

AssignmentListener = Callable[["Enrollment"], None]

_assignment_listeners: list[AssignmentListener] = []


def register_assignment_listener(listener: AssignmentListener) -> None:
    if listener not in _assignment_listeners:
        _assignment_listeners.append(listener)


def enrollment_assigned(enrollment: "Enrollment") -> None:
    """Called by ``courses.services.enrollment_create`` when HR assigns a course."""
    for listener in list(_assignment_listeners):
        listener(enrollment)
