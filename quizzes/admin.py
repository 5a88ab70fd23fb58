from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from courses.admin import ServiceDeletesMixin, save_inline_through

from . import authoring
from .models import Attempt, Choice, Question, Quiz


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["position", "kind", "text", "points", "archived_at"]
    readonly_fields = ["position", "archived_at"]
    show_change_link = True


@admin.register(Quiz)
class QuizAdmin(ServiceDeletesMixin, admin.ModelAdmin):
    list_display = ["title", "course", "module", "pass_mark", "attempt_limit", "time_limit_minutes"]
    list_filter = ["course", "required_for_completion"]
    list_select_related = ["course", "module"]
    search_fields = ["title", "course__title"]
    autocomplete_fields = ["module"]
    inlines = [QuestionInline]
    fieldsets = [
        (None, {"fields": ["course", "module", "title", "instructions", "position"]}),
        (
            _("Rules"),
            {
                "fields": [
                    "pass_mark",
                    "attempt_limit",
                    "time_limit_minutes",
                    "grading_policy",
                    "questions_per_attempt",
                    "shuffle_questions",
                    "shuffle_choices",
                    "review_policy",
                    "required_for_completion",
                ]
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        # A quiz stays in its course: its attempts belong to that course's enrolments.
        return ["course"] if obj is not None else []

    def ensure_deletable(self, obj):
        authoring.quiz_ensure_deletable(quiz=obj)

    def save_model(self, request, obj, form, change):
        data = {
            name: form.cleaned_data[name]
            for name in authoring.QUIZ_FIELDS
            if name in form.cleaned_data
        }
        if change:
            authoring.quiz_update(quiz=Quiz.objects.get(pk=obj.pk), data=data)
        else:
            title = data.pop("title")
            module = data.pop("module", None)
            created = authoring.quiz_create(
                course=form.cleaned_data["course"], title=title, module=module, **data
            )
            obj.pk = created.pk
        obj.refresh_from_db()

    def delete_model(self, request, obj):
        authoring.quiz_delete(quiz=obj, actor=request.user)

    def save_formset(self, request, form, formset, change):
        quiz = form.instance
        question_fields = ("kind", "text", "points")
        save_inline_through(
            request,
            formset,
            create=lambda f: authoring.question_create(
                quiz=quiz, **{name: f.cleaned_data[name] for name in question_fields}
            ),
            update=lambda obj, f: authoring.question_update(
                question=Question.objects.get(pk=obj.pk),
                data={name: f.cleaned_data[name] for name in question_fields},
            ),
            delete=lambda obj: authoring.question_delete(question=obj, actor=request.user),
        )


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 2
    fields = ["position", "text", "is_correct"]
    readonly_fields = ["position"]


@admin.register(Question)
class QuestionAdmin(ServiceDeletesMixin, admin.ModelAdmin):
    list_display = ["__str__", "quiz", "kind", "points", "archived_at"]
    list_filter = ["kind", "quiz__course", ("archived_at", admin.EmptyFieldListFilter)]
    actions = ["archive", "restore"]
    list_select_related = ["quiz"]
    search_fields = ["text"]
    inlines = [ChoiceInline]
    fields = [
        "quiz",
        "position",
        "kind",
        "text",
        "points",
        "explanation",
        "partial_credit",
        "accepted_answers",
        "numeric_answer",
        "numeric_tolerance",
        "archived_at",
    ]
    readonly_fields = ["position", "archived_at"]

    def get_readonly_fields(self, request, obj=None):
        # Archiving goes through the actions (authoring.question_archive / question_restore).
        fields = ["quiz", "position"] if obj is not None else ["position"]
        return [*fields, "archived_at"]

    def _set_archived(self, request, queryset, service, done_message):
        changed = 0
        for question in queryset.select_related("quiz__course").order_by("pk"):
            try:
                changed += service(question=question, actor=request.user)
            except PermissionDenied:
                self.message_user(request, _("You may not change this course."), messages.ERROR)
                return
        self.message_user(request, done_message(changed), messages.SUCCESS)

    @admin.action(description=_("Archive selected questions (left out of new attempts)"))
    def archive(self, request, queryset):
        self._set_archived(
            request,
            queryset,
            authoring.question_archive,
            lambda n: (
                ngettext("%(n)d question archived.", "%(n)d questions archived.", n) % {"n": n}
            ),
        )

    @admin.action(description=_("Restore selected questions"))
    def restore(self, request, queryset):
        self._set_archived(
            request,
            queryset,
            authoring.question_restore,
            lambda n: (
                ngettext("%(n)d question restored.", "%(n)d questions restored.", n) % {"n": n}
            ),
        )

    def ensure_deletable(self, obj):
        authoring.question_ensure_deletable(question=obj)

    def save_model(self, request, obj, form, change):
        data = {
            name: form.cleaned_data[name]
            for name in authoring.QUESTION_FIELDS
            if name in form.cleaned_data
        }
        try:
            if change:
                authoring.question_update(question=Question.objects.get(pk=obj.pk), data=data)
            else:
                created = authoring.question_create(quiz=form.cleaned_data["quiz"], **data)
                obj.pk = created.pk
        except authoring.AuthoringError as error:
            self.message_user(request, str(error), messages.ERROR)
            if obj.pk is None:
                raise
        obj.refresh_from_db()

    def delete_model(self, request, obj):
        authoring.question_delete(question=obj, actor=request.user)

    def save_formset(self, request, form, formset, change):
        question = form.instance
        save_inline_through(
            request,
            formset,
            create=lambda f: authoring.choice_create(
                question=question,
                text=f.cleaned_data["text"],
                is_correct=f.cleaned_data["is_correct"],
            ),
            update=lambda obj, f: authoring.choice_update(
                choice=Choice.objects.get(pk=obj.pk),
                text=f.cleaned_data["text"],
                is_correct=f.cleaned_data["is_correct"],
            ),
            delete=lambda obj: authoring.choice_delete(choice=obj),
        )
        problem = authoring.question_choice_problem(question=question)
        if problem:
            self.message_user(request, problem, messages.WARNING)


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ["quiz", "enrollment", "number", "status", "percent", "passed", "submitted_at"]
    list_filter = ["status", "passed", "quiz__course"]
    list_select_related = ["quiz", "enrollment__user", "enrollment__course"]
    search_fields = ["enrollment__user__email", "enrollment__user__full_name", "quiz__title"]

    # Attempts change only through the quiz services (taking, grading, regrading).
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
