from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from lms.boundary import validate_plain_text

from . import services


class SignupExtraForm(forms.Form):
    """Fields allauth's sign-up form adds for the LMS: the name as typed and the language."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        validators=[validate_plain_text],
        help_text=_("As it should appear on certificates, in any script."),
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), choices=settings.LANGUAGES, initial="en"
    )

    def clean_full_name(self):
        name = self.cleaned_data["full_name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter your full name."))
        return name

    def signup(self, request, user):
        services.user_complete_signup(
            user=user,
            full_name=self.cleaned_data["full_name"],
            preferred_language=self.cleaned_data["preferred_language"],
        )


class ProfileForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"), max_length=200, validators=[validate_plain_text]
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=settings.LANGUAGES,
        help_text=_("Used for emails and whenever you sign in on a new device."),
    )

    def clean_full_name(self):
        name = self.cleaned_data["full_name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter your full name."))
        return name
