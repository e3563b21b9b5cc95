from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import Municipality, Team, User


class TeamInline(admin.TabularInline):
    model = Team
    extra = 0


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "cbs_code"]
    search_fields = ["name", "cbs_code"]
    inlines = [TeamInline]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality"]
    list_filter = ["municipality"]
    search_fields = ["name"]
    list_select_related = ["municipality"]


@admin.register(User)
class RioUserAdmin(UserAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "role",
        "team",
        "is_team_coordinator",
        "municipality",
        "is_active",
    ]
    list_filter = ["role", "team", "is_team_coordinator", "municipality", "is_active"]
    list_select_related = ["team", "municipality"]
    fieldsets = (
        *UserAdmin.fieldsets,
        (_("Role and team"), {"fields": ("role", "team", "is_team_coordinator", "municipality")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        (
            _("Role and team"),
            {
                "fields": (
                    "first_name",
                    "last_name",
                    "email",
                    "role",
                    "team",
                    "is_team_coordinator",
                    "municipality",
                )
            },
        ),
    )
