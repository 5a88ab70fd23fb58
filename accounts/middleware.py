from django.conf import settings
from django.contrib import messages
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .language import language_for_request

# Pages a privileged user without MFA may still open: allauth's own (sign-out, MFA set-up),
# the language switcher and static files.
_MFA_EXEMPT_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/healthz")


class UserLanguageMiddleware(LocaleMiddleware):
    """Activate the language of ``accounts.language.language_for_request`` for every request.

    It replaces Django's LocaleMiddleware and sits after authentication, so that a signed-in
    person's preferred language applies from sign-in on; the response handling (``Vary`` and
    ``Content-Language``) is Django's.
    """

    def process_request(self, request):
        translation.activate(language_for_request(request))
        request.LANGUAGE_CODE = translation.get_language()


class RequireMFAMiddleware:
    """Trainers, HR officers and administrators must set up TOTP before any other page opens."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_set_up_mfa(request):
            messages.warning(
                request,
                _(
                    "Your role requires two-factor authentication. "
                    "Set up an authenticator app to continue."
                ),
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    def _must_set_up_mfa(self, request) -> bool:
        if not settings.LMS_REQUIRE_MFA_FOR_PRIVILEGED:
            return False
        user = request.user
        if not user.is_authenticated or request.path_info.startswith(_MFA_EXEMPT_PREFIXES):
            return False
        if not (user.has_privileged_role or user.is_staff or user.is_superuser):
            return False
        from allauth.mfa.models import Authenticator

        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
