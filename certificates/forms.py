from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CertificateTemplate


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (kept private, recorded in the audit log)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give the reason for the revocation."))
        return reason


class TemplateChoiceForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("Certificate template"),
        queryset=CertificateTemplate.objects.all(),
        empty_label=_("The default template"),
        required=False,
    )
