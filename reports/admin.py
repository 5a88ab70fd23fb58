"""Adding enrollments in the Django admin goes through ``reports.services.enrollment_assign``,
the same service as the HR assignment page: scope-checked and audited. The admin class lives
here rather than in ``courses.admin`` because ``courses`` may not import this higher app; it
extends the courses app's Enrollment admin with the add page only."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from courses.admin import EnrollmentAdmin as CourseEnrollmentAdmin
from courses.models import Enrollment

from . import permissions, services
from .forms import IdChoiceField

MAX_PEOPLE_CHARS = 200_000


class EnrollmentAssignAdminForm(forms.Form):
    course = IdChoiceField(label=_("Course"), queryset=None)
    due_date = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    people = forms.CharField(
        label=_("People"),
        max_length=MAX_PEOPLE_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One email address or employee number per line."),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["course"].queryset = permissions.assignable_courses(actor).only("pk", "title")
        self.fields["course"].label_from_instance = lambda course: course.title

    def clean_people(self):
        """The people named, matched within the actor's scope exactly as an uploaded CSV is; a
        line that matches no one in the scope is an error at the field, and nothing is
        assigned."""
        text = self.cleaned_data["people"]
        try:
            people, unmatched = services.assignment_people_from_csv(
                actor=self.actor, upload=text.encode("utf-8")
            )
        except services.AssignmentError as error:
            raise forms.ValidationError(str(error)) from None
        if unmatched:
            raise forms.ValidationError(
                [
                    forms.ValidationError(
                        _("Line %(line)d (%(value)s): %(reason)s"),
                        params={"line": row.line, "value": row.value, "reason": row.reason},
                    )
                    for row in unmatched
                ]
            )
        if not people:
            raise forms.ValidationError(_("Choose at least one person."))
        return people


admin.site.unregister(Enrollment)


@admin.register(Enrollment)
class EnrollmentAdmin(CourseEnrollmentAdmin):
    """The courses app's read-only Enrollment admin, with an add page that assigns."""

    def has_add_permission(self, request):
        return permissions.can_assign(request.user)

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = EnrollmentAssignAdminForm(
            request.POST if request.method == "POST" else None, actor=request.user
        )
        if form.is_valid():
            data = form.cleaned_data
            try:
                result = services.enrollment_assign(
                    actor=request.user,
                    people=data["people"],
                    course=data["course"],
                    due_date=data["due_date"],
                )
            except services.AssignmentError as error:
                form.add_error(None, str(error))
            else:
                self.message_user(
                    request,
                    ngettext(
                        "Assigned %(course)s: %(created)d new enrollment, %(updated)d updated.",
                        "Assigned %(course)s: %(created)d new enrollments, %(updated)d updated.",
                        result.created,
                    )
                    % {
                        "course": data["course"].title,
                        "created": result.created,
                        "updated": result.updated,
                    },
                    messages.SUCCESS,
                )
                return redirect("admin:courses_enrollment_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Assign a course"),
            "opts": self.model._meta,
            "form": form,
            "media": self.media + form.media,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/reports/enrollment_assign.html", context)
