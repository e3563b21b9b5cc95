"""The audit trail in admin: admins read the access log; nobody can change it (AL-2, AL-3).

Client dossiers are not in admin: functional admins maintain users and
reference data, and have no need to read case files.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from audit.models import AccessLogEntry


class UserFilter(admin.SimpleListFilter):
    """One user's lines, by user name typed in a box (AL-3).

    Not a list of users to click: that would read every user, or every distinct
    user of a log of tens of millions of lines, on each page. The filter is an
    index scan on (user, at).
    """

    title = _("user")
    parameter_name = "username"
    template = "admin/audit/user_filter.html"

    def lookups(self, request, model_admin):
        # A filter without lookups is not shown; the box needs none.
        return [("", "")]

    def choices(self, changelist):
        """The other filters in force, kept as hidden fields of the box's form."""
        yield {
            "query_parts": [
                (name, value)
                for name, values in changelist.get_filters_params().items()
                if name != self.parameter_name
                for value in values
            ],
        }

    def queryset(self, request, queryset):
        username = (self.value() or "").strip()
        return queryset.filter(user__username=username) if username else queryset


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "action", "client_ref", "what", "result", "ip_address"]
    list_filter = ["result", "action", UserFilter]
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
