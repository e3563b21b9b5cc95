"""The audit trail in admin: admins read the access log and one client's change history;
nobody can change either (AL-2, AL-3).

Client dossiers are not in admin: functional admins maintain users and
reference data, and have no need to read case files. The change history of one
client is reached by the client's number (from the access log, or typed).
"""

import datetime

from axes.helpers import get_client_ip_address
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from audit.history import changes, client_events, record_label
from audit.models import AccessLogEntry
from rio.dates import PlausibleDatesMixin

# Changes per page of a client's history.
HISTORY_PAGE_SIZE = 50


class HistoryFilterForm(PlausibleDatesMixin, forms.Form):
    # Typed, as in the log's user filter: a list would read every user of the country.
    username = forms.CharField(label=_("User name"), required=False, max_length=150)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    page = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)

    def clean_username(self) -> User | None:
        username = self.cleaned_data["username"].strip()
        if not username:
            return None
        user = User.objects.filter(username=username).first()
        if user is None:
            raise ValidationError(_("There is no user with this user name."))
        return user

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise ValidationError({"date_to": _("The end of the period is before its start.")})
        return data


def start_of(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of `day`, Dutch time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


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
    list_display = ["at", "user", "action", "client", "what", "result", "ip_address"]
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

    @admin.display(description=_("client number"), ordering="client_ref")
    def client(self, entry):
        """The client's number, linking to their change history."""
        if entry.client_ref is None:
            return "—"
        url = reverse("admin:audit_client_history", args=[entry.client_ref])
        return format_html('<a href="{}">{}</a>', url, entry.client_ref)

    def get_urls(self):
        history = self.admin_site.admin_view(self.client_history)
        return [
            path("history/<int:client_ref>/", history, name="audit_client_history"),
            *super().get_urls(),
        ]

    def client_history(self, request, client_ref: int):
        """Every change to one client's records, newest first, filtered by user and
        period, a page at a time (no count over the history: one query a page)."""
        form = HistoryFilterForm(request.GET or None)
        events = client_events(client_ref)
        page = 1
        if form.is_valid():
            data = form.cleaned_data
            if data["username"]:
                events = events.filter(pgh_context__user=data["username"].pk)
            if data["date_from"]:
                events = events.filter(pgh_created_at__gte=start_of(data["date_from"]))
            if data["date_to"]:
                next_day = data["date_to"] + datetime.timedelta(days=1)
                events = events.filter(pgh_created_at__lt=start_of(next_day))
            page = data["page"] or 1
        elif form.is_bound:
            events = events.none()
        start = (page - 1) * HISTORY_PAGE_SIZE
        # One more than a page tells whether there is a next one, without a count.
        found = list(events[start : start + HISTORY_PAGE_SIZE + 1])
        users = User.objects.in_bulk(
            {e.pgh_context.get("user") for e in found if e.pgh_context} - {None}
        )
        rows = [
            {
                "event": event,
                "record": record_label(event),
                "user": users.get((event.pgh_context or {}).get("user")),
                "ip": (event.pgh_context or {}).get("ip"),
                "changes": changes(event),
            }
            for event in found[:HISTORY_PAGE_SIZE]
        ]
        query = request.GET.copy()
        query.pop("page", None)
        AccessLogEntry.objects.create(
            user=request.user,
            action=AccessLogEntry.Action.VIEW,
            client_ref=client_ref,
            what="change history",
            ip_address=get_client_ip_address(request),
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Change history of client %(number)s") % {"number": client_ref},
            "client_ref": client_ref,
            "form": form,
            "rows": rows,
            "page": page,
            "has_next": len(found) > HISTORY_PAGE_SIZE,
            "query": query.urlencode(),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/audit/client_history.html", context)
