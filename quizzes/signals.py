"""Keep the caches honest: any change to a question or a choice makes the cached answer keys
stale, and any change to a quiz the cached course pages (they list the quizzes)."""

from django.db.models.signals import post_delete, post_save

from courses.cache import catalogue_changed

from .answer_keys import keys_changed
from .models import Choice, Question, Quiz


def _keys_changed(**kwargs):
    keys_changed()


def _course_pages_changed(**kwargs):
    catalogue_changed(also_after_commit=True)


def connect() -> None:
    for model in (Question, Choice):
        post_save.connect(_keys_changed, sender=model, dispatch_uid=f"quiz-keys-{model}")
        post_delete.connect(_keys_changed, sender=model, dispatch_uid=f"quiz-keys-d-{model}")
    post_save.connect(_course_pages_changed, sender=Quiz, dispatch_uid="quiz-course-pages")
    post_delete.connect(_course_pages_changed, sender=Quiz, dispatch_uid="quiz-course-pages-d")
