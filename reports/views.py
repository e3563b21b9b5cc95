from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.access import manager_required


@require_GET
@manager_required
def index(request: HttpRequest) -> HttpResponse:
    """The manager's start page: aggregates for their municipality only."""
    return render(request, "reports/index.html", {"municipality": request.user.municipality})
