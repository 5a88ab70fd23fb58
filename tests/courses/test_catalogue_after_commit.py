"""A catalogue change inside a transaction makes the cached pages stale twice: when it is made
and again after the commit, so that a page read (and stored) while the change was uncommitted,
under the new version but with the old content, is not served afterwards."""

import pytest
from django.db import transaction

from courses import authoring
from courses.cache import catalogue_version
from tests.factories import UserFactory, course_with_lessons
from tests.quizzes.factories import QuizFactory

pytestmark = pytest.mark.django_db


def _stale_again_after_commit(change, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            before = catalogue_version()
            change()
            during = catalogue_version()
        assert during != before  # stale at once
    assert catalogue_version() != during  # and again once committed


@pytest.mark.parametrize("what", ["lesson saved", "module deleted", "lessons reordered", "quiz"])
def test_each_change_is_made_stale_again_after_its_commit(what, django_capture_on_commit_callbacks):
    course = course_with_lessons(lessons_per_module=2, modules=2)
    module = course.modules.order_by("position").first()
    lesson = module.lessons.order_by("position").first()
    changes = {
        "lesson saved": lambda: authoring.lesson_update(lesson=lesson, data={"required": False}),
        "module deleted": lambda: course.modules.order_by("position").last().delete(),
        "lessons reordered": lambda: authoring.lesson_reorder(
            module=module,
            lesson_ids=list(module.lessons.order_by("-position").values_list("pk", flat=True)),
        ),
        "quiz": lambda: QuizFactory(course=course),
    }
    _stale_again_after_commit(changes[what], django_capture_on_commit_callbacks)


def test_the_trainers_of_a_course_too(django_capture_on_commit_callbacks):
    course = course_with_lessons()
    trainer = UserFactory()
    _stale_again_after_commit(
        lambda: course.trainers.add(trainer), django_capture_on_commit_callbacks
    )
