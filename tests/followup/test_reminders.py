"""The daily sweep: each rule at its boundary, who gets reminded, and that it is safe to rerun."""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Trajectory
from followup import reminders, tasks
from followup.models import FollowUpMoment, Notification
from followup.reminders import sweep
from followup.schedule import sync_schedules
from lifedomains.domains import Domain
from lifedomains.models import Action, Goal, ReadinessItem
from partners.models import Organisation, SharingBasis
from tests.factories import ClientFactory, ContactFactory, TrajectoryFactory, days

pytestmark = pytest.mark.django_db

Kind = Notification.Kind
# A Wednesday in March without public holidays: today + 7 and today + 8 are
# working days, so a moment's due date is the date it was planned on.
NOW = datetime.datetime(2025, 3, 12, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def reclassering():
    return Organisation.objects.create(name="Reclassering Nederland", kind="probation")


def trajectory_for(caseworker, **fields) -> Trajectory:
    return TrajectoryFactory(
        client=ClientFactory(team=caseworker.team), caseworker=caseworker, **fields
    )


def registered(caseworker, **fields) -> Trajectory:
    """Registered, no release date: only the intake is planned (on `started_on`)."""
    return trajectory_for(caseworker, registered=True, expected_release=None, **fields)


def quiet(caseworker, **fields) -> Trajectory:
    """Registered ten days ago with a recent contact: only the intake reminder is due."""
    trajectory = registered(caseworker, started_on=days(-10), **fields)
    ContactFactory(trajectory=trajectory, date=days(-3))
    return trajectory


def action_for(trajectory, **fields) -> Action:
    goal = Goal.objects.create(trajectory=trajectory, domain=Domain.HOUSING, text="Eigen kamer")
    values = {"description": "Inschrijven bij de woningcorporatie", "owner": Action.Owner.CLIENT}
    return Action.objects.create(goal=goal, **(values | fields))


def basis_for(trajectory, organisation, **fields) -> SharingBasis:
    values = {
        "basis": SharingBasis.Basis.CONSENT,
        "scope": [Domain.HOUSING],
        "valid_from": days(-100),
        "valid_until": days(10),
    }
    return SharingBasis.objects.create(
        trajectory=trajectory, organisation=organisation, **(values | fields)
    )


def readiness(trajectory, *statuses_by_item) -> None:
    for item, status in statuses_by_item:
        ReadinessItem.objects.create(trajectory=trajectory, item=item, status=status)


def of_kind(kind, trajectory=None) -> list[tuple]:
    rows = Notification.objects.filter(kind=kind)
    if trajectory is not None:
        rows = rows.filter(trajectory=trajectory)
    return list(
        rows.order_by("due_on", "pk").values_list("trajectory_id", "recipient_id", "ref", "due_on")
    )


def all_rows() -> set[tuple]:
    return set(Notification.objects.values_list("trajectory_id", "kind", "ref", "due_on"))


# --- MOMENT_DUE ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("offset", "reminded"),
    [(7, True), (8, False), (0, True), (-2, True)],
    ids=["in-7-days", "in-8-days", "today", "overdue"],
)
def test_an_open_moment_is_reminded_from_seven_days_ahead(caseworker, offset, reminded):
    trajectory = registered(caseworker, started_on=days(offset))

    sweep()

    intake = FollowUpMoment.objects.get(trajectory=trajectory, kind=FollowUpMoment.Kind.INTAKE)
    assert intake.due_on == days(offset)
    expected = [(trajectory.pk, caseworker.pk, intake.pk, days(offset))] if reminded else []
    assert of_kind(Kind.MOMENT_DUE) == expected
    if reminded:
        assert Notification.objects.get(kind=Kind.MOMENT_DUE).moment == intake


def test_a_done_moment_is_not_reminded(caseworker):
    trajectory = registered(caseworker, started_on=days(3))
    sync_schedules([trajectory.pk])
    FollowUpMoment.objects.filter(trajectory=trajectory).update(
        status=FollowUpMoment.Status.DONE, done_on=TODAY
    )

    sweep()

    assert FollowUpMoment.objects.get(trajectory=trajectory).status == FollowUpMoment.Status.DONE
    assert of_kind(Kind.MOMENT_DUE) == []


def test_a_cancelled_moment_is_not_reminded(caseworker):
    # Intake a month ahead: outside the window. The cancelled moment is not in
    # the plan, so the sync leaves it cancelled.
    trajectory = registered(caseworker, started_on=days(30))
    cancelled = FollowUpMoment.objects.create(
        trajectory=trajectory,
        kind=FollowUpMoment.Kind.AFTER_1W,
        planned_on=days(3),
        due_on=days(3),
        status=FollowUpMoment.Status.CANCELLED,
        cancelled_on=days(-1),
    )

    sweep()

    cancelled.refresh_from_db()
    assert cancelled.status == FollowUpMoment.Status.CANCELLED
    assert of_kind(Kind.MOMENT_DUE) == []


def test_a_moment_of_a_closed_trajectory_is_not_reminded(caseworker):
    trajectory = trajectory_for(caseworker, closed=True)
    FollowUpMoment.objects.create(
        trajectory=trajectory,
        kind=FollowUpMoment.Kind.AFTER_1M,
        planned_on=days(3),
        due_on=days(3),
    )

    assert sweep() == 0

    assert not Notification.objects.filter(trajectory=trajectory).exists()


# --- RELEASE_READINESS --------------------------------------------------------------


@pytest.mark.parametrize(
    ("offset", "reminded"),
    [(0, True), (14, True), (15, False), (-1, False)],
    ids=["today", "in-14-days", "in-15-days", "yesterday"],
)
def test_release_readiness_from_fourteen_days_before_release(caseworker, offset, reminded):
    trajectory = trajectory_for(caseworker, expected_release=days(offset))

    sweep()

    expected = [(trajectory.pk, caseworker.pk, 0, days(offset))] if reminded else []
    assert of_kind(Kind.RELEASE_READINESS) == expected


BASIC_DONE = [
    (ReadinessItem.Item.ID_DOCUMENT, ReadinessItem.Status.ARRANGED),
    (ReadinessItem.Item.HOUSING, ReadinessItem.Status.ARRANGED),
    (ReadinessItem.Item.INCOME, ReadinessItem.Status.NOT_NEEDED),
    (ReadinessItem.Item.DEBTS, ReadinessItem.Status.ARRANGED),
]


def test_no_readiness_reminder_when_all_five_basic_conditions_are_done(caseworker):
    assert len(ReadinessItem.BASIC) == 5
    trajectory = trajectory_for(caseworker, expected_release=days(5))
    readiness(trajectory, *BASIC_DONE, (ReadinessItem.Item.CARE, ReadinessItem.Status.NOT_NEEDED))

    sweep()

    assert of_kind(Kind.RELEASE_READINESS) == []


@pytest.mark.parametrize(
    "fifth",
    [
        (ReadinessItem.Item.CARE, ReadinessItem.Status.IN_PROGRESS),
        (ReadinessItem.Item.CARE, ReadinessItem.Status.REFUSED),
        # A practical matter arranged is not a basic condition.
        (ReadinessItem.Item.DIGID, ReadinessItem.Status.ARRANGED),
    ],
    ids=["care-in-progress", "care-refused", "digid-instead-of-care"],
)
def test_a_readiness_reminder_while_one_basic_condition_is_open(caseworker, fifth):
    trajectory = trajectory_for(caseworker, expected_release=days(5))
    readiness(trajectory, *BASIC_DONE, fifth)

    sweep()

    assert of_kind(Kind.RELEASE_READINESS) == [(trajectory.pk, caseworker.pk, 0, days(5))]


def test_no_readiness_reminder_once_actually_released(caseworker):
    trajectory = trajectory_for(caseworker, released=True, expected_release=days(5))

    sweep()

    assert trajectory.actual_release == days(-30)
    assert of_kind(Kind.RELEASE_READINESS) == []


# --- ACTION_OVERDUE -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "done", "reminded"),
    [(-1, None, True), (0, None, False), (-5, -2, False), (None, None, False)],
    ids=["due-yesterday", "due-today", "done", "no-date"],
)
def test_an_action_is_overdue_the_day_after_its_date(caseworker, due, done, reminded):
    trajectory = quiet(caseworker)
    action = action_for(
        trajectory,
        due_date=None if due is None else days(due),
        done_on=None if done is None else days(done),
    )

    sweep()

    expected = [(trajectory.pk, caseworker.pk, action.pk, days(-1))] if reminded else []
    assert of_kind(Kind.ACTION_OVERDUE) == expected
    if reminded:
        assert Notification.objects.get(kind=Kind.ACTION_OVERDUE).action == action


# --- NO_CONTACT ---------------------------------------------------------------------


@pytest.mark.parametrize(("last", "reminded"), [(-30, True), (-29, False), (-45, True)])
def test_no_contact_thirty_days_after_the_last_contact(caseworker, last, reminded):
    trajectory = registered(caseworker, started_on=days(-100))
    ContactFactory(trajectory=trajectory, date=days(-80))
    ContactFactory(trajectory=trajectory, date=days(last))

    sweep()

    expected = [(trajectory.pk, caseworker.pk, 0, days(last + 30))] if reminded else []
    assert of_kind(Kind.NO_CONTACT) == expected


@pytest.mark.parametrize(("started", "reminded"), [(-30, True), (-29, False)])
def test_without_contacts_no_contact_counts_from_the_start_of_guidance(
    caseworker, started, reminded
):
    trajectory = registered(caseworker, started_on=days(started))

    sweep()

    expected = [(trajectory.pk, caseworker.pk, 0, days(started + 30))] if reminded else []
    assert of_kind(Kind.NO_CONTACT) == expected


@pytest.mark.parametrize(("last", "reminded"), [(-10, True), (-9, False)])
def test_the_no_contact_period_follows_the_setting(settings, caseworker, last, reminded):
    settings.RIO_NO_CONTACT_WARNING_DAYS = 10
    trajectory = registered(caseworker, started_on=days(-100))
    ContactFactory(trajectory=trajectory, date=days(last))

    sweep()

    expected = [(trajectory.pk, caseworker.pk, 0, days(last + 10))] if reminded else []
    assert of_kind(Kind.NO_CONTACT) == expected


# --- BASIS_EXPIRING -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "reminded"),
    [
        ({"valid_until": 30}, True),
        ({"valid_until": 0}, True),
        ({"valid_until": 31}, False),
        ({"valid_until": 20, "withdrawn_on": 0}, False),
        ({"valid_until": 20, "withdrawn_on": -10}, False),
        ({"valid_until": -1}, False),
        ({"valid_from": 1, "valid_until": 20}, False),
    ],
    ids=[
        "in-30-days",
        "today",
        "in-31-days",
        "withdrawn-today",
        "withdrawn-earlier",
        "expired",
        "not-yet-valid",
    ],
)
def test_a_legal_basis_is_reminded_thirty_days_before_it_expires(
    caseworker, reclassering, fields, reminded
):
    trajectory = quiet(caseworker)
    basis = basis_for(
        trajectory, reclassering, **{name: days(offset) for name, offset in fields.items()}
    )

    sweep()

    expected = [(trajectory.pk, caseworker.pk, basis.pk, basis.valid_until)] if reminded else []
    assert of_kind(Kind.BASIS_EXPIRING) == expected
    if reminded:
        assert Notification.objects.get(kind=Kind.BASIS_EXPIRING).basis == basis


def test_a_basis_without_end_date_is_never_reminded(caseworker, reclassering):
    basis_for(quiet(caseworker), reclassering, valid_until=None)

    sweep()

    assert of_kind(Kind.BASIS_EXPIRING) == []


# --- END_REACHED --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("released", "reminded"),
    [
        (datetime.date(2023, 3, 12), True),
        (datetime.date(2023, 3, 13), False),
        (datetime.date(2023, 1, 2), True),
    ],
    ids=["exactly-two-years", "one-day-less", "longer-ago"],
)
def test_two_years_after_release_the_end_is_reached(caseworker, released, reminded):
    trajectory = trajectory_for(
        caseworker,
        status=Trajectory.Status.AFTERCARE,
        detention_start=released - datetime.timedelta(days=300),
        started_on=released - datetime.timedelta(days=200),
        expected_release=None,
        actual_release=released,
    )

    sweep()

    end = released.replace(year=released.year + 2)
    expected = [(trajectory.pk, caseworker.pk, 0, end)] if reminded else []
    assert of_kind(Kind.END_REACHED) == expected


def test_the_end_of_a_leap_day_release_is_reminded_on_the_date_it_names(frozen, caseworker):
    # Two years after 29 February 2024 is 28 February 2026, by the date the
    # notification itself gives and by the end evaluation moment (AFTER_24M).
    frozen.move_to(datetime.datetime(2026, 2, 28, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam")))
    trajectory = trajectory_for(
        caseworker,
        status=Trajectory.Status.AFTERCARE,
        detention_start=datetime.date(2023, 6, 1),
        started_on=datetime.date(2023, 7, 1),
        expected_release=None,
        actual_release=datetime.date(2024, 2, 29),
    )

    sweep()

    end = FollowUpMoment.objects.get(trajectory=trajectory, kind=FollowUpMoment.Kind.AFTER_24M)
    assert end.planned_on == datetime.date(2026, 2, 28)
    assert of_kind(Kind.END_REACHED) == [
        (trajectory.pk, caseworker.pk, 0, datetime.date(2026, 2, 28))
    ]


# --- Who is reminded ----------------------------------------------------------------


def test_every_kind_goes_to_the_trajectorys_own_caseworker_only(
    caseworker, colleague, manager, reclassering
):
    mine = trajectory_for(caseworker, expected_release=days(10))
    action_for(mine, due_date=days(-2))
    basis_for(mine, reclassering, valid_until=days(10))
    theirs = trajectory_for(
        colleague,
        status=Trajectory.Status.AFTERCARE,
        detention_start=datetime.date(2022, 6, 1),
        started_on=datetime.date(2022, 7, 1),
        expected_release=None,
        actual_release=datetime.date(2023, 3, 1),
    )

    created = sweep()

    assert created == Notification.objects.count()
    kinds = set(Notification.objects.filter(trajectory=mine).values_list("kind", flat=True))
    assert kinds == {
        Kind.MOMENT_DUE,
        Kind.RELEASE_READINESS,
        Kind.ACTION_OVERDUE,
        Kind.NO_CONTACT,
        Kind.BASIS_EXPIRING,
    }
    assert Notification.objects.filter(trajectory=theirs, kind=Kind.END_REACHED).exists()
    recipients = set(Notification.objects.values_list("trajectory_id", "recipient_id"))
    assert recipients == {(mine.pk, caseworker.pk), (theirs.pk, colleague.pk)}
    assert not Notification.objects.filter(recipient=manager).exists()


def test_an_inactive_caseworker_gets_no_reminders(caseworker, reclassering):
    trajectory = trajectory_for(caseworker, expected_release=days(10))
    action_for(trajectory, due_date=days(-2))
    basis_for(trajectory, reclassering, valid_until=days(10))
    caseworker.is_active = False
    caseworker.save(update_fields=["is_active"])

    assert sweep() == 0

    assert not Notification.objects.exists()
    # The schedule is still kept: the moments are there for whoever takes over.
    assert FollowUpMoment.objects.filter(trajectory=trajectory).exists()


# --- Idempotency ---------------------------------------------------------------------


def test_a_second_sweep_on_the_same_day_creates_nothing(caseworker, reclassering):
    trajectory = trajectory_for(caseworker, expected_release=days(10))
    action_for(trajectory, due_date=days(-2))
    basis_for(trajectory, reclassering, valid_until=days(10))
    first = sweep()
    rows = all_rows()
    assert first == len(rows) >= 5

    assert sweep() == 0

    assert Notification.objects.count() == first
    assert all_rows() == rows


def test_the_next_day_only_what_became_due_is_added(frozen, caseworker, reclassering):
    trajectory = quiet(caseworker)
    action = action_for(trajectory, due_date=days(0))
    basis = basis_for(trajectory, reclassering, valid_until=days(31))
    assert sweep() == 1
    before = all_rows()
    assert {kind for _, kind, _, _ in before} == {Kind.MOMENT_DUE}

    frozen.move_to(NOW + datetime.timedelta(days=1))
    assert sweep() == 2
    assert sweep() == 0

    assert all_rows() - before == {
        (trajectory.pk, Kind.ACTION_OVERDUE, action.pk, TODAY),
        (trajectory.pk, Kind.BASIS_EXPIRING, basis.pk, basis.valid_until),
    }


def test_a_new_contact_resets_the_no_contact_reminder(frozen, caseworker):
    trajectory = registered(caseworker, started_on=days(-100))
    ContactFactory(trajectory=trajectory, date=days(-30))
    sweep()
    assert of_kind(Kind.NO_CONTACT) == [(trajectory.pk, caseworker.pk, 0, TODAY)]

    ContactFactory(trajectory=trajectory, date=TODAY)
    assert sweep() == 0
    frozen.move_to(NOW + datetime.timedelta(days=29))
    assert sweep() == 0
    assert len(of_kind(Kind.NO_CONTACT)) == 1

    frozen.move_to(NOW + datetime.timedelta(days=30))
    assert sweep() == 1

    assert of_kind(Kind.NO_CONTACT) == [
        (trajectory.pk, caseworker.pk, 0, TODAY),
        (trajectory.pk, caseworker.pk, 0, TODAY + datetime.timedelta(days=30)),
    ]


def test_a_sweep_that_crashes_half_way_loses_nothing(monkeypatch, caseworker, reclassering):
    trajectory = trajectory_for(caseworker, expected_release=days(10))
    action_for(trajectory, due_date=days(-2))
    basis_for(trajectory, reclassering, valid_until=days(10))

    def broken_rule(today, ids):
        raise RuntimeError("rule failed")

    monkeypatch.setattr(reminders, "RULES", (*reminders.RULES, broken_rule))
    with pytest.raises(RuntimeError, match="rule failed"):
        sweep()

    assert not Notification.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM followup_notification")
        assert cursor.fetchone() == (0,)

    monkeypatch.undo()
    created = sweep()

    assert created == Notification.objects.count()
    assert {kind for _, kind, _, _ in all_rows()} == {
        Kind.MOMENT_DUE,
        Kind.RELEASE_READINESS,
        Kind.ACTION_OVERDUE,
        Kind.NO_CONTACT,
        Kind.BASIS_EXPIRING,
    }


# --- Ways to run it -----------------------------------------------------------------


def test_the_management_command_reports_how_many_were_created(caseworker, reclassering):
    trajectory = quiet(caseworker)
    action_for(trajectory, due_date=days(-1))
    basis_for(trajectory, reclassering, valid_until=days(5))

    out = StringIO()
    call_command("run_followup", stdout=out)

    assert out.getvalue() == "3 notifications created\n"
    assert {kind for _, kind, _, _ in all_rows()} == {
        Kind.MOMENT_DUE,
        Kind.ACTION_OVERDUE,
        Kind.BASIS_EXPIRING,
    }

    again = StringIO()
    call_command("run_followup", stdout=again)

    assert again.getvalue() == "0 notifications created\n"
    assert Notification.objects.count() == 3


@pytest.fixture
def queued(monkeypatch):
    """`sweep_chunk.delay` records the chunk instead of sending it; `run()` runs them."""

    class Queue(list):
        def run(self) -> int:
            created = sum(tasks.sweep_chunk(*args) for args in self)
            self.clear()
            return created

    sent = Queue()
    monkeypatch.setattr(tasks.sweep_chunk, "delay", lambda *args: sent.append(args))
    return sent


def test_the_celery_tasks_sweep_all_or_one_trajectory(caseworker, colleague, reclassering, queued):
    one = quiet(caseworker)
    action_for(one, due_date=days(-1))
    other = quiet(colleague)
    basis_for(other, reclassering, valid_until=days(5))

    assert tasks.sweep_trajectory(one.pk) == 2

    assert {(t, kind) for t, kind, _, _ in all_rows()} == {
        (one.pk, Kind.MOMENT_DUE),
        (one.pk, Kind.ACTION_OVERDUE),
    }
    assert not FollowUpMoment.objects.filter(trajectory=other).exists()

    assert tasks.daily_sweep() == 1
    assert queued == [(min(one.pk, other.pk), max(one.pk, other.pk), TODAY.isoformat())]
    assert queued.run() == 2

    assert {(t, kind) for t, kind, _, _ in all_rows()} == {
        (one.pk, Kind.MOMENT_DUE),
        (one.pk, Kind.ACTION_OVERDUE),
        (other.pk, Kind.MOMENT_DUE),
        (other.pk, Kind.BASIS_EXPIRING),
    }
    tasks.daily_sweep()
    assert queued.run() == 0


def test_the_celery_tasks_make_what_sweep_makes(caseworker, reclassering, queued):
    trajectory = trajectory_for(caseworker, expected_release=days(10))
    action_for(trajectory, due_date=days(-2))
    basis_for(trajectory, reclassering, valid_until=days(10))
    assert sweep() >= 5
    by_sweep = all_rows()
    Notification.objects.all().delete()

    tasks.daily_sweep()
    assert queued.run() == len(by_sweep)
    assert all_rows() == by_sweep
    Notification.objects.all().delete()

    assert tasks.sweep_trajectory(trajectory.pk) == len(by_sweep)
    assert all_rows() == by_sweep


def test_the_daily_sweep_is_on_the_beat_schedule_and_registered(settings):
    from rio.celery import app

    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert "followup.daily_sweep" in scheduled
    assert "followup.daily_sweep" in app.tasks
    assert tasks.daily_sweep.name == "followup.daily_sweep"
    assert scheduled <= set(app.tasks)


# --- Queries ---------------------------------------------------------------------------


def build_caseload(caseworker, organisation, n: int) -> None:
    for _ in range(n):
        trajectory = trajectory_for(caseworker, expected_release=days(10))
        action_for(trajectory, due_date=days(-2))
        basis_for(trajectory, organisation, valid_until=days(10))
        ContactFactory(trajectory=trajectory, date=days(-40))


def test_the_sweep_takes_the_same_number_of_queries_for_3_or_30(caseworker, reclassering):
    build_caseload(caseworker, reclassering, 3)
    with CaptureQueriesContext(connection) as few:
        created_few = sweep()
    Trajectory.objects.all().delete()
    build_caseload(caseworker, reclassering, 30)
    with CaptureQueriesContext(connection) as many:
        created_many = sweep()

    # Every trajectory: a moment due, readiness, an action, no contact, a basis.
    assert created_few >= 3 * 5
    assert created_many == created_few * 10
    assert len(many) == len(few) <= 20
