from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.roles import Role
from accounts.selectors import users_with_role

from . import authoring, services
from .models import Attachment, Category, Course, CourseStatus, Enrollment, Lesson, Module


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class ServiceDeletesMixin:
    """Deletions go through the authoring services, one object at a time. An object in a
    learner's record is listed as protected on the delete page, with the reason, and a POST
    shows the same refusal again; the bulk "delete selected" action, which would bypass the
    services, is not offered."""

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def ensure_deletable(self, obj) -> None:
        """Each admin names its authoring service's check; raises AuthoringError to refuse."""
        raise NotImplementedError

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        protected = list(protected)
        for obj in objs:
            try:
                self.ensure_deletable(obj)
            except authoring.AuthoringError as error:
                protected.append(f"{obj}: {error}")
        return deleted, counts, perms_needed, protected


def save_inline_through(request, formset, *, create, update, delete) -> None:
    """Save an inline formset through services: ``create(form)`` for new rows, ``update(obj,
    form)`` for changed ones, ``delete(obj)`` for rows marked for deletion. A refused deletion
    becomes an error message and the row stays. Fills in what the admin's change message
    reads (new, changed and deleted objects), as ``formset.save()`` would."""
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    for form in formset.forms:
        if not form.has_changed() or not hasattr(form, "cleaned_data"):
            continue
        obj = form.instance
        if form.cleaned_data.get("DELETE"):
            if obj.pk is None:
                continue
            try:
                delete(obj)
            except authoring.AuthoringError as error:
                messages.error(request, f"{obj}: {error}")
            else:
                formset.deleted_objects.append(obj)
        elif obj.pk is None:
            formset.new_objects.append(create(form))
        else:
            update(obj, form)
            formset.changed_objects.append((obj, form.changed_data))


class ModuleInline(admin.TabularInline):
    model = Module
    extra = 0
    fields = ["position", "title"]
    readonly_fields = ["position"]
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
    # Every field the authoring services save, then the ones they set themselves.
    fields = [
        *authoring.COURSE_FIELDS,
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

    def has_delete_permission(self, request, obj=None):
        # Enrolments protect a course with learners; an unused draft may still go. Archive is
        # the way out for a course people learned from.
        if obj is not None and obj.enrollments.exists():
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        # Settings through the authoring services; a status chosen in the form through
        # course_set_status, which sets published_at and audits the change.
        status = form.cleaned_data.get("status", obj.status)
        data = {
            name: form.cleaned_data[name]
            for name in authoring.COURSE_FIELDS
            if name in form.cleaned_data
        }
        if change:
            current = Course.objects.get(pk=obj.pk)
            authoring.course_update(course=current, actor=request.user, data=data)
        else:
            current = authoring.course_create(actor=request.user, **data)
            obj.pk = current.pk
        if status != current.status:
            services.course_set_status(course=current, status=status, actor=request.user)
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        # Trainers are set through the service, which audits the change.
        trainers = form.cleaned_data.pop("trainers", None)
        super().save_related(request, form, formsets, change)
        if trainers is not None:
            services.course_set_trainers(
                course=form.instance, trainers=trainers, actor=request.user
            )

    def save_formset(self, request, form, formset, change):
        course = form.instance
        save_inline_through(
            request,
            formset,
            create=lambda f: authoring.module_create(
                course=course, title=f.cleaned_data["title"], actor=request.user
            ),
            update=lambda obj, f: authoring.module_update(
                module=Module.objects.get(pk=obj.pk), title=f.cleaned_data["title"]
            ),
            delete=lambda obj: authoring.module_delete(module=obj, actor=request.user),
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
    fields = ["position", "title", "required", "estimated_minutes", "archived_at"]
    readonly_fields = ["position", "archived_at"]
    show_change_link = True


@admin.register(Module)
class ModuleAdmin(ServiceDeletesMixin, admin.ModelAdmin):
    list_display = ["title", "course", "position"]
    list_filter = ["course"]
    list_select_related = ["course"]
    search_fields = ["title", "course__title"]
    inlines = [LessonInline]
    fields = ["course", "title", "position"]
    readonly_fields = ["position"]

    def get_readonly_fields(self, request, obj=None):
        # A module stays in its course; positions change with the workspace's move buttons.
        return ["course", "position"] if obj is not None else ["position"]

    def ensure_deletable(self, obj):
        authoring.module_ensure_deletable(module=obj)

    def save_model(self, request, obj, form, change):
        if change:
            authoring.module_update(
                module=Module.objects.get(pk=obj.pk), title=form.cleaned_data["title"]
            )
        else:
            created = authoring.module_create(
                course=form.cleaned_data["course"],
                title=form.cleaned_data["title"],
                actor=request.user,
            )
            obj.pk = created.pk
        obj.refresh_from_db()

    def delete_model(self, request, obj):
        authoring.module_delete(module=obj, actor=request.user)

    def save_formset(self, request, form, formset, change):
        module = form.instance
        lesson_fields = ("title", "required", "estimated_minutes")
        save_inline_through(
            request,
            formset,
            create=lambda f: authoring.lesson_create(
                module=module,
                actor=request.user,
                **{name: f.cleaned_data[name] for name in lesson_fields},
            ),
            update=lambda obj, f: authoring.lesson_update(
                lesson=Lesson.objects.get(pk=obj.pk),
                data={name: f.cleaned_data[name] for name in lesson_fields},
            ),
            delete=lambda obj: authoring.lesson_delete(lesson=obj, actor=request.user),
        )


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 1
    fields = ["title", "file"]


@admin.register(Lesson)
class LessonAdmin(ServiceDeletesMixin, admin.ModelAdmin):
    list_display = ["title", "module", "course", "position", "required", "archived_at"]
    list_filter = ["course", "required", ("archived_at", admin.EmptyFieldListFilter)]
    list_select_related = ["module", "course"]
    search_fields = ["title", "body"]
    fields = [
        "module",
        "position",
        "title",
        "body",
        "video_url",
        "estimated_minutes",
        "required",
        "archived_at",
    ]
    inlines = [AttachmentInline]
    actions = ["archive", "restore"]

    def get_readonly_fields(self, request, obj=None):
        # A lesson stays in its module; positions change with the workspace's move buttons;
        # archiving goes through the actions (authoring.lesson_archive / lesson_restore).
        fields = ["module", "position"] if obj is not None else ["position"]
        return [*fields, "archived_at"]

    def _set_archived(self, request, queryset, service, done_message):
        changed = 0
        for lesson in queryset.select_related("course").order_by("pk"):
            try:
                changed += service(lesson=lesson, actor=request.user)
            except PermissionDenied:
                self.message_user(request, _("You may not change this course."), messages.ERROR)
                return
        self.message_user(request, done_message(changed), messages.SUCCESS)

    @admin.action(description=_("Archive selected lessons (hidden from learners)"))
    def archive(self, request, queryset):
        self._set_archived(
            request,
            queryset,
            authoring.lesson_archive,
            lambda n: ngettext("%(n)d lesson archived.", "%(n)d lessons archived.", n) % {"n": n},
        )

    @admin.action(description=_("Restore selected lessons"))
    def restore(self, request, queryset):
        self._set_archived(
            request,
            queryset,
            authoring.lesson_restore,
            lambda n: ngettext("%(n)d lesson restored.", "%(n)d lessons restored.", n) % {"n": n},
        )

    def ensure_deletable(self, obj):
        authoring.lesson_ensure_deletable(lesson=obj)

    def save_model(self, request, obj, form, change):
        data = {
            name: form.cleaned_data[name]
            for name in authoring.LESSON_FIELDS
            if name in form.cleaned_data
        }
        if change:
            authoring.lesson_update(lesson=Lesson.objects.get(pk=obj.pk), data=data)
        else:
            created = authoring.lesson_create(
                module=form.cleaned_data["module"], actor=request.user, **data
            )
            obj.pk = created.pk
        obj.refresh_from_db()

    def delete_model(self, request, obj):
        authoring.lesson_delete(lesson=obj, actor=request.user)

    def save_formset(self, request, form, formset, change):
        lesson = form.instance
        save_inline_through(
            request,
            formset,
            create=lambda f: authoring.attachment_create(
                lesson=lesson, title=f.cleaned_data["title"], file=f.cleaned_data["file"]
            ),
            update=lambda obj, f: authoring.attachment_update(
                attachment=Attachment.objects.get(pk=obj.pk),
                title=f.cleaned_data["title"],
                file=f.cleaned_data["file"] if "file" in f.changed_data else None,
            ),
            delete=lambda obj: authoring.attachment_delete(attachment=obj),
        )


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
