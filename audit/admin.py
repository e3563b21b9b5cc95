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
from django.contrib.admin.views.main import PAGE_VAR, ChangeList
from django.core.exceptions import ValidationError
from django.db.models import Subquery
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


class PeriodForm(PlausibleDatesMixin, forms.Form):
    """From and until which day (both included), either or both left open."""

    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise ValidationError({"date_to": _("The end of the period is before its start.")})
        return data


class HistoryFilterForm(PeriodForm):
    # Typed, as in the log's user filter: a list would read every user of the country.
    username = forms.CharField(label=_("User name"), required=False, max_length=150)
    page = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)

    field_order = ["username", "date_from", "date_to"]

    def clean_username(self) -> User | None:
        username = self.cleaned_data["username"].strip()
        if not username:
            return None
        user = User.objects.filter(username=username).first()
        if user is None:
            raise ValidationError(_("There is no user with this user name."))
        return user


def start_of(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of `day`, Dutch time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def in_period(queryset, field: str, date_from, date_to):
    """The rows whose `field` (a moment) falls on `date_from` .. `date_to`, Dutch days,
    as a range on the field itself so that an index on it serves the filter."""
    if date_from:
        queryset = queryset.filter(**{f"{field}__gte": start_of(date_from)})
    if date_to:
        queryset = queryset.filter(
            **{f"{field}__lt": start_of(date_to + datetime.timedelta(days=1))}
        )
    return queryset


def other_filters(changelist, own: list[str]) -> list[tuple[str, str]]:
    """The filters in force except `own`, as (name, value) pairs: the hidden fields
    that keep them when a filter's box is submitted."""
    return [
        (name, value)
        for name, values in changelist.get_filters_params().items()
        if name not in own
        for value in values
    ]


class TypedFilter(admin.SimpleListFilter):
    """A filter that is a box to type in, not a list to click.

    A list of choices would read every user, or every distinct value of a log of
    tens of millions of lines, on each page. Each box filters by equality on the
    leading column of an index, so the page stays an index scan.
    """

    template = "admin/audit/typed_filter.html"
    # The box's label and the `type` of its input.
    label = ""
    input_type = "search"

    def lookups(self, request, model_admin):
        # A filter without lookups is not shown; the box needs none.
        return [("", "")]

    def typed(self) -> str:
        return (self.value() or "").strip()

    def error(self) -> str:
        """Why the typed value cannot be used, shown next to the box; "" when it can."""
        return ""

    def choices(self, changelist):
        yield {"query_parts": other_filters(changelist, [self.parameter_name])}


class UserFilter(TypedFilter):
    """One user's lines, by user name typed in a box (AL-3): an index scan on (user, at)."""

    title = _("user")
    label = _("User name")
    parameter_name = "username"

    def queryset(self, request, queryset):
        username = self.typed()
        if not username:
            return queryset
        # The user's id first (an InitPlan), so the planner walks (user, at) from the
        # newest line and stops after a page; a join or IN would read all the
        # user's lines and sort them.
        return queryset.filter(
            user=Subquery(User.objects.filter(username=username).order_by().values("pk")[:1])
        )


class ClientNumberForm(forms.Form):
    client = forms.IntegerField(min_value=0, max_value=2**63 - 1)


class ClientNumberFilter(TypedFilter):
    """One client's lines, by the exact client number: an index scan on (client_ref, at)."""

    title = _("client number")
    label = _("Client number")
    parameter_name = "client"
    input_type = "text"

    def number_form(self) -> ClientNumberForm:
        return ClientNumberForm({"client": self.typed()})

    def error(self) -> str:
        form = self.number_form()
        if not self.typed() or form.is_valid():
            return ""
        return " ".join(form.errors["client"])

    def queryset(self, request, queryset):
        if not self.typed():
            return queryset
        form = self.number_form()
        if not form.is_valid():
            return queryset.none()
        return queryset.filter(client_ref=form.cleaned_data["client"])


class PeriodFilter(admin.ListFilter):
    """The lines from one day until another (both included): a range on `at`, which
    each of the log's indexes holds after its first column."""

    title = _("period")
    template = "admin/audit/period_filter.html"
    fields = ("date_from", "date_to")

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        for name in self.fields:
            if name in params:
                self.used_parameters[name] = params.pop(name)[-1]
        self.form = PeriodForm(self.used_parameters or None, auto_id="filter-%s")

    def has_output(self) -> bool:
        return True

    def expected_parameters(self) -> list[str]:
        return list(self.fields)

    def choices(self, changelist):
        yield {"query_parts": other_filters(changelist, list(self.fields))}

    def queryset(self, request, queryset):
        if not self.form.is_bound:
            return queryset
        if not self.form.is_valid():
            return queryset.none()
        data = self.form.cleaned_data
        return in_period(queryset, "at", data["date_from"], data["date_to"])


# The deepest page the list goes to; a search further back narrows the filters instead.
MAX_LOG_PAGE = 10_000


class LogChangeList(ChangeList):
    """The access log's list a page at a time without counting it.

    Django's list counts the filtered lines for its numbered pages, a scan of the
    whole log when nothing narrows it (tens of millions of lines). This list reads
    one line more than a page instead, which tells whether an older page exists,
    and links to the newer and the older page. It is always newest first: a sort
    by another column would sort the whole log.
    """

    def get_ordering(self, request, queryset):
        return ["-at", "-pk"]

    def get_results(self, request):
        self.page_num = min(max(self.page_num, 1), MAX_LOG_PAGE)
        start = (self.page_num - 1) * self.list_per_page
        found = list(self.queryset[start : start + self.list_per_page + 1])
        self.result_list = found[: self.list_per_page]
        self.has_next = len(found) > self.list_per_page and self.page_num < MAX_LOG_PAGE
        self.result_count = len(self.result_list)
        self.full_result_count = None
        self.show_full_result_count = False
        self.show_admin_actions = False
        self.can_show_all = False
        # Django's numbered pages need the count; the list's own template links
        # to the newer and the older page.
        self.multi_page = False
        self.paginator = None

    def newer_url(self) -> str:
        return self.get_query_string({PAGE_VAR: self.page_num - 1})

    def older_url(self) -> str:
        return self.get_query_string({PAGE_VAR: self.page_num + 1})


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    """AL-3: the access log by client number, user, period, result and action.

    Every way in is an index scan in the order shown, whatever the size of the
    log: no `date_hierarchy` (a scan and sort of the whole log for its dates), no
    filter listing distinct values, no counts (`LogChangeList`), no facets.
    """

    list_display = ["at", "user", "action", "client", "what", "result", "ip_address"]
    list_filter = [ClientNumberFilter, UserFilter, PeriodFilter, "result", "action"]
    list_select_related = ["user"]
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    sortable_by = ()
    ordering = ["-at", "-pk"]

    def get_changelist(self, request, **kwargs):
        return LogChangeList

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("client number"))
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
            events = in_period(events, "pgh_created_at", data["date_from"], data["date_to"])
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
