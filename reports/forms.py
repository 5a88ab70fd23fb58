import hashlib
import html
from collections.abc import Callable, Iterable

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.cache import UNITS_VERSION_KEY
from courses.cache import CATALOGUE_TTL, CATALOGUE_VERSION_KEY, catalogue_entries, catalogue_store
from lms import boundary, versions

from . import permissions
from .selectors import SORTS, ReportFilters, ReportStatus

ALL_COURSE_CHOICES_KEY = "reports:course-choices:all"


class OptionsSelect(forms.Select):
    """Django's select, with its options written in one pass in Python: the template widget
    includes one template per option, and even ``format_html`` per option cost the report page
    about 4 ms for a list of 200 courses. The markup is Django's (``tests/reports`` compare
    them): each value and label escaped as ``django.utils.html.escape`` does (``html.escape``
    with quotes), option groups, and ``selected`` on the first chosen option only (on each
    chosen one for a multiple select)."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}

        def write(choices) -> str:
            return "".join(self._options(choices, chosen, {"selected": False}))

        shared = getattr(self.choices, "shared_markup", None)
        # Nothing chosen (the empty option selected): the markup is the same for everyone
        # who shares the choices.
        options = shared(write) if shared is not None and chosen == {""} else write(self.choices)
        # The select's own attributes as Django's widget writes them (id, required, ...).
        final_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(final_attrs),
            mark_safe(options),  # noqa: S308 -- every value and label escaped in _options
        )

    def _options(self, choices, chosen, state):
        for option_value, label in choices:
            if isinstance(label, (list, tuple)):
                inner = "".join(self._options(label, chosen, state))
                yield f'<optgroup label="{html.escape(str(option_value))}">{inner}</optgroup>'
                continue
            text = "" if option_value is None else str(option_value)
            selected = (self.allow_multiple_selected or not state["selected"]) and text in chosen
            state["selected"] = state["selected"] or selected
            yield (
                f'<option value="{html.escape(text)}"{" selected" if selected else ""}>'
                f"{html.escape(str(label))}</option>"
            )


class _InputInPython:
    """An ``<input>`` written in Python, as Django's ``input.html`` template writes it: the
    type, the name, the value when there is one (``stringformat:'s'``), then each attribute in
    order (``attrs.html``: a True one by its name alone, a False one left out), every value
    escaped. The same context (``get_context``), without the template engine: the report's
    filter form writes six inputs on every request."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [
            f'<input type="{conditional_escape(widget["type"])}" '
            f'name="{conditional_escape(widget["name"])}"'
        ]
        if widget["value"] is not None:
            parts.append(f' value="{conditional_escape(str(widget["value"]))}"')
        for key, attr in widget["attrs"].items():
            if attr is True:
                parts.append(f" {conditional_escape(key)}")
            elif attr is not False:
                parts.append(f' {conditional_escape(key)}="{conditional_escape(str(attr))}"')
        parts.append(">")
        return mark_safe("".join(parts))  # noqa: S308 -- every value escaped above


class DateInput(_InputInPython, forms.DateInput):
    """The browser's date picker, which reads and sends ISO dates (a date given as the
    field's initial value is written so, not in the language's first input format)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TextInput(_InputInPython, forms.TextInput):
    pass


class CheckboxInput(_InputInPython, forms.CheckboxInput):
    pass


class _RowChoiceIterator(forms.models.ModelChoiceIterator):
    """With ``label_columns`` set on the field, its choices come as (id, label) from plain rows
    of those columns, labelled by ``label_from_row``: no model instance per option (the course
    filter offers every course, 200 in the benchmark)."""

    def __iter__(self):
        if self.field.label_columns is None:
            yield from super().__iter__()
            return
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self._choices()

    def shared_markup(self, write: Callable[[Iterable], str]) -> str:
        """``write(self)``, the options' markup with nothing chosen; for a field with
        ``shared_as`` kept beside its choices, under the same version, per language (an empty
        label may be translated): the course filter's 200 options are then one string from
        the cache rather than 400 escapes on every request."""
        key = self.field.shared_as
        if key is None or self.field.label_columns is None:
            return write(self)
        markup_key = f"{key}:markup:{get_language()}"
        version, found = catalogue_entries(markup_key)
        if markup_key in found:
            return found[markup_key]
        markup = write(self)
        catalogue_store(markup_key, version, markup)
        return markup

    def _choices(self) -> list[tuple]:
        key = self.field.shared_as
        if key is not None:
            version, found = catalogue_entries(key)
            if key in found:
                return found[key]
        # Read at once, not with ``iterator()``: on PostgreSQL that is a server-side cursor
        # (DECLARE, FETCH, CLOSE: three round trips instead of one) for a few hundred rows.
        rows = self.queryset.values_list("pk", *self.field.label_columns)
        choices = [(pk, self.field.label_from_row(*columns)) for pk, *columns in rows]
        if key is not None:
            catalogue_store(key, version, choices)
        return choices


class IdChoiceField(forms.ModelChoiceField):
    """A choice by id, read with ``boundary.parse_id``: "٣" or "²" is no id (``int`` would read
    the first as 3), and an id past the key range never reaches the database."""

    iterator = _RowChoiceIterator
    label_columns: tuple[str, ...] | None = None
    label_from_row = None
    # With label_columns: a shared cache key under which the choices are kept until the
    # catalogue changes, for a queryset that is the same for everyone who gets this key.
    shared_as: str | None = None

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
    include_subunits = forms.BooleanField(
        label=_("Include sub-units"), required=False, widget=CheckboxInput
    )
    course = IdChoiceField(label=_("Course"), queryset=None, required=False, widget=OptionsSelect)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any")), *ReportStatus.choices],
        required=False,
        widget=OptionsSelect,
    )
    due_from = forms.DateField(label=_("Due from"), required=False, widget=DateInput)
    due_to = forms.DateField(label=_("Due until"), required=False, widget=DateInput)
    completed_from = forms.DateField(label=_("Completed from"), required=False, widget=DateInput)
    completed_to = forms.DateField(label=_("Completed until"), required=False, widget=DateInput)
    q = forms.CharField(
        label=_("Name or employee number"),
        required=False,
        max_length=200,
        validators=[boundary.validate_plain_text],
        widget=TextInput,
    )
    # Set by the column headers' links, not shown in the form.
    sort = forms.ChoiceField(choices=[(key, key) for key in SORTS], required=False)
    desc = forms.BooleanField(required=False)
    LINK_FIELDS = ("sort", "desc")

    # Fields whose bad value means a guessed or out-of-scope id: the page answers 404.
    SCOPED_FIELDS = ("unit", "course")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        unit, course = self.fields["unit"], self.fields["course"]
        unit.queryset = permissions.units_in_scope(user)
        unit.label_columns = ("name", "depth")
        unit.label_from_row = lambda name, depth: ("— " * depth) + name
        course.queryset = permissions.courses_in_scope(user)
        course.label_columns, course.label_from_row = ("title",), str
        if permissions.sees_every_course(user):
            # Every course, by title: the same list for every HR officer and administrator
            # (200 options in the benchmark, 2 ms of the page to read), and any change to a
            # course makes the catalogue, and so this copy, stale.
            course.shared_as = ALL_COURSE_CHOICES_KEY
        if not self.is_bound:
            self.initial.setdefault("include_subunits", True)
        elif "unit" not in self.data and "include_subunits" not in self.data:
            # A link without the unit filter (the next page, a column's sort) includes
            # sub-units as the unfiltered report does, and the box says so: a bound form
            # shows what was sent, not its initial values.
            self.data = self.data.copy()
            self.data["include_subunits"] = "on"

    def filter_fields(self) -> list:
        """The fields the form shows: every one but those the column headers set."""
        return [self[name] for name in self.fields if name not in self.LINK_FIELDS]

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
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DateInput)
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


def field_paragraph(field) -> SafeString:
    """``<p>`` with the bound field's label, widget, help text (``<id>-help``) and each error
    (``<id>-error``), every text escaped; the widget's own attributes (``aria-describedby``,
    ``aria-invalid``) are Django's."""
    ident = conditional_escape(field.id_for_label or "")
    parts = [
        f'<p>\n  <label for="{ident}">{conditional_escape(field.label)}</label>\n  ',
        str(field),  # the widget as Django writes it (a SafeString)
        "\n  ",
    ]
    if field.help_text:
        parts.append(f'<small id="{ident}-help">{conditional_escape(field.help_text)}</small>')
    parts.append("\n  ")
    parts.extend(
        f'<span class="field-error" id="{ident}-error">{conditional_escape(error)}</span>'
        for error in field.errors
    )
    parts.append("\n</p>\n")
    return mark_safe("".join(parts))  # noqa: S308 -- every part escaped above


def filters_markup(form: ReportFilterForm) -> SafeString:
    """The filter form's fields, each as ``field_paragraph`` writes it."""
    paragraphs = "".join(field_paragraph(field) for field in form.filter_fields())
    return mark_safe(paragraphs)  # noqa: S308 -- each paragraph escaped in field_paragraph


def unfiltered_filters_markup(user) -> tuple[SafeString, tuple, int]:
    """``filters_markup`` of the form with nothing filtered, as ``user`` sees it: the page every
    report visit starts from, with the catalogue's version (as ``courses.cache.catalogue_version``
    gives it) and the organisation tree's version it was read with (for
    ``courses.selectors.counted_lesson_totals`` and ``permissions.scope_key``: one cache read
    for the three). Its options are the units and courses
    in the user's scope, so it is kept per reader (``permissions.reader_key``: the roles and
    the unit too) and language, under the catalogue's version (course titles, a trainer's
    courses) and the units' (``accounts.cache``): no form is built and no list is read on the
    next visit."""
    reader = "|".join(map(str, (get_language(), *permissions.reader_key(user))))
    key = f"reports:filters:v2:{hashlib.sha256(reader.encode()).hexdigest()[:32]}"
    state, found = versions.fresh_entries((CATALOGUE_VERSION_KEY, UNITS_VERSION_KEY), [key])
    catalogue, tree_version = (state[0],), state[1]
    if key in found:
        markup = mark_safe(found[key])  # noqa: S308 -- stored from filters_markup below
        return markup, catalogue, tree_version
    markup = filters_markup(ReportFilterForm(user=user))
    versions.store(key, state, str(markup), CATALOGUE_TTL)
    return markup, catalogue, tree_version
