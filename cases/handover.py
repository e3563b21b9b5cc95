"""Warm handover of a whole caseload to a colleague of the same team."""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from cases.models import Trajectory


@transaction.atomic
def hand_over_caseload(*, source: User, to: User, by: User, note: str) -> list[Trajectory]:
    """Move every open trajectory of `source` to `to`; each gets the note on its timeline.

    Returns the trajectories that moved, for the summary shown to the user.
    """
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
