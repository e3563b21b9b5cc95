"""A page refused for the user's role leaves a `denied` line, like another team's record.

`accounts.access.role_required` answers 404 by raising `RoleDenied`; `accounts` sits left
of `audit` and cannot write the line, so this middleware does, on the way out. The
answer stays the same 404. The line names the page and the number in its URL; the
client number is unknown without the record, which the view never looked up.
"""

from __future__ import annotations

from django.http import HttpRequest

from accounts.access import RoleDenied
from audit.models import AccessLogEntry


class RoleDeniedMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not isinstance(exception, RoleDenied) or not request.user.is_authenticated:
            return None
        match = request.resolver_match
        what = match.view_name if match else request.path
        if match and "pk" in match.kwargs:
            what = f"{what} {match.kwargs['pk']}"
        AccessLogEntry.write(
            request,
            action=AccessLogEntry.Action.VIEW
            if request.method in ("GET", "HEAD")
            else AccessLogEntry.Action.UPDATE,
            what=what,
            result=AccessLogEntry.Result.DENIED,
        )
        return None  # Django answers the 404 as before.
