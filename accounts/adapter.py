from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    """The one place allauth is customised for the LMS."""

    def get_login_redirect_url(self, request):
        return super().get_login_redirect_url(request) or reverse("courses:my_learning")
