from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth.hashers import make_password
from django.urls import reverse
from django.utils.crypto import get_random_string


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
