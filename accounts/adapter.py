from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.auth.hashers import make_password
from django.urls import reverse
from django.utils.crypto import get_random_string

from .site import site_info, site_name, site_url


class AccountAdapter(DefaultAccountAdapter):
    """The one place allauth is customised for the LMS."""

    def get_login_redirect_url(self, request):
        return super().get_login_redirect_url(request) or reverse("courses:my_learning")

    def send_account_already_exists_mail(self, email: str) -> None:
        """Signing up with a registered address sends a notice instead of creating an account.
        A new account costs one password hash (most of the request's time); the same hash is
        computed here and thrown away, so the time of the answer does not tell the two apart."""
        make_password(get_random_string(32))
        super().send_account_already_exists_mail(email)

    def format_email_subject(self, subject: str) -> str:
        return f"[{site_name()}] {subject}"

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Every allauth email names the site by ``LMS_SITE_NAME`` and links to ``LMS_SITE_URL``
        (never the host the request happened to use, such as 127.0.0.1)."""
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": site_info(request)}
        for key, value in context.items():
            if key.endswith("_url") and isinstance(value, str):
                value = site_url(value, request)
            ctx[key] = value
        message = self.render_mail(template_prefix, email, ctx)
        message.send()
