"""The HR forms' fields are written in Python (``reports.forms`` inputs, the ``paragraph``
filter, the course options kept in the cache); what a browser and a screen reader get must
stay what Django's templates wrote."""

import datetime

import pytest
from django import forms
from django.template import Context, Template
from django.test.html import parse_html
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from courses import authoring
from reports.forms import CheckboxInput, DateInput, ReportFilterForm, TextInput
from tests.factories import CourseFactory, OrgUnitFactory, UserFactory, give_totp

# The markup the HR pages wrote with the included template before the filter replaced it.
FIELD_TEMPLATE = Template(
    '<p>\n  <label for="{{ field.id_for_label }}">{{ field.label }}</label>\n  {{ field }}\n'
    '  {% if field.help_text %}<small id="{{ field.id_for_label }}-help">{{ field.help_text }}'
    "</small>{% endif %}\n  {% for error in field.errors %}"
    '<span class="field-error" id="{{ field.id_for_label }}-error">{{ error }}</span>'
    "{% endfor %}\n</p>\n"
)


@pytest.mark.parametrize(
    ("ours", "djangos", "value"),
    [
        (DateInput(), forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), None),
        (DateInput(), forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), "2026-12-01"),
        (TextInput(), forms.TextInput(), 'Ana "& <b>'),
        (TextInput(attrs={"maxlength": 5}), forms.TextInput(attrs={"maxlength": 5}), ""),
        (CheckboxInput(), forms.CheckboxInput(), True),
        (CheckboxInput(), forms.CheckboxInput(), False),
    ],
)
def test_inputs_are_written_as_djangos_templates_write_them(ours, djangos, value):
    attrs = {"id": "id_x", "required": True, "disabled": False, "aria-invalid": "true"}
    rendered = ours.render("x", value, attrs=attrs)
    assert rendered == djangos.render("x", value, attrs=attrs)
    assert "<b>" not in rendered and " disabled" not in rendered


def test_a_date_given_as_initial_value_is_iso_for_the_date_picker_in_every_language():
    for language in ("en", "sr", "sr-latn", "ko"):
        with translation.override(language):
            html = DateInput().render("due", datetime.date(2026, 12, 1))
        assert 'value="2026-12-01"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "sr", "ko"])
def test_report_filter_paragraphs_are_the_templates_markup_with_errors_and_help(
    admin_user, language
):
    with translation.override(language):
        form = ReportFilterForm(
            {"due_from": "2026-05-01", "due_to": "2026-01-01", "q": "<script>"}, user=admin_user
        )
        form.is_valid()
        form.fields["q"].help_text = "Name & number"
        for field in form.filter_fields():
            expected = FIELD_TEMPLATE.render(Context({"field": field}))
            ours = Template("{% load report_forms %}{{ field|paragraph }}").render(
                Context({"field": field})
            )
            assert parse_html(ours) == parse_html(expected)
    due_to = str(form["due_to"])
    assert 'aria-invalid="true"' in due_to
    shown = "".join(
        Template("{% load report_forms %}{{ f|paragraph }}").render(Context({"f": f}))
        for f in form.filter_fields()
    )
    assert 'id="id_due_to-error"' in shown and "<script>" not in shown
    assert [f.name for f in form.filter_fields()][-1] == "q"
    assert "sort" not in shown and 'name="desc"' not in shown


@pytest.mark.django_db
def test_the_kept_course_options_follow_the_catalogue_and_the_choice(client):
    unit = OrgUnitFactory(name="Ministry")
    officer = UserFactory(roles=(Role.HR_OFFICER,), org_unit=unit)
    give_totp(officer)
    client.force_login(officer)
    first = CourseFactory(title="Records & archives")
    url = reverse("reports:completion")

    def course_select(query=""):
        body = client.get(f"{url}{query}").content.decode()
        return body[body.index('<select name="course"') :].split("</select>", 1)[0]

    shown = course_select()
    assert f'<option value="{first.pk}">Records &amp; archives</option>' in shown
    assert '<option value="" selected>' in shown
    assert course_select() == shown  # the kept copy

    # A new course and a renamed one show on the next view.
    second = CourseFactory(title="Е-управа")
    authoring.course_update(
        actor=UserFactory(roles=(Role.ADMINISTRATOR,)),
        course=first,
        data={"title": "Digital records"},
    )
    shown = course_select()
    assert f'<option value="{second.pk}">Е-управа</option>' in shown
    assert "Digital records" in shown and "Records &amp; archives" not in shown

    # With a course chosen, that option is selected and the empty one is not.
    chosen = course_select(f"?course={second.pk}")
    assert f'<option value="{second.pk}" selected>' in chosen
    assert '<option value="" selected>' not in chosen
    assert course_select() == shown
