"""Registering a young person, and starting again after a new detention."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from cases.dossier import trajectory_changed
from cases.models import Client, TimelineEvent, Trajectory


@transaction.atomic
def register_client(*, client: Client, trajectory: Trajectory, situation: str, by: User) -> Client:
    """Save a new client with their first trajectory, all or nothing (RF-5)."""
    client.team_id = by.team_id
    client.created_by = by
    client.save()
    trajectory.client = client
    trajectory.status = situation
    trajectory.save()
    TimelineEvent.record(
        trajectory=trajectory,
        kind=TimelineEvent.Kind.STATUS,
        by=by,
        title=_("Registered: %(status)s") % {"status": trajectory.get_status_display()},
    )
    trajectory_changed(trajectory, by=by)
    return client


@transaction.atomic
def start_new_trajectory(
    *, client: Client, trajectory: Trajectory, situation: str, by: User
) -> Trajectory:
    """Start a new trajectory, closing the open one with "new detention" first.

    Used after re-detention: the old trajectory keeps its history, the new
    one starts from the new detention.
    """
    current = Trajectory.objects.select_for_update().filter(client=client).open().first()
    if current is not None:
        current.close(
            on=max(trajectory.started_on, current.started_on),
            reason=Trajectory.EndReason.NEW_DETENTION,
            by=by,
            note=_("A new trajectory was started."),
        )
    trajectory.client = client
    trajectory.status = situation
    trajectory.save()
    TimelineEvent.record(
        trajectory=trajectory,
        kind=TimelineEvent.Kind.STATUS,
        by=by,
        title=_("New trajectory: %(status)s") % {"status": trajectory.get_status_display()},
    )
    trajectory_changed(trajectory, by=by)
    return trajectory
