from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for trying the LMS (``manage.py seed_demo``). It sits above the other apps
    and writes through their services; each app keeps its demo content as plain data
    (``courses/demo_content.py``, ``quizzes/demo_content.py``)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"
    verbose_name = "Demo data"
