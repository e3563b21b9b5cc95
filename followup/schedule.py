"""The two-year follow-up schedule of a trajectory, computed from its dates.

`plan()` says which moments a trajectory should have and when, as a pure
function of its dates. `sync_schedules()` is the one place that brings the
stored moments in line with it: done moments stay done, open ones move,
obsolete ones are cancelled, missing ones are created, and a cancelled one
that is needed again is reopened, so nothing is ever duplicated. It works on
many trajectories at once in a fixed number of queries per chunk.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import holidays
from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from cases.models import TimelineEvent, Trajectory
from followup.models import FollowUpMoment, FollowUpSchedule, Notification

Kind = FollowUpMoment.Kind
Status = FollowUpMoment.Status

# Before release, from the release date.
BEFORE_RELEASE = (
    (Kind.RELEASE_MINUS_3M, relativedelta(months=-3)),
    (Kind.RELEASE_MINUS_1M, relativedelta(months=-1)),
    (Kind.RELEASE_MINUS_1W, relativedelta(weeks=-1)),
)
# From the release day on; the last one is the end evaluation.
FROM_RELEASE = (
    (Kind.RELEASE_DAY, relativedelta()),
    (Kind.AFTER_1W, relativedelta(weeks=1)),
    (Kind.AFTER_1M, relativedelta(months=1)),
    (Kind.AFTER_3M, relativedelta(months=3)),
    (Kind.AFTER_6M, relativedelta(months=6)),
    (Kind.AFTER_12M, relativedelta(months=12)),
    (Kind.AFTER_18M, relativedelta(months=18)),
    (Kind.AFTER_24M, relativedelta(months=24)),
)
# Without a known release date, monthly contacts are planned this far ahead
# of the start of detention; setting the date cancels those after it.
MONTHLY_WITHOUT_RELEASE = 24
# A monthly contact this close to a release-preparation moment is left out:
# that moment is the contact.
MONTHLY_MIN_GAP = datetime.timedelta(days=7)
CHUNK = 500

# Bump when `plan()` or `due_date()` change what they give for the same dates. The
# tables above and the holiday table (the `holidays` package's version) are part of the
# version by themselves. A trajectory planned by another version is stale: the nightly
# sweep plans it again (`followup.models.FollowUpSchedule`).
RULES_REVISION = 1

TRAJECTORY_FIELDS = (
    "pk",
    "status",
    "started_on",
    "detention_start",
    "expected_release",
    "actual_release",
    "version",
    "client_id",
    "caseworker_id",
)


def rules_version() -> str:
    """The version of the schedule rules: the revision, a digest of the tables, the
    holiday table's version."""
    tables = repr((BEFORE_RELEASE, FROM_RELEASE, MONTHLY_WITHOUT_RELEASE, MONTHLY_MIN_GAP))
    digest = hashlib.sha256(tables.encode()).hexdigest()[:12]
    return f"{RULES_REVISION}.{digest}.holidays-{holidays.__version__}"


RULES_VERSION = rules_version()


def stale(trajectories: QuerySet, *, schedules: QuerySet | None = None) -> QuerySet:
    """The open ones of `trajectories` whose moments were not planned by `RULES_VERSION`
    (`schedules` may narrow the marks looked at to the same trajectories)."""
    schedules = FollowUpSchedule.objects.all() if schedules is None else schedules
    current = schedules.filter(trajectory=OuterRef("pk"), rules_version=RULES_VERSION)
    return trajectories.open().filter(~Exists(current))


@cache
def _dutch_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("NL", years=year))


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _dutch_holidays(day.year)


def working_day_on_or_before(day: datetime.date) -> datetime.date:
    """The day itself, or the last working day before it (weekend, public holiday)."""
    while not is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


def due_date(planned_on: datetime.date, *, not_before: datetime.date) -> datetime.date:
    """The working day a moment is due: the one before its date, unless that is
    before guidance began; then the first working day from its date."""
    day = working_day_on_or_before(planned_on)
    if day < not_before:
        day = planned_on
        while not is_working_day(day):
            day += datetime.timedelta(days=1)
    return day


def guidance_start(trajectory: Trajectory) -> datetime.date:
    """Guidance may begin after the detention did (a late notice): nothing is
    planned before the caseworker was involved."""
    return max(trajectory.detention_start or trajectory.started_on, trajectory.started_on)


Key = tuple[str, int]


def plan(trajectory: Trajectory) -> dict[Key, datetime.date]:
    """The moments a trajectory should have, by (kind, sequence), on their nominal dates."""
    if not trajectory.is_open:
        return {}
    start = guidance_start(trajectory)
    planned: dict[Key, datetime.date] = {(Kind.INTAKE, 0): start}
    release = trajectory.actual_release or trajectory.expected_release
    preparation = []
    if release:
        for kind, offset in BEFORE_RELEASE:
            day = release + offset
            # Preparation that would fall before guidance began did not exist.
            if day >= start:
                planned[(kind, 0)] = day
                preparation.append(day)
        for kind, offset in FROM_RELEASE:
            planned[(kind, 0)] = release + offset
    if trajectory.detention_start:
        # Monthly until a month before release, or for 24 months without a date.
        stop = (
            release + relativedelta(months=-1)
            if release
            else trajectory.detention_start + relativedelta(months=MONTHLY_WITHOUT_RELEASE + 1)
        )
        month = 1
        while (day := trajectory.detention_start + relativedelta(months=month)) < stop:
            if day > start and all(abs(day - other) > MONTHLY_MIN_GAP for other in preparation):
                planned[(Kind.DETENTION_MONTHLY, month)] = day
            month += 1
    return planned


@dataclass
class SyncResult:
    created: int = 0
    moved: int = 0
    cancelled: int = 0
    reopened: int = 0

    @property
    def changed(self) -> int:
        return self.created + self.moved + self.cancelled + self.reopened

    def add(self, other: SyncResult) -> None:
        self.created += other.created
        self.moved += other.moved
        self.cancelled += other.cancelled
        self.reopened += other.reopened


def sync_schedule(trajectory: Trajectory, *, by: User | None = None) -> SyncResult:
    """Bring one trajectory's moments in line with its dates (it is locked by its writer)."""
    return _sync_chunk([trajectory], by=by)


def sync_schedules(trajectories: Iterable[int], *, by: User | None = None) -> SyncResult:
    """Bring the moments of many trajectories (by id) in line, a chunk at a time.

    Each chunk locks its trajectories and skips those another transaction is
    writing right now: that writer syncs them itself.
    """
    ids = sorted(set(trajectories))
    total = SyncResult()
    for offset in range(0, len(ids), CHUNK):
        with transaction.atomic():
            chunk = list(
                Trajectory.objects.filter(pk__in=ids[offset : offset + CHUNK])
                .only(*TRAJECTORY_FIELDS)
                .select_for_update(skip_locked=True, of=("self",))
                .order_by("pk")
            )
            total.add(_sync_chunk(chunk, by=by))
    return total


@transaction.atomic
def _sync_chunk(trajectories: list[Trajectory], *, by: User | None) -> SyncResult:
    result = SyncResult()
    if not trajectories:
        return result
    today = timezone.localdate()
    existing: dict[int, dict[Key, FollowUpMoment]] = {t.pk: {} for t in trajectories}
    for moment in FollowUpMoment.objects.filter(trajectory__in=trajectories):
        existing[moment.trajectory_id][(moment.kind, moment.sequence)] = moment
    to_create, to_update, to_cancel = [], [], []
    per_trajectory: dict[int, SyncResult] = {}
    for trajectory in trajectories:
        wanted = plan(trajectory)
        have = existing[trajectory.pk]
        counts = per_trajectory[trajectory.pk] = SyncResult()
        start = guidance_start(trajectory)
        for (kind, sequence), planned_on in wanted.items():
            due_on = due_date(planned_on, not_before=start)
            moment = have.get((kind, sequence))
            if moment is None:
                to_create.append(
                    FollowUpMoment(
                        trajectory_id=trajectory.pk,
                        kind=kind,
                        sequence=sequence,
                        planned_on=planned_on,
                        due_on=due_on,
                    )
                )
                counts.created += 1
            elif moment.status == Status.DONE:
                continue
            elif moment.status == Status.CANCELLED:
                moment.status, moment.cancelled_on = Status.OPEN, None
                moment.planned_on, moment.due_on = planned_on, due_on
                to_update.append(moment)
                counts.reopened += 1
            elif moment.due_on != due_on or moment.planned_on != planned_on:
                moment.planned_on, moment.due_on = planned_on, due_on
                to_update.append(moment)
                counts.moved += 1
        for key, moment in have.items():
            if key not in wanted and moment.status == Status.OPEN:
                to_cancel.append(moment.pk)
                counts.cancelled += 1
    for counts in per_trajectory.values():
        result.add(counts)
    if to_create:
        FollowUpMoment.objects.bulk_create(to_create, ignore_conflicts=True)
    if to_update:
        FollowUpMoment.objects.bulk_update(
            to_update, ["status", "cancelled_on", "planned_on", "due_on"]
        )
    if to_cancel:
        FollowUpMoment.objects.filter(pk__in=to_cancel, status=Status.OPEN).update(
            status=Status.CANCELLED, cancelled_on=today
        )
    # Planned by these rules: the nightly sweep leaves them be until the rules change.
    now = timezone.now()
    FollowUpSchedule.objects.bulk_create(
        [
            FollowUpSchedule(trajectory_id=t.pk, rules_version=RULES_VERSION, synced_at=now)
            for t in trajectories
        ],
        update_conflicts=True,
        unique_fields=["trajectory"],
        update_fields=["rules_version", "synced_at"],
    )
    changed = [m.pk for m in to_update] + to_cancel
    if changed:
        # A reminder about a date that no longer holds is settled; the next
        # sweep reminds about the new date.
        Notification.objects.filter(moment__in=changed, read_at__isnull=True).update(
            read_at=timezone.now()
        )
    if by is not None:
        # A change someone made shows on the timeline; the nightly check does not.
        TimelineEvent.objects.bulk_create(
            TimelineEvent(
                trajectory_id=pk,
                kind=TimelineEvent.Kind.FOLLOW_UP,
                by=by,
                title=_(
                    "Follow-up schedule: %(created)s planned, %(moved)s moved, "
                    "%(cancelled)s cancelled"
                )
                % {
                    "created": counts.created + counts.reopened,
                    "moved": counts.moved,
                    "cancelled": counts.cancelled,
                },
            )
            for pk, counts in per_trajectory.items()
            if counts.changed
        )
    return result
