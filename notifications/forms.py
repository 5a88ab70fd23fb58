import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from .kinds import optional_kinds
from .window import window_hours


def _zone_choices():
    return [("", _("The training centre's time zone"))] + [
        (name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())
    ]


class PreferencesForm(forms.Form):
    """One checkbox per optional kind, and the time zone of the sending window."""

    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        start, end = window_hours()
        self.fields["time_zone"].choices = _zone_choices()
        self.fields["time_zone"].help_text = _(
            "Emails arrive only between %(start)02d:00 and %(end)02d:00 in this time zone."
        ) % {"start": start, "end": end}
        for kind in optional_kinds():
            self.fields[f"kind_{kind.value}"] = forms.BooleanField(label=kind.label, required=False)

    def kind_fields(self):
        return [self[f"kind_{kind.value}"] for kind in optional_kinds()]

    def enabled_kinds(self) -> list[str]:
        return [
            kind.value for kind in optional_kinds() if self.cleaned_data.get(f"kind_{kind.value}")
        ]
