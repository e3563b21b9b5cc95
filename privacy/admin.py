"""Privacy in admin: where a functional admin starts an inzageverzoek (find the young
person, open their access overview or download the export), and the verklaringen van
vernietiging. Nothing here can be added, changed or removed."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from audit.models import AccessLogEntry
from privacy.models import DestroyedTrajectory, DestructionStatement, SubjectAccessClient


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


@admin.register(SubjectAccessClient)
class SubjectAccessClientAdmin(admin.ModelAdmin):
    list_display = ["pk", "full_name", "date_of_birth", "team", "overview_link", "export_link"]
    list_display_links = None
    search_fields = ["=id", "first_name", "last_name"]
    search_help_text = _("Search by client number (exact), name, or an exact BSN.")
    list_select_related = ["team"]
    show_full_result_count = False
    ordering = ["last_name", "first_name", "pk"]

    @admin.display(description=_("name"), ordering="last_name")
    def full_name(self, obj):
        return obj.full_name

    @admin.display(description=_("access overview"))
    def overview_link(self, obj):
        url = reverse("privacy:access-overview", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Who has seen the file"))

    @admin.display(description=_("export"))
    def export_link(self, obj):
        url = reverse("privacy:export", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Everything stored (zip)"))

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            results |= queryset.with_bsn(search_term.strip())
        return results, may_have_duplicates

    def changelist_view(self, request, extra_context=None):
        # The list names people: every view of it leaves one line, with the number of
        # people shown, as the caseload does; a search is a search line (AL-1).
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            shown = len(changelist.result_list)
            searched = bool(request.GET.get("q", "").strip())
            AccessLogEntry.write(
                request,
                action=AccessLogEntry.Action.SEARCH if searched else AccessLogEntry.Action.VIEW,
                what=f"admin subject access {'search' if searched else 'list'} ({shown} clients)",
            )
        return response

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_functional_admin

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
