from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = _("Accounts and organisation")

    def ready(self):
        from . import signals
        from .personal_data import register_personal_data
        from .selectors import profile_personal_data

        register_personal_data("profile", export=profile_personal_data)
        signals.connect()
