"""Admins keep the descriptions of the self-sufficiency levels here.

Assessments, goals and checklists are case data and stay out of admin.
"""

from django.contrib import admin

from lifedomains.models import LevelDescription


@admin.register(LevelDescription)
class LevelDescriptionAdmin(admin.ModelAdmin):
    list_display = ["domain", "level", "description"]
    list_filter = ["domain"]
    list_editable = ["description"]
    ordering = ["domain", "level"]

    def has_add_permission(self, request) -> bool:
        # All 25 exist from the first migration; admins reword, not add.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
