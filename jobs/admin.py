from django.contrib import admin

from .models import BackgroundJob


@admin.register(BackgroundJob)
class BackgroundJobAdmin(admin.ModelAdmin):
    list_display = ["public_id", "kind", "requester", "status", "progress", "total", "created_at"]
    list_filter = ["kind", "status"]
    readonly_fields = [f.name for f in BackgroundJob._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
