from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.roles import Role
from accounts.selectors import users_with_role

from . import services
from .models import Attachment, Category, Course, CourseStatus, Enrollment, Lesson, Module


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class ModuleInline(admin.TabularInline):
    model = Module
    extra = 0
    fields = ["position", "title"]
    show_change_link = True


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "language", "status", "estimated_hours", "self_enrollment"]
    list_filter = ["status", "language", "category"]
    list_select_related = ["category"]
    search_fields = ["title", "summary", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["trainers"]
    readonly_fields = ["published_at", "created_at", "updated_at"]
    inlines = [ModuleInline]
    actions = ["publish", "archive", "return_to_draft"]
    fields = [
        "title",
        "slug",
        "summary",
        "description",
        "category",
        "language",
        "estimated_hours",
        "self_enrollment",
        "due_soon_days",
        "inactivity_days",
        "trainers",
        "status",
        "published_at",
        "created_at",
        "updated_at",
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        """The trainer picker lists trainers only, plus anyone already teaching the course (so
        saving never silently drops a former trainer)."""
        form = super().get_form(request, obj, change=change, **kwargs)
        if "trainers" in form.base_fields:
            trainers = users_with_role(Role.TRAINER)
            if obj is not None and obj.pk:
                trainers = trainers | obj.trainers.all()
            form.base_fields["trainers"].queryset = trainers.distinct().order_by(
                "full_name", "email"
            )
        return form

    def save_model(self, request, obj, form, change):
        # A status chosen in the form goes through the service, which audits it.
        status = obj.status
        if change:
            obj.status = form.initial.get("status", status)
        else:
            obj.status = CourseStatus.DRAFT
        super().save_model(request, obj, form, change)
        if status != obj.status:
            services.course_set_status(course=obj, status=status, actor=request.user)

    def save_related(self, request, form, formsets, change):
        # Trainers are set through the service, which audits the change.
        trainers = form.cleaned_data.pop("trainers", None)
        super().save_related(request, form, formsets, change)
        if trainers is not None:
            services.course_set_trainers(
                course=form.instance, trainers=trainers, actor=request.user
            )

    def _set_status(self, request, queryset, status):
        for course in queryset:
            services.course_set_status(course=course, status=status, actor=request.user)
        self.message_user(
            request,
            ngettext("Updated %(n)d course.", "Updated %(n)d courses.", len(queryset))
            % {"n": len(queryset)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Publish selected courses"))
    def publish(self, request, queryset):
        self._set_status(request, queryset, CourseStatus.PUBLISHED)

    @admin.action(description=_("Archive selected courses"))
    def archive(self, request, queryset):
        self._set_status(request, queryset, CourseStatus.ARCHIVED)

    @admin.action(description=_("Return selected courses to draft"))
    def return_to_draft(self, request, queryset):
        self._set_status(request, queryset, CourseStatus.DRAFT)


class LessonInline(admin.StackedInline):
    model = Lesson
    extra = 0
    fields = ["position", "title", "required", "estimated_minutes"]
    show_change_link = True


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ["title", "course", "position"]
    list_filter = ["course"]
    list_select_related = ["course"]
    search_fields = ["title", "course__title"]
    inlines = [LessonInline]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        services.course_schedule_completion_check(course_id=form.instance.course_id)


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 1
    fields = ["title", "file"]


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    list_display = ["title", "module", "course", "position", "required"]
    list_filter = ["course", "required"]
    list_select_related = ["module", "course"]
    search_fields = ["title", "body"]
    fields = ["module", "position", "title", "body", "video_url", "estimated_minutes", "required"]
    inlines = [AttachmentInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "required" in form.changed_data or not change:
            services.course_schedule_completion_check(course_id=obj.course_id)

    def delete_model(self, request, obj):
        course_id = obj.course_id
        super().delete_model(request, obj)
        services.course_schedule_completion_check(course_id=course_id)


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["user", "course", "source", "status", "due_date", "enrolled_at", "completed_at"]
    list_filter = ["status", "source", "course"]
    list_select_related = ["user", "course"]
    search_fields = ["user__email", "user__full_name", "course__title"]
    raw_id_fields = ["user", "assigned_by"]
    readonly_fields = ["enrolled_at", "completed_at"]

    # Enrolments change only through the learner flows and HR assignment services; the add
    # page, which assigns through reports.services, is added by reports/admin.py.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
