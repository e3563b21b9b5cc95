"""The daily sweep: turn what is due into notifications for the caseworker.

Every rule is one set-based query that yields the candidate rows not yet
notified (NOT EXISTS on the notification's unique key, so a night with nothing
new due sends nothing to the database); they are inserted with ON CONFLICT DO
NOTHING on that key, so running the sweep twice, or on two workers at once,
creates each reminder once (RF-2), and a sweep that crashed half-way is
completed by the next one.

The work is split into chunks of open trajectories by id (`chunks`, of
`RIO_SWEEP_CHUNK_SIZE`); each chunk (`sweep_chunk`) re-plans only its stale
schedules (`followup.schedule.stale`: the others are kept current when a
trajectory is written), then runs the rules, in a fixed number of queries. The
nightly task fans the chunks out as Celery tasks, each with its own time limit,
so one slow or failing chunk never costs the others their reminders;
`manage.py run_followup` runs the same chunks in-process.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Exists, F, Func, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from cases.models import Trajectory
from followup.models import FollowUpMoment, FollowUpSchedule, Notification
from followup.schedule import stale, sync_schedules
from lifedomains.models import Action, release_warning
from partners.models import SharingBasis

logger = logging.getLogger(__name__)

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


@dataclass(frozen=True)
class Scope:
    """The trajectories one sweep looks at: a range of ids (a chunk), or a list."""

    first: int | None = None
    last: int | None = None
    ids: tuple[int, ...] | None = None

    def on(self, queryset: models.QuerySet, path: str = "pk") -> models.QuerySet:
        """`queryset` narrowed to this scope through `path`, the trajectory's id, on its
        own column too so the planner can start from an index on it."""
        if self.ids is not None:
            return queryset.filter(**{f"{path}__in": self.ids})
        return queryset.filter(**{f"{path}__range": (self.first, self.last)})

    def trajectories(self):
        """The open trajectories of the scope whose caseworker still works here."""
        return self.on(Trajectory.objects.open().filter(caseworker__is_active=True))


def not_notified(scope: Scope, kind: str, *, trajectory: str, ref, due_on) -> Q:
    """The candidate has no notification yet: NOT EXISTS on the unique key
    (`notification_once`), so only new candidates reach the INSERT. Bounded by the
    scope too, so whichever plan PostgreSQL picks reads only the chunk's part of it."""
    notified = scope.on(Notification.objects.all(), "trajectory__pk").filter(
        trajectory_id=OuterRef(trajectory), kind=kind, ref=ref, due_on=due_on
    )
    return ~Q(Exists(notified))


def caseworker_of(trajectory: str) -> Subquery:
    """The caseworker of the trajectory `trajectory` (an outer id), looked up by primary
    key for each candidate: a join would let the planner hash every trajectory."""
    return Subquery(
        Trajectory.objects.filter(pk=OuterRef(trajectory)).order_by().values("caseworker_id")
    )


class DaysAfter(Func):
    """`day` plus a number of days, a date, in SQL (PostgreSQL's date + integer)."""

    template = "(%(expressions)s)"
    arg_joiner = " + "
    output_field = models.DateField()

    def __init__(self, day, days: int):
        super().__init__(day, Value(days))


class YearsAfter(Func):
    """`day` plus whole years, a date; 29 February gives 28 February, as relativedelta."""

    template = "(%(expressions)s + make_interval(years => %(years)s))::date"
    output_field = models.DateField()

    def __init__(self, day, years: int):
        super().__init__(day, years=int(years))


def moments_due(today: datetime.date, scope: Scope) -> Iterator[Candidate]:
    rows = (
        scope.on(
            FollowUpMoment.objects.due_for_followup(today, scope.trajectories()), "trajectory__pk"
        )
        .filter(
            not_notified(
                scope,
                Kind.MOMENT_DUE,
                trajectory="trajectory_id",
                ref=OuterRef("pk"),
                due_on=OuterRef("due_on"),
            ),
        )
        .annotate(recipient=caseworker_of("trajectory_id"))
        .order_by()
        .values_list("trajectory_id", "recipient", "pk", "due_on")
    )
    for trajectory_id, recipient_id, pk, due_on in rows:
        yield Candidate(trajectory_id, recipient_id, Kind.MOMENT_DUE, pk, due_on, moment_id=pk)


def release_readiness(today: datetime.date, scope: Scope) -> Iterator[Candidate]:
    rows = (
        release_warning(scope.trajectories(), today)
        .filter(
            not_notified(
                scope,
                Kind.RELEASE_READINESS,
                trajectory="pk",
                ref=0,
                due_on=OuterRef("expected_release"),
            )
        )
        .order_by()
        .values_list("pk", "caseworker_id", "expected_release")
    )
    for pk, recipient_id, release in rows:
        yield Candidate(pk, recipient_id, Kind.RELEASE_READINESS, 0, release)


def actions_overdue(today: datetime.date, scope: Scope) -> Iterator[Candidate]:
    rows = (
        scope.on(Action.objects.overdue(today), "goal__trajectory__pk")
        .filter(
            not_notified(
                scope,
                Kind.ACTION_OVERDUE,
                trajectory="goal__trajectory_id",
                ref=OuterRef("pk"),
                due_on=OuterRef("due_date"),
            ),
            goal__trajectory__in=scope.trajectories(),
        )
        .annotate(recipient=caseworker_of("goal__trajectory_id"))
        .order_by()
        .values_list("goal__trajectory_id", "recipient", "pk", "due_date")
    )
    for trajectory_id, recipient_id, pk, due in rows:
        yield Candidate(trajectory_id, recipient_id, Kind.ACTION_OVERDUE, pk, due, action_id=pk)


def no_contact(today: datetime.date, scope: Scope) -> Iterator[Candidate]:
    """No contact for N days since the last one (or since guidance began): due N days after,
    counted, as the rule counts, from the last contact or the start, whichever is later."""
    rows = (
        scope.trajectories()
        .out_of_contact(today)
        .with_last_contact()
        .annotate(
            reminder_due=DaysAfter(
                Greatest(Coalesce("last_contact", "started_on"), F("started_on")),
                settings.RIO_NO_CONTACT_WARNING_DAYS,
            )
        )
        .filter(
            not_notified(
                scope, Kind.NO_CONTACT, trajectory="pk", ref=0, due_on=OuterRef("reminder_due")
            )
        )
        .order_by()
        .values_list("pk", "caseworker_id", "reminder_due")
    )
    for pk, recipient_id, due in rows:
        yield Candidate(pk, recipient_id, Kind.NO_CONTACT, 0, due)


def bases_expiring(today: datetime.date, scope: Scope) -> Iterator[Candidate]:
    rows = (
        scope.on(SharingBasis.objects.expiring(today), "trajectory__pk")
        .filter(
            not_notified(
                scope,
                Kind.BASIS_EXPIRING,
                trajectory="trajectory_id",
                ref=OuterRef("pk"),
                due_on=OuterRef("valid_until"),
            ),
            trajectory__in=scope.trajectories(),
        )
        .annotate(recipient=caseworker_of("trajectory_id"))
        .order_by()
        .values_list("trajectory_id", "recipient", "pk", "valid_until")
    )
    for trajectory_id, recipient_id, pk, until in rows:
        yield Candidate(trajectory_id, recipient_id, Kind.BASIS_EXPIRING, pk, until, basis_id=pk)


def end_reached(today: datetime.date, scope: Scope) -> Iterator[Candidate]:
    """Two years after the release (a release on 29 February ends on 28 February)."""
    rows = (
        scope.trajectories()
        .annotate(end=YearsAfter(F("actual_release"), FOLLOW_UP_YEARS))
        .filter(
            not_notified(scope, Kind.END_REACHED, trajectory="pk", ref=0, due_on=OuterRef("end")),
            end__lte=today,
        )
        .order_by()
        .values_list("pk", "caseworker_id", "end")
    )
    for pk, recipient_id, end in rows:
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
    """Insert the candidates; returns how many were created. ON CONFLICT DO NOTHING still
    guards the key against a second sweep running at the same moment."""
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


def chunks(size: int | None = None) -> list[tuple[int, int]]:
    """The open trajectories' ids in ranges of `size` (`RIO_SWEEP_CHUNK_SIZE`): the first
    and last id of each. A trajectory opened after this is swept when it is written."""
    size = size or settings.RIO_SWEEP_CHUNK_SIZE
    ids = list(Trajectory.objects.open().order_by("pk").values_list("pk", flat=True))
    return [
        (ids[start], ids[min(start + size, len(ids)) - 1]) for start in range(0, len(ids), size)
    ]


def _sweep(today: datetime.date, scope: Scope) -> int:
    # The stale schedules first, so a moment's due date is current before reminding.
    outdated = stale(
        scope.on(Trajectory.objects.all()),
        schedules=scope.on(FollowUpSchedule.objects.all(), "trajectory__pk"),
    )
    if outdated := list(outdated.order_by().values_list("pk", flat=True)):
        sync_schedules(outdated)
    with transaction.atomic():
        return create_notifications(candidate for rule in RULES for candidate in rule(today, scope))


def sweep_chunk(*, first_id: int, last_id: int, today: datetime.date | None = None) -> int:
    """One chunk: the open trajectories with ids from `first_id` to `last_id`. Returns how
    many notifications were created; safe to run any number of times, at once too."""
    return _sweep(today or timezone.localdate(), Scope(first=first_id, last=last_id))


def sweep(*, today: datetime.date | None = None, trajectory_ids: list[int] | None = None) -> int:
    """The trajectories `trajectory_ids`, or every open one chunk by chunk, in-process.

    Returns how many notifications were created. A chunk that fails is logged and the
    others still run; the first failure is raised at the end. Safe to run any number of
    times, at once or one after another.
    """
    today = today or timezone.localdate()
    if trajectory_ids is not None:
        return _sweep(today, Scope(ids=tuple(trajectory_ids)))
    created, failure = 0, None
    for first_id, last_id in chunks():
        try:
            created += sweep_chunk(first_id=first_id, last_id=last_id, today=today)
        except Exception as error:
            logger.exception("follow-up sweep: chunk %s-%s failed", first_id, last_id)
            failure = failure or error
    if failure is not None:
        raise failure
    return created
