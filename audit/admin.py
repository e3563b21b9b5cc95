"""The audit trail in admin: admins read the access log; nobody can change it (AL-2, AL-3).

Client dossiers are not in admin: functional admins maintain users and
reference data, and have no need to read case files.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from audit.models import AccessLogEntry


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "action", "client_ref", "what", "result", "ip_address"]
    list_filter = ["action", "result", ("user", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["=client_ref", "user__username", "user__last_name"]
    search_help_text = _("Search by client number (exact) or by user name.")
    date_hierarchy = "at"
    list_select_related = ["user"]
    # No COUNT(*) over the whole log on every page (tens of millions of lines).
    show_full_result_count = False
    ordering = ["-at", "-pk"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
