from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Attempt, Choice, Question, Quiz


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["position", "kind", "text", "points"]
    show_change_link = True


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
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


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 2
    fields = ["position", "text", "is_correct"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "quiz", "kind", "points"]
    list_filter = ["kind", "quiz__course"]
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
    ]


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
