"""Keep the cached answer keys honest: any change to a question or a choice makes them stale."""

from django.db.models.signals import post_delete, post_save

from .answer_keys import keys_changed
from .models import Choice, Question


def _keys_changed(**kwargs):
    keys_changed()


def connect() -> None:
    for model in (Question, Choice):
        post_save.connect(_keys_changed, sender=model, dispatch_uid=f"quiz-keys-{model}")
        post_delete.connect(_keys_changed, sender=model, dispatch_uid=f"quiz-keys-d-{model}")
