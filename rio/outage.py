"""What a request gets while the database cannot be reached: the styled 503 page.

A restarted or unreachable PostgreSQL shows up as `OperationalError` (connection
refused, connection terminated, a query cancelled) or `InterfaceError` (a
connection already closed) wherever a request first touches the database: in
the session or authentication middleware as often as in a view. Django turns
every uncaught exception, wherever it is raised, into the response of the 500
handler, so that handler is where it is recognised: such a request gets "503
Service Unavailable" with `Retry-After` instead of "500 Something went wrong".

Nothing here needs the database: the page is rendered without a request
context (no user, no session, no navigation), like the 500 page. Recovery needs
nothing either: a failed connection is dropped at the end of the request
(and a kept one is health-checked before the next request uses it, settings
`CONN_HEALTH_CHECKS`), so the first request after the database is back is
served as usual, without restarting the app.
"""

from __future__ import annotations

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import server_error as django_server_error

UNAVAILABLE = (OperationalError, InterfaceError)


def is_database_unavailable(exc: BaseException | None) -> bool:
    """True when `exc`, or an exception it was raised from, says the database is unusable."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, UNAVAILABLE):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def service_unavailable() -> HttpResponse:
    """The styled 503 page; renders without a request, a user or the database."""
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(settings.RIO_UNAVAILABLE_RETRY_AFTER)
    return response


@requires_csrf_token
def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponseServerError:
    """The 500 handler (`rio.urls.handler500`): 503 when the database is the cause."""
    if is_database_unavailable(sys.exc_info()[1]):
        return service_unavailable()
    return django_server_error(request, template_name)
