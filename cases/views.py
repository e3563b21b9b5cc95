from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.access import caseworker_required


@require_GET
@caseworker_required
def caseload(request: HttpRequest) -> HttpResponse:
    """The caseworker's start page: their young people and the team's."""
    return render(request, "cases/caseload.html", {"team": request.user.team})
