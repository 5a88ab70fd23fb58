from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from lms.boundary import validate_plain_text


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, max_length=200, validators=[validate_plain_text]
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All categories"))] + [
            (c.slug, c.name) for c in categories
        ]
        self.fields["language"].choices = [("", _("All languages")), *settings.LANGUAGES]

    def filters(self) -> dict:
        """The valid filters; an unknown category or language is simply not applied."""
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        return {
            "query": " ".join(data.get("q", "").split()),
            "category": data.get("category", ""),
            "language": data.get("language", ""),
        }

    @staticmethod
    def params(filters: dict) -> dict:
        """The query parameters, by form field name, that show ``filters``."""
        return {
            "q": filters["query"],
            "category": filters["category"],
            "language": filters["language"],
        }
