from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from accounts.access import functional_admin_required, reports_required
from audit.models import AccessLogEntry
from reports import exports, indicators, research
from reports.forms import ReportFilterForm


@require_GET
@reports_required
def index(request: HttpRequest) -> HttpResponse:
    """The managers' dashboard: a manager sees their own municipality, an admin any or all.

    Aggregates only, suppressed below 5 (AC-4); a fixed number of queries whatever
    the amount of data (`tests/reports/test_dashboard.py`).
    """
    form = ReportFilterForm(request.GET, user=request.user)
    dashboard = None
    if form.is_valid():
        dashboard = indicators.dashboard(form.cleaned_data["scope"], form.cleaned_data["period"])
    AccessLogEntry.write(request, action=AccessLogEntry.Action.VIEW, what="dashboard")
    context = {"form": form, "dashboard": dashboard, "export_query": request.GET.urlencode()}
    return render(request, "reports/index.html", context)


def with_errors(request: HttpRequest, form: ReportFilterForm) -> HttpResponse:
    """A download asked with a wrong filter: the dashboard's form with its Dutch errors."""
    context = {"form": form, "dashboard": None, "export_query": ""}
    return render(request, "reports/index.html", context, status=400)


@require_GET
@reports_required
def table_export(request: HttpRequest, key: str, extension: str) -> HttpResponse:
    """One table of the dashboard as CSV or XLSX, for the same filter as the page."""
    form = ReportFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        return with_errors(request, form)
    dashboard = indicators.dashboard(form.cleaned_data["scope"], form.cleaned_data["period"])
    table = dashboard.table(key)
    if table is None:
        raise Http404
    AccessLogEntry.write(
        request, action=AccessLogEntry.Action.EXPORT, what=f"dashboard export {key} {extension}"
    )
    return exports.table_response(dashboard, table, extension)


@require_GET
@reports_required
def dashboard_export(request: HttpRequest) -> HttpResponse:
    """Every table of the dashboard in one XLSX, a sheet per table."""
    form = ReportFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        return with_errors(request, form)
    dashboard = indicators.dashboard(form.cleaned_data["scope"], form.cleaned_data["period"])
    AccessLogEntry.write(
        request, action=AccessLogEntry.Action.EXPORT, what="dashboard export all xlsx"
    )
    return exports.dashboard_response(dashboard)


@require_GET
@functional_admin_required
def research_export(request: HttpRequest, extension: str) -> HttpResponse:
    """One pseudonymised row per trajectory for researchers (`reports.research`).

    Functional admins only; every export is logged with its number of rows.
    """
    form = ReportFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        return with_errors(request, form)
    scope, period = form.cleaned_data["scope"], form.cleaned_data["period"]
    count, rows = research.rows(scope, period)
    AccessLogEntry.write(
        request,
        action=AccessLogEntry.Action.EXPORT,
        what=f"research export {extension}, {count} rows",
    )
    name = exports.file_name(scope, period, "onderzoek", extension)
    if extension == "xlsx":
        about = research.about(scope, period, count, timezone.now())
        sheets = [exports.Sheet("data", rows), exports.Sheet("about", about)]
        return exports.download(exports.xlsx_bytes(sheets), exports.XLSX_TYPE, name)
    return StreamingHttpResponse(
        exports.csv_lines(rows),
        content_type=exports.CSV_TYPE,
        headers={"Content-Disposition": content_disposition_header(True, name)},
    )
