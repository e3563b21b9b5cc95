"""One record for the user, or 404 that leaves a trace (AC-2, AL-1, AL-3).

Every `get_..._for_user_or_404` is a thin call to `get_for_user_or_404`: the
record is looked up in a queryset already scoped with `visible_to(user)`; a miss
answers 404 as before (existence is not disclosed) and writes one `denied` line
to the access log with the number of the client that was asked for, so probing
another team's dossiers leaves a trace.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from audit.models import AccessLogEntry


def get_for_user_or_404(
    request: HttpRequest,
    queryset: QuerySet,
    pk: int,
    *,
    what: str,
    client_of: str | None = "client_id",
):
    """The row `pk` of `queryset` (scoped to the user), or a `denied` line and Http404.

    `what` names the record in the line ("trajectory" gives "trajectory 45");
    `client_of` is the path from the model to its client's id ("pk" for a client,
    "trajectory__client_id" for a contact), looked up without scope on a miss, so
    the line holds the client number asked for, or None when there is no such row;
    None for records that belong to no single client (a bottleneck).
    """
    try:
        return queryset.get(pk=pk)
    except queryset.model.DoesNotExist:
        pass
    client_ref = None
    if client_of is not None:
        rows = queryset.model._base_manager.filter(pk=pk)
        client_ref = rows.values_list(client_of, flat=True).first()
    AccessLogEntry.write(
        request,
        action=AccessLogEntry.Action.VIEW
        if request.method in ("GET", "HEAD")
        else AccessLogEntry.Action.UPDATE,
        what=f"{what} {pk}",
        client_ref=client_ref,
        result=AccessLogEntry.Result.DENIED,
    )
    raise Http404


def get_trajectory_record_for_user_or_404(
    request: HttpRequest, model, pk: int, *, what: str, related=()
):
    """A record hanging off a trajectory of the user's team (`model.objects.visible_to`),
    with its trajectory and client loaded; anyone else gets 404 and the refusal is
    logged with the client asked for."""
    return get_for_user_or_404(
        request,
        model.objects.visible_to(request.user).select_related("trajectory__client", *related),
        pk,
        what=what,
        client_of="trajectory__client_id",
    )
