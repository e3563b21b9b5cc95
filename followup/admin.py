"""Admins can see what the sweep did; case data itself is not edited here."""

from django.contrib import admin

from followup.models import DigestLog


@admin.register(DigestLog)
class DigestLogAdmin(admin.ModelAdmin):
    list_display = ["day", "user", "count", "sent_at"]
    list_filter = ["day"]
    date_hierarchy = "day"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
