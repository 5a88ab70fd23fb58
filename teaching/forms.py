from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.permissions import is_administrator
from accounts.roles import Role
from accounts.selectors import users_with_role
from certificates import services as certificate_services
from certificates.models import CertificateTemplate
from courses.models import Attachment, Course, Lesson, Module
from lms import boundary
from lms.boundary import validate_multiline_text, validate_plain_text
from quizzes.models import CHOICE_KINDS, Question, QuestionKind, Quiz


class CoverImageInput(forms.ClearableFileInput):
    """The current cover as a small image from the course's own address (stored files are
    not served directly), a box to remove it, and the file picker, each on its own line."""

    cover_url = ""

    def render(self, name, value, attrs=None, renderer=None):
        picker = forms.FileInput(attrs=self.attrs).render(name, None, attrs, renderer)
        if not (self.cover_url and self.is_initial(value)):
            return picker
        checkbox_id = self.clear_checkbox_id(self.clear_checkbox_name(name))
        return format_html(
            '<div class="cover-input"><img class="cover-thumb" src="{}" alt="{}">'
            '<p><input type="checkbox" name="{}" id="{}"> <label for="{}">{}</label></p>{}</div>',
            self.cover_url,
            _("The current cover image"),
            self.clear_checkbox_name(name),
            checkbox_id,
            checkbox_id,
            _("Remove the cover image"),
            picker,
        )


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
            "cover_image",
            "cover_alt",
        ]
        widgets = {
            "cover_image": CoverImageInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        }
        help_texts = {
            "slug": _(
                "The course's address: lower-case Latin letters, digits and hyphens. Leave "
                "empty to make one from the title."
            ),
            "description": _("Markdown: headings, lists, links and tables."),
        }

    certificate_template = forms.ModelChoiceField(
        label=_("Certificate template"),
        queryset=CertificateTemplate.objects.order_by("name"),
        empty_label=_("The default template"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            chosen = certificate_services.template_for_course(self.instance.pk)
            if chosen is not None and not chosen.is_default:
                self.initial.setdefault("certificate_template", chosen.pk)
        self.fields["slug"].required = self.instance.pk is not None
        self.fields["title"].validators.append(validate_plain_text)
        self.fields["summary"].validators.append(validate_plain_text)
        self.fields["description"].validators.append(validate_multiline_text)
        self.fields["estimated_hours"].min_value = 0
        self.fields["cover_alt"].validators.append(validate_plain_text)
        if self.instance.pk is not None and self.instance.cover_image:
            self.fields["cover_image"].widget.cover_url = (
                reverse("courses:cover", args=[self.instance.slug])
                + f"?v={slugify(self.instance.cover_image.name)}"
            )


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


class QuizForm(forms.ModelForm):
    """A quiz's rules. The module list holds the course's modules; none makes the quiz the
    course's final exam."""

    class Meta:
        model = Quiz
        fields = [
            "title",
            "module",
            "instructions",
            "pass_mark",
            "attempt_limit",
            "time_limit_minutes",
            "questions_per_attempt",
            "grading_policy",
            "shuffle_questions",
            "shuffle_choices",
            "review_policy",
            "required_for_completion",
        ]

    def __init__(self, *args, course: Course, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = course.modules.order_by("position")
        self.fields["module"].empty_label = _("None: the course's final exam")
        self.fields["title"].validators.append(validate_plain_text)
        self.fields["instructions"].validators.append(validate_multiline_text)
        self.fields["pass_mark"].max_value = 100


CHOICE_ROWS = 6


class QuestionForm(forms.ModelForm):
    """A question and up to CHOICE_ROWS choices (more rows appear as choices are added). What
    each kind needs is checked here, at its field: choices for choice questions, accepted
    answers for short text, the value for numeric."""

    accepted_answers = forms.CharField(
        label=_("Accepted answers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Short-text questions: one accepted answer per line. Case, spacing and Serbian "
            "script are ignored."
        ),
    )

    class Meta:
        model = Question
        fields = [
            "kind",
            "text",
            "points",
            "explanation",
            "partial_credit",
            "accepted_answers",
            "numeric_answer",
            "numeric_tolerance",
        ]

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.existing_choices = list(choices)
        if self.instance.pk is not None:
            self.initial["accepted_answers"] = "\n".join(self.instance.accepted_answers or [])
        self.fields["text"].validators.append(validate_multiline_text)
        self.fields["explanation"].validators.append(validate_multiline_text)
        rows = max(CHOICE_ROWS, len(self.existing_choices) + 2)
        self.choice_rows = []
        for index in range(rows):
            existing = self.existing_choices[index] if index < len(self.existing_choices) else None
            text_name, correct_name = f"choice_{index}_text", f"choice_{index}_correct"
            self.fields[text_name] = forms.CharField(
                label=_("Choice %(n)d") % {"n": index + 1},
                required=False,
                max_length=500,
                initial=existing.text if existing else "",
                validators=[validate_plain_text],
            )
            self.fields[correct_name] = forms.BooleanField(
                label=_("Correct"),
                required=False,
                initial=existing.is_correct if existing else False,
            )
            self.choice_rows.append((text_name, correct_name, existing))

    def visible_question_fields(self):
        names = {name for row in self.choice_rows for name in row[:2]}
        return [field for field in self if field.name not in names]

    def choice_fields(self):
        return [(self[text], self[correct]) for text, correct, _existing in self.choice_rows]

    def clean_accepted_answers(self):
        raw = self.cleaned_data.get("accepted_answers") or ""
        answers = [line.strip() for line in raw.splitlines() if line.strip()]
        for answer in answers:
            validate_plain_text(answer)
        return answers

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind in CHOICE_KINDS:
            if sum(1 for text, _c, _e in self.choice_rows if cleaned.get(text)) < 2:
                self.add_error("choice_0_text", _("Give at least two choices."))
        elif kind == QuestionKind.SHORT_TEXT and not cleaned.get("accepted_answers"):
            self.add_error("accepted_answers", _("Give at least one accepted answer."))
        elif kind == QuestionKind.NUMERIC and cleaned.get("numeric_answer") is None:
            self.add_error("numeric_answer", _("Give the correct value."))
        return cleaned

    def question_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def choices(self) -> list[tuple[int | None, str, bool]]:
        return [
            (
                existing.pk if existing else None,
                self.cleaned_data.get(text, "").strip(),
                bool(self.cleaned_data.get(correct)),
            )
            for text, correct, existing in self.choice_rows
            if existing or self.cleaned_data.get(text, "").strip()
        ]


class QuestionImportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[
            ("aiken", _("Aiken (single-choice questions)")),
            ("gift", _("GIFT (Moodle)")),
            ("csv", _("CSV (every kind)")),
        ],
        initial="aiken",
        required=False,
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("A UTF-8 text file; or paste the questions below."),
    )
    text = forms.CharField(
        label=_("Questions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=1_000_000,
    )

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is not None:
            if upload.size > 1_000_000:
                self.add_error("file", _("The file is too large; import at most 1 MB at once."))
                return cleaned
            try:
                cleaned["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                self.add_error("file", _("The file is not UTF-8 text."))
                return cleaned
        if not (cleaned.get("text") or "").strip():
            self.add_error("text", _("Choose a file or paste the questions."))
        return cleaned


class AttachmentForm(forms.ModelForm):
    """A file for a lesson; its size, type and content are checked (courses.validators)."""

    class Meta:
        model = Attachment
        fields = ["title", "file"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].validators.append(validate_plain_text)


class DuplicateCourseForm(forms.Form):
    title = forms.CharField(
        label=_("Title of the copy"), max_length=200, validators=[validate_plain_text]
    )
    slug = forms.SlugField(
        label=_("Address of the copy"),
        max_length=120,
        required=False,
        help_text=_("Leave empty to make one from the title."),
    )


class _TrainerChoiceField(forms.ModelMultipleChoiceField):
    """Trainers by id, each read with ``boundary.parse_id``, so an id past the key range is a
    field error, not a database overflow."""

    def _check_values(self, value):
        ids = [boundary.parse_id(raw) if isinstance(raw, str) else None for raw in value]
        if None in ids:
            raise ValidationError(
                self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": ""}
            )
        return super()._check_values([str(pk) for pk in ids])


class TrainersForm(forms.Form):
    """Who teaches the course: people with the trainer role (and anyone teaching it now)."""

    trainers = _TrainerChoiceField(
        label=_("Trainers"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Trainers see every learner's progress and attempts in the course."),
    )

    def __init__(self, *args, course: Course, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        field = self.fields["trainers"]
        field.queryset = (
            (users_with_role(Role.TRAINER) | course.trainers.all())
            .distinct()
            .order_by("full_name", "email")
        )
        field.label_from_instance = lambda user: f"{user.display_name} ({user.email})"
        self.initial.setdefault("trainers", list(course.trainers.all()))

    def clean_trainers(self):
        trainers = self.cleaned_data["trainers"]
        if not is_administrator(self.actor) and self.actor not in trainers:
            raise ValidationError(
                _("You cannot remove yourself; ask another trainer or an administrator.")
            )
        return trainers
