from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.urls import reverse

from .site import site_info, site_name, site_url


class AccountAdapter(DefaultAccountAdapter):
    """The one place allauth is customised for the LMS."""

    def get_login_redirect_url(self, request):
        return super().get_login_redirect_url(request) or reverse("courses:my_learning")

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
