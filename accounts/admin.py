import allauth.mfa.admin  # noqa: F401 (registers the authenticator admin, removed below)
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Municipality, Team, User
from accounts.notices import send_account_change_notice

# No admin for someone's TOTP: deleting it there would be an unrecorded, unmailed
# step into their account. A lost phone: an admin sets a new password (mailed,
# recorded), after which a TOTP from before no longer counts and the user sets up
# a new one themselves (User.password_set_by).
admin.site.unregister(Authenticator)


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

    # Changes that would let an admin step into someone else's account are told
    # to its owner (accounts/notices.py); the change history records them anyway.
    # A changed e-mail address is told to the old address too, so the notices of a
    # later password reset cannot be steered to an address the admin chose.
    NOTIFIED_FIELDS = ("role", "team", "email")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        notified = [name for name in self.NOTIFIED_FIELDS if name in form.changed_data]
        if change and obj.pk != request.user.pk and notified:
            old_email = form.initial.get("email") if "email" in notified else None
            send_account_change_notice(
                user=obj, changes=notified, at=timezone.now(), also_to=old_email
            )

    def user_change_password(self, request, id, form_url=""):
        before = User.objects.filter(pk=id).values_list("password", flat=True).first()
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and str(request.user.pk) != str(id):
            user = User.objects.filter(pk=id).first()
            if user is not None and user.password != before:
                user.password_set_by(request.user)
        return response
