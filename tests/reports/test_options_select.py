"""The report filters' select writes its options in Python; its markup must stay Django's."""

import pytest
from django import forms
from django.test.html import parse_html

from reports.forms import OptionsSelect, ReportFilterForm

CHOICES = [
    ("", "—"),
    (1, 'A & <b onclick="x">'),
    (2, "Ђорђе"),
    ("Group <i>", [(3, "x"), (4, "y")]),
]


@pytest.mark.parametrize("value", [None, "", "2", 3, "missing"])
def test_markup_is_djangos(value):
    attrs = {"id": "id_course", "aria-describedby": "id_course-help"}
    expected = forms.Select(choices=CHOICES, attrs=attrs).render("course", value)
    rendered = OptionsSelect(choices=CHOICES, attrs=attrs).render("course", value)
    assert parse_html(rendered) == parse_html(expected)
    assert "<b" not in rendered and "<i>" not in rendered


@pytest.mark.django_db
def test_report_form_fields_render_as_django_would(admin_user):
    form = ReportFilterForm({"status": "overdue"}, user=admin_user)
    for name in ("unit", "course", "status"):
        field = form[name]
        expected = forms.Select(choices=form.fields[name].choices).render(
            field.html_name, field.value(), attrs={"id": field.auto_id}
        )
        assert parse_html(str(field)) == parse_html(expected)
    assert 'value="overdue" selected' in str(form["status"])
