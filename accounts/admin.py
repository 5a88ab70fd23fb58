import logging

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import selectors, services
from .models import OrgUnit, User
from .permissions import user_roles
from .roles import Role

logger = logging.getLogger(__name__)


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ["indented_name", "code", "depth"]
    search_fields = ["name", "code"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    fields = ["name", "code", "parent"]

    @admin.display(description=_("name"), ordering="path")
    def indented_name(self, obj):
        return f"{'— ' * obj.depth}{obj.name}"

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            try:
                services.org_unit_update(
                    unit=obj,
                    name=data["name"],
                    code=data["code"],
                    parent=data["parent"],
                    actor=request.user,
                )
            except ValueError as exc:
                self.message_user(request, str(exc), level="error")
        else:
            created = services.org_unit_create(
                name=data["name"], code=data["code"], parent=data["parent"], actor=request.user
            )
            obj.pk, obj.path, obj.depth = created.pk, created.path, created.depth


class RoleListFilter(admin.SimpleListFilter):
    """The group filter with the roles' translated names instead of raw group names."""

    title = _("role")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return Role.choices

    def queryset(self, request, queryset):
        if self.value() in Role.values:
            return queryset.filter(groups__name=self.value())
        return queryset


class RolesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class LmsUserCreationForm(AdminUserCreationForm):
    roles = RolesField(label=_("Roles"), choices=Role.choices, initial=[Role.LEARNER])

    class Meta:
        model = User
        fields = ["email", "full_name", "org_unit", "preferred_language"]


class LmsUserChangeForm(UserChangeForm):
    roles = RolesField(label=_("Roles"), choices=Role.choices, required=False)

    class Meta:
        model = User
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["roles"].initial = sorted(user_roles(self.instance))


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = LmsUserChangeForm
    add_form = LmsUserCreationForm
    ordering = ["email"]
    list_display = ["email", "full_name", "org_unit", "is_active", "role_names"]
    list_filter = ["is_active", RoleListFilter, "preferred_language"]
    actions = ["erase_people"]
    list_select_related = ["org_unit"]
    search_fields = ["email", "full_name", "employee_number"]
    autocomplete_fields = ["org_unit"]
    readonly_fields = ["last_login", "date_joined", "erased_at"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Person"),
            {"fields": ["full_name", "preferred_language", "org_unit", "employee_number"]},
        ),
        (_("Access"), {"fields": ["is_active", "roles"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined", "erased_at"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "email",
                    "full_name",
                    "org_unit",
                    "preferred_language",
                    "roles",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def get_search_results(self, request, queryset, search_term):
        """Django's search, plus the catalogue's rule: any Serbian script, with or without
        diacritics ("Đorđe" and "Djordje" find "Ђорђе")."""
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            found = found | selectors.users_matching(queryset, search_term)
        return found, may_have_duplicates

    @admin.display(description=_("roles"))
    def role_names(self, obj):
        labels = dict(Role.choices)
        return ", ".join(str(labels.get(g.name, g.name)) for g in obj.groups.all())

    def save_model(self, request, obj, form, change):
        services.user_save_by_admin(
            actor=request.user,
            user=obj,
            roles=form.cleaned_data.get("roles") or [],
            creating=not change,
        )

    def log_change(self, request, obj, message):
        # The admin's own password view saves the form itself; the audit record follows it.
        if message and any(
            "password" in entry.get("changed", {}).get("fields", [])
            for entry in message
            if isinstance(entry, dict)
        ):
            services.user_record_password_set_by_admin(actor=request.user, user=obj)
        return super().log_change(request, obj, message)

    @admin.action(description=_("Erase selected people (cannot be undone)"))
    def erase_people(self, request, queryset):
        """Ask for confirmation on a page of its own, then erase each person on their own: one
        refusal does not stop the others."""
        people = list(queryset.order_by("email"))
        if request.POST.get("confirm") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "title": _("Erase people"),
                "opts": self.model._meta,
                "people": people,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "action": "erase_people",
            }
            return TemplateResponse(request, "admin/accounts/user/erase_confirmation.html", context)
        erased = 0
        for person in people:
            try:
                services.user_erase(actor=request.user, user=person)
            except services.ErasureError as exc:
                self.message_user(request, f"{person.email}: {exc}", messages.ERROR)
            except Exception:
                # One person's failure (rolled back whole) must not stop the others.
                logger.exception("Erasing user %s failed", person.pk)
                self.message_user(
                    request,
                    _("%(email)s could not be erased; nothing was changed. See the server log.")
                    % {"email": person.email},
                    messages.ERROR,
                )
            else:
                erased += 1
        if erased:
            message = ngettext("Erased %(n)d person.", "Erased %(n)d people.", erased)
            self.message_user(request, message % {"n": erased}, messages.SUCCESS)
        return None

    def has_delete_permission(self, request, obj=None):
        # People are erased (pseudonymised), never deleted: their completions and the audit
        # log keep pointing at them.
        return False
