from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Send each role to its own start page."""
    user = request.user
    if user.is_caseworker:
        return redirect("cases:caseload")
    if user.is_manager:
        return redirect("reports:index")
    return redirect("admin:index")
