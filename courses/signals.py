"""Keep the catalogue cache honest: any change to what the catalogue shows makes it stale."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from .cache import catalogue_changed
from .models import Attachment, Category, Course, Lesson, Module


def _catalogue_changed(**kwargs):
    catalogue_changed(also_after_commit=True)


def connect() -> None:
    # Attachments: the lesson page's cached lesson lists them.
    for model in (Course, Module, Lesson, Category, Attachment):
        post_save.connect(_catalogue_changed, sender=model, dispatch_uid=f"catalogue-{model}")
        post_delete.connect(_catalogue_changed, sender=model, dispatch_uid=f"catalogue-d-{model}")
    m2m_changed.connect(
        _catalogue_changed, sender=Course.trainers.through, dispatch_uid="catalogue-trainers"
    )
