"""The Celery app: Redis broker, JSON only, late acknowledgement, a queue per kind of work."""

import os

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")

app = Celery("lms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = [
    Queue("default"),
    Queue("certificates"),
    Queue("notifications"),
    Queue("reports"),
]
app.autodiscover_tasks()
