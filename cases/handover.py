"""Warm handover of a whole caseload to a colleague of the same team."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts.models import User
from cases.models import Trajectory


@transaction.atomic
def hand_over_caseload(*, source: User, to: User, by: User, note: str) -> list[Trajectory]:
    """Move every open trajectory of `source` to `to`; each gets the note on its timeline.

    Returns the trajectories that moved, for the summary shown to the user.
    Raises PermissionDenied, moving nothing, unless `by` may hand over the
    caseload of `source` (their own, or any colleague's as team coordinator).
    """
    if not by.may_hand_over_caseload_of(source):
        raise PermissionDenied("Only the team coordinator hands over a colleague's caseload.")
    trajectories = list(
        Trajectory.objects.open()
        .filter(caseworker=source, client__team_id=by.team_id)
        .select_related("client", "caseworker")
        .select_for_update(of=("self",))
        .order_by("client__last_name", "client__first_name")
    )
    for trajectory in trajectories:
        trajectory.hand_over(to=to, by=by, note=note)
    return trajectories
