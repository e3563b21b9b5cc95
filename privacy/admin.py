"""The verklaringen van vernietiging in admin: admins read them; nobody can change them."""

from django.contrib import admin

from privacy.models import DestroyedTrajectory, DestructionStatement


class ReadOnly:
    """Read only in admin, as the database keeps it (append-only)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class DestroyedTrajectoryInline(ReadOnly, admin.TabularInline):
    model = DestroyedTrajectory
    fields = ["client_ref", "trajectory_ref", "started_on", "ended_on", "rule"]
    readonly_fields = fields
    extra = 0


@admin.register(DestructionStatement)
class DestructionStatementAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["at", "day", "started_by", "retention_years", "no_guidance_months"]
    list_filter = ["started_by"]
    date_hierarchy = "at"
    readonly_fields = ["at", "day", "started_by", "retention_years", "no_guidance_months"]
    inlines = [DestroyedTrajectoryInline]


@admin.register(DestroyedTrajectory)
class DestroyedTrajectoryAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["client_ref", "trajectory_ref", "started_on", "ended_on", "rule", "statement"]
    list_filter = ["rule"]
    search_fields = ["=client_ref", "=trajectory_ref"]
    list_select_related = ["statement"]
