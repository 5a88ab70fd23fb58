"""The report filters' select writes its options in Python; its markup must stay Django's."""

import pytest
from django import forms
from django.test.html import parse_html

from reports.forms import OptionsSelect, ReportFilterForm
from tests.factories import CourseFactory, OrgUnitFactory

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


@pytest.mark.django_db
def test_the_filters_offer_each_unit_indented_by_depth_and_each_course_by_title(admin_user):
    parent = OrgUnitFactory(name="Ministry & <Co>")
    OrgUnitFactory(name="Пореска управа", parent=parent)
    course = CourseFactory(title="Е-управа & <i>you</i>")
    form = ReportFilterForm(user=admin_user)

    units = dict(form.fields["unit"].choices)
    assert units[parent.pk] == "Ministry & <Co>"
    assert "— Пореска управа" in units.values()
    assert dict(form.fields["course"].choices)[course.pk] == course.title
    rendered = str(form["course"])
    assert f'<option value="{course.pk}">Е-управа &amp; &lt;i&gt;you&lt;/i&gt;</option>' in rendered
    # The id posted back is still checked against the queryset.
    bound = ReportFilterForm({"course": str(course.pk)}, user=admin_user)
    assert bound.is_valid() and bound.cleaned_data["course"] == course
