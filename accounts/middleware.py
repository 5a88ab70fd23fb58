from django.conf import settings
from django.contrib import messages
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .language import language_for_request
from .permissions import has_totp

# What a privileged user without MFA may still open: setting up TOTP (and re-entering the
# password, which allauth may ask for first), the MFA overview that explains it, signing out,
# the language switcher, static files and the health check. Everything else, changing the
# email address or the password included, waits until TOTP is set up.
_MFA_EXEMPT_URL_NAMES = frozenset(
    {
        "mfa_activate_totp",
        "mfa_index",
        "account_logout",
        "account_reauthenticate",
        "account_request_reauthentication_code",
        "account_confirm_reauthentication_code",
    }
)
_MFA_EXEMPT_PREFIXES = ("/i18n/", "/static/", "/healthz")


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
        try:
            if resolve(request.path_info).url_name in _MFA_EXEMPT_URL_NAMES:
                return False
        except Resolver404:
            pass
        return not has_totp(user)
