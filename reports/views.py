from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.access import reports_required
from cases.access_log import AccessLogEntry
from reports import indicators
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
    return render(request, "reports/index.html", {"form": form, "dashboard": dashboard})
