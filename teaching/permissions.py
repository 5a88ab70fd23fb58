"""Who may use the trainer's workspace and author which course.

A trainer authors only the courses they own or co-teach (the course's trainers) and must hold
the trainer role: someone who lost the role keeps no authoring rights through an old course
assignment. Administrators author every course. Everyone else gets 404 from the workspace, so
it does not reveal which courses exist.
"""

from accounts.permissions import is_administrator, is_trainer
from courses.models import Course
from courses.permissions import can_author_course as _can_author_course


def can_open_workspace(user) -> bool:
    return user.is_authenticated and (is_trainer(user) or is_administrator(user))


def can_create_course(user) -> bool:
    return can_open_workspace(user)


def can_author_course(user, course: Course) -> bool:
    # One rule with the authoring services that check their actor (courses.permissions).
    return _can_author_course(user, course)
