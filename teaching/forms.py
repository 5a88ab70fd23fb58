from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from courses.models import Course, Lesson, Module
from lms.boundary import validate_multiline_text, validate_plain_text


class CourseForm(forms.ModelForm):
    """A course's settings. The slug may be left empty on a new course: one is made from the
    title (courses.authoring.course_slug_suggest)."""

    class Meta:
        model = Course
        fields = [
            "title",
            "slug",
            "summary",
            "description",
            "category",
            "language",
            "estimated_hours",
            "self_enrollment",
            "validity_months",
        ]
        help_texts = {
            "slug": _(
                "The course's address: lower-case Latin letters, digits and hyphens. Leave "
                "empty to make one from the title."
            ),
            "description": _("Markdown: headings, lists, links and tables."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = self.instance.pk is not None
        self.fields["title"].validators.append(validate_plain_text)
        self.fields["summary"].validators.append(validate_plain_text)
        self.fields["description"].validators.append(validate_multiline_text)
        self.fields["estimated_hours"].min_value = 0


class ModuleForm(forms.ModelForm):
    class Meta:
        model = Module
        fields = ["title"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].validators.append(validate_plain_text)


class LessonForm(forms.ModelForm):
    video_url = forms.URLField(
        label=Lesson._meta.get_field("video_url").verbose_name,
        help_text=Lesson._meta.get_field("video_url").help_text,
        required=False,
        assume_scheme="https",
        max_length=200,
    )

    class Meta:
        model = Lesson
        fields = ["title", "body", "video_url", "estimated_minutes", "required"]
        help_texts = {
            "body": _("Markdown. Scripts, frames and styles are removed when it is shown."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].validators.append(validate_plain_text)
        self.fields["body"].validators.append(validate_multiline_text)


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's validation error at the fields it names (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error)
