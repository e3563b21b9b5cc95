"""The daily sweep: turn what is due into notifications for the caseworker.

Every rule is one set-based query that yields candidate rows; they are
inserted with ON CONFLICT DO NOTHING on the notification's unique key, so
running the sweep twice, or on two workers at once, creates each reminder
once (RF-2), and a sweep that crashed half-way is completed by the next one.
The number of queries does not depend on the number of trajectories.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from cases.models import Trajectory
from followup.models import FollowUpMoment, Notification
from followup.schedule import sync_schedules
from lifedomains.models import Action, release_warning
from partners.models import SharingBasis

Kind = Notification.Kind

FOLLOW_UP_YEARS = 2


class Candidate(NamedTuple):
    trajectory_id: int
    recipient_id: int
    kind: str
    ref: int
    due_on: datetime.date
    moment_id: int | None = None
    action_id: int | None = None
    basis_id: int | None = None


def _trajectories(ids: list[int] | None):
    trajectories = Trajectory.objects.open().filter(caseworker__is_active=True)
    return trajectories if ids is None else trajectories.filter(pk__in=ids)


def moments_due(today: datetime.date, ids: list[int] | None) -> Iterator[Candidate]:
    rows = (
        FollowUpMoment.objects.due_for_followup(today)
        .filter(trajectory__in=_trajectories(ids))
        .values_list("trajectory_id", "trajectory__caseworker_id", "pk", "due_on")
    )
    for trajectory_id, recipient_id, pk, due_on in rows:
        yield Candidate(trajectory_id, recipient_id, Kind.MOMENT_DUE, pk, due_on, moment_id=pk)


def release_readiness(today: datetime.date, ids: list[int] | None) -> Iterator[Candidate]:
    rows = release_warning(_trajectories(ids), today).values_list(
        "pk", "caseworker_id", "expected_release"
    )
    for pk, recipient_id, release in rows:
        yield Candidate(pk, recipient_id, Kind.RELEASE_READINESS, 0, release)


def actions_overdue(today: datetime.date, ids: list[int] | None) -> Iterator[Candidate]:
    rows = (
        Action.objects.overdue(today)
        .filter(goal__trajectory__in=_trajectories(ids))
        .values_list("goal__trajectory_id", "goal__trajectory__caseworker_id", "pk", "due_date")
    )
    for trajectory_id, recipient_id, pk, due in rows:
        yield Candidate(trajectory_id, recipient_id, Kind.ACTION_OVERDUE, pk, due, action_id=pk)


def no_contact(today: datetime.date, ids: list[int] | None) -> Iterator[Candidate]:
    """No contact for N days since the last one (or since guidance began): due N days after."""
    days = datetime.timedelta(days=settings.RIO_NO_CONTACT_WARNING_DAYS)
    rows = (
        _trajectories(ids)
        .out_of_contact(today)
        .with_last_contact()
        .values_list("pk", "caseworker_id", "last_contact", "started_on")
    )
    for pk, recipient_id, last_contact, started_on in rows:
        # Counted, as the rule counts, from the last contact or the start, whichever is later.
        since = max(last_contact or started_on, started_on)
        yield Candidate(pk, recipient_id, Kind.NO_CONTACT, 0, since + days)


def bases_expiring(today: datetime.date, ids: list[int] | None) -> Iterator[Candidate]:
    rows = (
        SharingBasis.objects.expiring(today)
        .filter(trajectory__in=_trajectories(ids))
        .values_list("trajectory_id", "trajectory__caseworker_id", "pk", "valid_until")
    )
    for trajectory_id, recipient_id, pk, until in rows:
        yield Candidate(trajectory_id, recipient_id, Kind.BASIS_EXPIRING, pk, until, basis_id=pk)


def end_reached(today: datetime.date, ids: list[int] | None) -> Iterator[Candidate]:
    # One day of slack for a release on 29 February, whose two years end on
    # 28 February; the exact check is below.
    latest = today - relativedelta(years=FOLLOW_UP_YEARS) + datetime.timedelta(days=1)
    rows = (
        _trajectories(ids)
        .filter(actual_release__lte=latest)
        .values_list("pk", "caseworker_id", "actual_release")
    )
    for pk, recipient_id, released in rows:
        end = released + relativedelta(years=FOLLOW_UP_YEARS)
        if end <= today:
            yield Candidate(pk, recipient_id, Kind.END_REACHED, 0, end)


RULES = (moments_due, release_readiness, actions_overdue, no_contact, bases_expiring, end_reached)

INSERT = """
    INSERT INTO followup_notification
        (trajectory_id, recipient_id, kind, ref, due_on, moment_id, action_id, basis_id,
         created_at)
    VALUES {rows}
    ON CONFLICT (trajectory_id, kind, ref, due_on) DO NOTHING
    RETURNING id
"""
INSERT_BATCH = 1000


def create_notifications(candidates: Iterable[Candidate]) -> int:
    """Insert the candidates that are new; returns how many were created."""
    now = timezone.now()
    rows = [(*candidate, now) for candidate in candidates]
    created = 0
    with connection.cursor() as cursor:
        for offset in range(0, len(rows), INSERT_BATCH):
            batch = rows[offset : offset + INSERT_BATCH]
            placeholders = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s)"] * len(batch))
            cursor.execute(
                INSERT.format(rows=placeholders), [value for row in batch for value in row]
            )
            created += len(cursor.fetchall())
    return created


def sweep(*, today: datetime.date | None = None, trajectory_ids: list[int] | None = None) -> int:
    """Keep schedules current, then create the notifications that are due.

    Returns how many notifications were created. Safe to run any number of
    times, at once or one after another.
    """
    today = today or timezone.localdate()
    # The schedules first, so a moment's due date is current before reminding.
    sync_schedules(
        trajectory_ids
        if trajectory_ids is not None
        else Trajectory.objects.open().values_list("pk", flat=True)
    )
    with transaction.atomic():
        return create_notifications(
            candidate for rule in RULES for candidate in rule(today, trajectory_ids)
        )
