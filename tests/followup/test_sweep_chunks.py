"""The nightly sweep at scale (issue 13): only stale schedules are re-planned, only new
candidates reach the INSERT, and the work is fanned out in chunks that fail alone."""

import datetime
from zoneinfo import ZoneInfo

import holidays
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Trajectory
from followup import reminders, schedule, tasks
from followup.models import FollowUpMoment, FollowUpSchedule, Notification
from followup.reminders import Scope, sweep
from lifedomains.domains import Domain
from lifedomains.models import Action, Goal
from partners.models import Organisation, SharingBasis
from tests.factories import ClientFactory, ContactFactory, TrajectoryFactory, days

pytestmark = pytest.mark.django_db

Kind = Notification.Kind
NOW = datetime.datetime(2025, 3, 12, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def reclassering():
    return Organisation.objects.create(name="Reclassering Nederland", kind="probation")


def busy(caseworker, organisation) -> Trajectory:
    """A trajectory with something due of every kind but the end."""
    trajectory = TrajectoryFactory(
        client=ClientFactory(team=caseworker.team),
        caseworker=caseworker,
        expected_release=days(10),
    )
    goal = Goal.objects.create(trajectory=trajectory, domain=Domain.HOUSING, text="Kamer")
    Action.objects.create(goal=goal, description="Inschrijven", owner="client", due_date=days(-2))
    SharingBasis.objects.create(
        trajectory=trajectory,
        organisation=organisation,
        basis=SharingBasis.Basis.CONSENT,
        scope=[Domain.HOUSING],
        valid_from=days(-100),
        valid_until=days(10),
    )
    ContactFactory(trajectory=trajectory, date=days(-40))
    return trajectory


def kinds_of(trajectory) -> set[str]:
    return set(Notification.objects.filter(trajectory=trajectory).values_list("kind", flat=True))


def notification_inserts(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().startswith("INSERT INTO followup_")]


# --- Only stale schedules are re-planned ---------------------------------------------


def test_a_sweep_marks_every_schedule_it_planned_with_the_rules_version(caseworker):
    trajectory = TrajectoryFactory(
        client=ClientFactory(team=caseworker.team), caseworker=caseworker
    )
    assert list(schedule.stale(Trajectory.objects.all())) == [trajectory]

    sweep()

    assert FollowUpSchedule.objects.get(trajectory=trajectory).rules_version == (
        schedule.RULES_VERSION
    )
    assert not schedule.stale(Trajectory.objects.all()).exists()


def test_a_current_schedule_is_not_planned_again_by_the_night(caseworker):
    trajectory = TrajectoryFactory(
        client=ClientFactory(team=caseworker.team), caseworker=caseworker
    )
    sweep()
    planned = set(FollowUpMoment.objects.filter(trajectory=trajectory).values_list("pk", "due_on"))
    # Written behind the verbs' back: the night does not look (the verbs keep it current).
    Trajectory.objects.filter(pk=trajectory.pk).update(expected_release=days(200))

    with CaptureQueriesContext(connection) as queries:
        sweep()

    assert not any("FOR UPDATE" in q["sql"] for q in queries)
    assert set(
        FollowUpMoment.objects.filter(trajectory=trajectory).values_list("pk", "due_on")
    ) == (planned)


def test_a_new_rules_version_makes_every_open_schedule_stale_once(monkeypatch, caseworker):
    trajectory = TrajectoryFactory(
        client=ClientFactory(team=caseworker.team), caseworker=caseworker
    )
    closed = TrajectoryFactory(
        client=ClientFactory(team=caseworker.team), caseworker=caseworker, closed=True
    )
    sweep()
    Trajectory.objects.filter(pk=trajectory.pk).update(expected_release=days(200))

    monkeypatch.setattr(schedule, "RULES_VERSION", "2.new-rules")
    assert list(schedule.stale(Trajectory.objects.all())) == [trajectory]
    sweep()

    release_day = FollowUpMoment.objects.get(
        trajectory=trajectory, kind=FollowUpMoment.Kind.RELEASE_DAY
    )
    assert release_day.planned_on == days(200)
    assert FollowUpSchedule.objects.get(trajectory=trajectory).rules_version == "2.new-rules"
    assert not FollowUpSchedule.objects.filter(trajectory=closed).exists()
    assert not schedule.stale(Trajectory.objects.all()).exists()


def test_writing_a_trajectory_keeps_its_schedule_current_and_marked(caseworker):
    trajectory = TrajectoryFactory(
        client=ClientFactory(team=caseworker.team), caseworker=caseworker
    )
    trajectory.update_facts(by=caseworker, expected_release=days(60))

    assert FollowUpSchedule.objects.get(trajectory=trajectory).rules_version == (
        schedule.RULES_VERSION
    )
    release_day = FollowUpMoment.objects.get(
        trajectory=trajectory, kind=FollowUpMoment.Kind.RELEASE_DAY
    )
    assert release_day.planned_on == days(60)


def test_the_rules_version_follows_the_holiday_table_and_the_tables(monkeypatch):
    before = schedule.rules_version()
    monkeypatch.setattr(holidays, "__version__", "999.0")
    assert schedule.rules_version() != before
    assert schedule.rules_version().endswith("holidays-999.0")
    monkeypatch.undo()
    monkeypatch.setattr(schedule, "MONTHLY_WITHOUT_RELEASE", 36)
    assert schedule.rules_version() != before
    monkeypatch.undo()
    assert schedule.rules_version() == before == schedule.RULES_VERSION


# --- Only new candidates reach the INSERT --------------------------------------------


def test_a_night_with_nothing_new_due_sends_no_insert(caseworker, reclassering):
    trajectories = [busy(caseworker, reclassering) for _ in range(3)]
    assert sweep() >= 3 * 5

    scope = Scope(first=trajectories[0].pk, last=trajectories[-1].pk)
    for rule in reminders.RULES:
        assert list(rule(TODAY, scope)) == [], rule.__name__
    with CaptureQueriesContext(connection) as queries:
        assert sweep() == 0
    assert notification_inserts(queries) == []


def test_a_candidate_already_notified_is_left_out_but_a_new_date_is_not(caseworker):
    trajectory = TrajectoryFactory(
        client=ClientFactory(team=caseworker.team), caseworker=caseworker, registered=True
    )
    ContactFactory(trajectory=trajectory, date=days(-31))
    sweep()
    assert kinds_of(trajectory) >= {Kind.NO_CONTACT}

    scope = Scope(ids=(trajectory.pk,))
    assert list(reminders.no_contact(TODAY, scope)) == []
    # A later contact, and the silence after it: a reminder with a new date.
    ContactFactory(trajectory=trajectory, date=days(-30))
    due = list(reminders.no_contact(TODAY + datetime.timedelta(days=1), scope))
    assert [(c.trajectory_id, c.due_on) for c in due] == [(trajectory.pk, TODAY)]


# --- Chunks ----------------------------------------------------------------------------


def test_the_open_trajectories_are_split_in_chunks_of_the_setting(settings, caseworker):
    settings.RIO_SWEEP_CHUNK_SIZE = 2
    team = caseworker.team
    ids = [
        TrajectoryFactory(client=ClientFactory(team=team), caseworker=caseworker).pk
        for _ in range(5)
    ]
    TrajectoryFactory(client=ClientFactory(team=team), caseworker=caseworker, closed=True)

    assert reminders.chunks() == [(ids[0], ids[1]), (ids[2], ids[3]), (ids[4], ids[4])]


def test_the_nightly_task_queues_one_chunk_task_per_chunk_for_today(
    settings, monkeypatch, caseworker
):
    settings.RIO_SWEEP_CHUNK_SIZE = 2
    for _ in range(3):
        TrajectoryFactory(client=ClientFactory(team=caseworker.team), caseworker=caseworker)
    sent = []
    monkeypatch.setattr(tasks.sweep_chunk, "delay", lambda *args: sent.append(args))

    assert tasks.daily_sweep() == 2

    assert [(first, last) for first, last, _day in sent] == reminders.chunks()
    assert {day for *_ids, day in sent} == {TODAY.isoformat()}


def test_a_chunk_task_has_its_own_time_limits_and_is_acknowledged_late(settings):
    task = tasks.sweep_chunk
    assert task.name == "followup.sweep_chunk"
    assert task.acks_late is True
    assert task.soft_time_limit == settings.RIO_SWEEP_CHUNK_SOFT_TIME_LIMIT
    assert task.time_limit == settings.RIO_SWEEP_CHUNK_TIME_LIMIT
    assert task.soft_time_limit < task.time_limit


def failing_for(trajectory):
    """A rule that fails in the chunk holding `trajectory` (a slow chunk stopped at its
    soft time limit raises in the same way)."""

    def rule(today, scope):
        ids = scope.ids or range(scope.first, scope.last + 1)
        if trajectory.pk in ids:
            raise RuntimeError("chunk failed")
        return iter(())

    return rule


def test_a_failing_chunk_task_does_not_cost_the_other_chunks_their_reminders(
    settings, monkeypatch, caseworker, reclassering
):
    settings.RIO_SWEEP_CHUNK_SIZE = 1
    first, broken, last = (busy(caseworker, reclassering) for _ in range(3))
    sent = []
    monkeypatch.setattr(tasks.sweep_chunk, "delay", lambda *args: sent.append(args))
    monkeypatch.setattr(reminders, "RULES", (*reminders.RULES, failing_for(broken)))
    tasks.daily_sweep()
    assert len(sent) == 3

    outcomes = []
    for args in sent:  # as three workers would, each on its own
        try:
            outcomes.append(tasks.sweep_chunk(*args))
        except RuntimeError:
            outcomes.append("failed")

    assert outcomes[1] == "failed"
    assert kinds_of(broken) == set()
    assert len(kinds_of(first)) == len(kinds_of(last)) == 5

    # The next run (a retry, or the next night) completes the failed chunk, nothing twice.
    monkeypatch.setattr(reminders, "RULES", reminders.RULES[:-1])
    assert tasks.sweep_chunk(*sent[1]) == Notification.objects.filter(trajectory=broken).count()
    assert kinds_of(broken) == kinds_of(first)
    assert sum(tasks.sweep_chunk(*args) for args in sent) == 0


def test_in_process_a_failing_chunk_is_reported_after_the_others_ran(
    settings, monkeypatch, caseworker, reclassering
):
    settings.RIO_SWEEP_CHUNK_SIZE = 1
    first, broken, last = (busy(caseworker, reclassering) for _ in range(3))
    monkeypatch.setattr(reminders, "RULES", (*reminders.RULES, failing_for(broken)))

    with pytest.raises(RuntimeError, match="chunk failed"):
        sweep()

    assert kinds_of(broken) == set()
    assert len(kinds_of(first)) == len(kinds_of(last)) == 5


def chunk_queries(caseworker, organisation, n: int) -> tuple[int, int]:
    trajectories = [busy(caseworker, organisation) for _ in range(n)]
    first, last = trajectories[0].pk, trajectories[-1].pk
    with CaptureQueriesContext(connection) as queries:
        created = reminders.sweep_chunk(first_id=first, last_id=last, today=TODAY)
    return created, len(queries)


@pytest.mark.parametrize("stale_first", [True, False], ids=["stale", "current"])
def test_a_chunk_takes_the_same_number_of_queries_for_3_or_30_trajectories(
    caseworker, reclassering, stale_first
):
    def run(n):
        if not stale_first:
            # Planned when written, as the verbs do: nothing is stale at night.
            trajectories = [busy(caseworker, reclassering) for _ in range(n)]
            schedule.sync_schedules([t.pk for t in trajectories])
            with CaptureQueriesContext(connection) as queries:
                created = reminders.sweep_chunk(
                    first_id=trajectories[0].pk, last_id=trajectories[-1].pk, today=TODAY
                )
            return created, len(queries)
        return chunk_queries(caseworker, reclassering, n)

    created_few, few = run(3)
    Trajectory.objects.all().delete()
    created_many, many = run(30)

    assert created_few >= 3 * 5
    assert created_many == created_few * 10
    assert many == few
    # Current: the stale look-up, the six rules and one INSERT, in a transaction. Stale:
    # the sync too (lock, moments, create, upsert of the version, in savepoints).
    assert few == (18 if stale_first else 10)
