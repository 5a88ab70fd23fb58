from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from lms import boundary

from . import permissions
from .selectors import SORTS, ReportFilters, ReportStatus


class OptionsSelect(forms.Select):
    """Django's select, with its options written in Python: the template widget includes one
    template per option, and a course list of 200 cost the report page about 15 ms. The markup
    is Django's (value, the option's attributes such as ``selected``, the label escaped)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group_name, options, _index in widget["optgroups"]:
            rendered = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((o["value"], flatatt(o["attrs"]), o["label"]) for o in options),
            )
            if group_name:
                rendered = format_html('<optgroup label="{}">{}</optgroup>', group_name, rendered)
            parts.append(rendered)
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            flatatt(widget["attrs"]),
            mark_safe("".join(parts)),  # noqa: S308 -- each part was built by format_html
        )


class IdChoiceField(forms.ModelChoiceField):
    """A choice by id, read with ``boundary.parse_id``: "٣" or "²" is no id (``int`` would read
    the first as 3), and an id past the key range never reaches the database."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        pk = boundary.parse_id(value) if isinstance(value, str) else None
        if pk is None:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": ""}
            )
        return super().to_python(str(pk))


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several choices by id, each read with ``boundary.parse_id``."""

    def _check_values(self, value):
        ids = []
        for raw in value:
            pk = boundary.parse_id(raw) if isinstance(raw, str) else None
            if pk is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": ""},
                )
            ids.append(str(pk))
        return super()._check_values(ids)


class ReportFilterForm(forms.Form):
    unit = IdChoiceField(label=_("Unit"), queryset=None, required=False, widget=OptionsSelect)
    include_subunits = forms.BooleanField(label=_("Include sub-units"), required=False)
    course = IdChoiceField(label=_("Course"), queryset=None, required=False, widget=OptionsSelect)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any")), *ReportStatus.choices],
        required=False,
        widget=OptionsSelect,
    )
    due_from = forms.DateField(
        label=_("Due from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    due_to = forms.DateField(
        label=_("Due until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    completed_from = forms.DateField(
        label=_("Completed from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    completed_to = forms.DateField(
        label=_("Completed until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    q = forms.CharField(
        label=_("Name or employee number"),
        required=False,
        max_length=200,
        validators=[boundary.validate_plain_text],
    )
    sort = forms.ChoiceField(choices=[(key, key) for key in SORTS], required=False)
    desc = forms.BooleanField(required=False)

    # Fields whose bad value means a guessed or out-of-scope id: the page answers 404.
    SCOPED_FIELDS = ("unit", "course")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = permissions.units_in_scope(user).only("pk", "name", "depth")
        self.fields["course"].queryset = permissions.courses_in_scope(user).only("pk", "title")
        self.fields["course"].label_from_instance = lambda course: course.title
        self.fields["unit"].label_from_instance = lambda unit: ("— " * unit.depth) + unit.name
        if not self.is_bound or "unit" not in self.data:
            self.initial.setdefault("include_subunits", True)

    def has_scope_error(self) -> bool:
        return any(name in self.errors for name in self.SCOPED_FIELDS)

    def filters(self) -> ReportFilters:
        data = self.cleaned_data
        # A report opened without a unit filter includes sub-units, as the box shows.
        include = data["include_subunits"] if "unit" in self.data else True
        return ReportFilters(
            unit=data["unit"],
            include_subunits=include,
            course=data["course"],
            status=data["status"],
            due_from=data["due_from"],
            due_to=data["due_to"],
            completed_from=data["completed_from"],
            completed_to=data["completed_to"],
            query=data["q"],
            sort=data["sort"] or "name",
            descending=data["desc"],
        )

    def clean(self):
        data = super().clean()
        for start, end in (("due_from", "due_to"), ("completed_from", "completed_to")):
            if data.get(start) and data.get(end) and data[start] > data[end]:
                self.add_error(end, _("The end of the range is before its start."))
        return data


class DashboardForm(forms.Form):
    course = IdChoiceField(
        label=_("Course"),
        queryset=None,
        required=False,
        empty_label=_("All mandatory (assigned) courses"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = permissions.courses_in_scope(user).only("pk", "title")
        self.fields["course"].label_from_instance = lambda course: course.title


class AssignForm(forms.Form):
    SOURCE_PEOPLE, SOURCE_UNIT, SOURCE_CSV = "people", "unit", "csv"

    course = IdChoiceField(label=_("Course"), queryset=None)
    due_date = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    source = forms.ChoiceField(
        label=_("Whom to assign"),
        widget=forms.RadioSelect,
        choices=[
            (SOURCE_PEOPLE, _("People chosen by name")),
            (SOURCE_UNIT, _("A whole unit")),
            (SOURCE_CSV, _("A CSV file of emails or employee numbers")),
        ],
        initial=SOURCE_PEOPLE,
    )
    people = IdMultipleChoiceField(
        label=_("People"),
        queryset=None,
        required=False,
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
    )
    unit = IdChoiceField(label=_("Unit"), queryset=None, required=False)
    include_subunits = forms.BooleanField(
        label=_("Include sub-units"), required=False, initial=True
    )
    csv_file = forms.FileField(
        label=_("CSV file"),
        required=False,
        help_text=_("One email address or employee number per row, in the first column."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = permissions.assignable_courses(user).only("pk", "title")
        self.fields["course"].label_from_instance = lambda course: course.title
        self.fields["people"].queryset = permissions.assignable_people(user).only(
            "pk", "full_name", "email", "employee_number"
        )
        self.fields["people"].label_from_instance = lambda person: (
            f"{person.full_name or person.email} ({person.email})"
        )
        self.fields["unit"].queryset = permissions.units_in_scope(user).only("pk", "name", "depth")
        self.fields["unit"].label_from_instance = lambda unit: ("— " * unit.depth) + unit.name

    def clean(self):
        data = super().clean()
        source = data.get("source")
        if source == self.SOURCE_PEOPLE and not data.get("people"):
            self.add_error("people", _("Choose at least one person."))
        if source == self.SOURCE_UNIT and not data.get("unit"):
            self.add_error("unit", _("Choose a unit."))
        if source == self.SOURCE_CSV and not data.get("csv_file"):
            self.add_error("csv_file", _("Choose a CSV file."))
        return data


class AssignConfirmForm(forms.Form):
    """The preview's hidden fields. The people are checked against the scope again by the
    service, so a crafted list is refused."""

    course = IdChoiceField(queryset=None, widget=forms.HiddenInput)
    due_date = forms.DateField(required=False, widget=forms.HiddenInput)
    people = IdMultipleChoiceField(queryset=None, widget=forms.MultipleHiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = permissions.assignable_courses(user)
        # Any person id is accepted here; the service refuses those outside the scope.
        from accounts.models import User

        self.fields["people"].queryset = User.objects.all()
