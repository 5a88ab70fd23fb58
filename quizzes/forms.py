import unicodedata
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .services import MAX_OVERRIDE_REASON


class GradeOverrideForm(forms.Form):
    """A trainer's own score for a finished attempt, with the reason."""

    score = forms.DecimalField(
        label=_("Score"),
        min_value=Decimal(0),
        max_digits=8,
        decimal_places=2,
        help_text=_("The learner's score in points; passing follows from the pass mark."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=MAX_OVERRIDE_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Why the computed grade is replaced, for example “short answer marked by hand”."
        ),
    )

    def __init__(self, *args, max_score: Decimal, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_score = max_score
        self.fields["score"].max_value = max_score
        self.fields["score"].widget.attrs.update({"max": str(max_score), "step": "0.01"})

    def clean_score(self):
        score = self.cleaned_data["score"]
        if score > self.max_score:
            raise forms.ValidationError(
                _("The score must be between 0 and %(max)s.") % {"max": self.max_score}
            )
        return score

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if any(unicodedata.category(c) == "Cc" and c not in "\n\r\t" for c in reason):
            raise forms.ValidationError(_("Remove the control characters from the reason."))
        return reason
