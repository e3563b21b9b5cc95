"""RF-2: two sweeps at the same time create each reminder once and each moment once.

The sweeps run in two threads, each on its own database connection, started
together by a barrier. For that, the data must be committed: these tests are
transactional, and a transactional test empties every table when it ends. The
rows the migrations seed (content types, permissions, the life-domain level
descriptions) would be gone for every later test on this database, also in the
next run (--reuse-db). So `serialized_rollback=True` keeps the flush from
re-running post_migrate (which would recreate content types under new ids), and
the module fixture below puts the seeded rows back, with their own ids, once the
last test of this module has been flushed, and checks they are all there.
"""

import threading
from collections.abc import Callable

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count

from cases.models import Trajectory
from followup.models import FollowUpMoment, FollowUpSchedule, Notification
from followup.reminders import sweep
from followup.schedule import plan, sync_schedules
from lifedomains.domains import Domain
from lifedomains.models import Action, Goal, LevelDescription
from partners.models import SharingBasis
from tests.factories import (
    ClientFactory,
    TeamFactory,
    TrajectoryFactory,
    UserFactory,
    days,
    years_ago,
)
from tests.partners.test_scoping import reclassering

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROUNDS = 3


# --- Keeping the seeded rows -----------------------------------------------------------------


def seeded_counts() -> dict[str, int]:
    return {
        "content types": ContentType.objects.count(),
        "permissions": Permission.objects.count(),
        "level descriptions": LevelDescription.objects.count(),
    }


@pytest.fixture(scope="module", autouse=True)
def seeded_rows_survive_the_flush(django_db_setup, django_db_blocker):
    """Put back what the migrations seeded, after the flush of this module's last test.

    Module scope: set up before, and torn down after, the per-test database
    fixture whose teardown flushes the tables.
    """
    with django_db_blocker.unblock():
        before = seeded_counts()
        assert before["level descriptions"] > 0, "the database lost its seeded rows before"
        snapshot = connection.creation.serialize_db_to_string()
    yield
    with django_db_blocker.unblock():
        connection.creation.deserialize_db_from_string(snapshot)
        assert seeded_counts() == before
        connection.close()


# --- Running things at the same time ---------------------------------------------------------


def run_together(work: Callable[[], object], threads: int = 2) -> list:
    """Run `work` in several threads at once, each on its own database connection."""
    barrier = threading.Barrier(threads)
    results: list = [None] * threads
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            connection.ensure_connection()
            barrier.wait(timeout=30)
            results[index] = work()
        except BaseException as error:  # reported in the test's thread
            errors.append(error)
            barrier.abort()
        finally:
            connection.close()

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert not any(worker.is_alive() for worker in workers), "a sweep hung"
    assert errors == []
    return results


# --- The data: something due of every kind ---------------------------------------------------


@pytest.fixture
def trajectories() -> list[Trajectory]:
    team = TeamFactory(name="RIO Dordrecht")
    caseworker = UserFactory(username="rio1", team=team, mfa=False)

    def trajectory(**kwargs) -> Trajectory:
        return TrajectoryFactory(client=ClientFactory(team=team), caseworker=caseworker, **kwargs)

    # In detention, release in 10 days: intake and monthly contacts overdue, the week
    # before release due, basic conditions open, no contact since the start.
    in_detention = [trajectory() for _ in range(8)]
    # Released two years and more ago: the end evaluation.
    ended = trajectory(
        status=Trajectory.Status.AFTERCARE,
        started_on=years_ago(3),
        detention_start=years_ago(3),
        expected_release=years_ago(2, days=20),
        actual_release=years_ago(2, days=20),
    )
    # An action past its date and a legal basis that expires soon.
    busy = trajectory()
    goal = Goal.objects.create(
        trajectory=busy, domain=Domain.HOUSING, text="Een eigen kamer", created_by=caseworker
    )
    for n in range(3):
        Action.objects.create(
            goal=goal,
            description=f"Actie {n}",
            owner=Action.Owner.CLIENT,
            due_date=days(-3 - n),
        )
    SharingBasis.objects.create(
        trajectory=busy,
        organisation=reclassering(),
        basis=SharingBasis.Basis.PBW_18A,
        scope=["care"],
        valid_from=days(-200),
        valid_until=days(20),
    )
    return [*in_detention, ended, busy]


def duplicate_moments() -> list[dict]:
    return list(
        FollowUpMoment.objects.values("trajectory", "kind", "sequence")
        .annotate(rows=Count("pk"))
        .filter(rows__gt=1)
    )


def duplicate_notifications() -> list[dict]:
    return list(
        Notification.objects.values("trajectory", "kind", "ref", "due_on")
        .annotate(rows=Count("pk"))
        .filter(rows__gt=1)
    )


def planned_moments(trajectories) -> int:
    return sum(len(plan(Trajectory.objects.get(pk=t.pk))) for t in trajectories)


# --- The tests -------------------------------------------------------------------------------


def test_two_sweeps_at_once_create_each_notification_once(trajectories):
    for _round in range(ROUNDS):
        Notification.objects.all().delete()
        FollowUpMoment.objects.all().delete()
        # Never planned: both sweeps find every schedule stale.
        FollowUpSchedule.objects.all().delete()

        first, second = run_together(sweep)

        total = Notification.objects.count()
        assert first + second == total
        assert duplicate_notifications() == []
        assert set(Notification.objects.values_list("kind", flat=True)) == set(Notification.Kind)
        assert duplicate_moments() == []
        assert FollowUpMoment.objects.count() == planned_moments(trajectories)
        # Everything due was reminded about: a third sweep has nothing left to do.
        assert sweep() == 0
        assert Notification.objects.count() == total


def test_two_schedule_syncs_at_once_never_duplicate_a_moment(trajectories):
    ids = [trajectory.pk for trajectory in trajectories]
    for _round in range(ROUNDS):
        FollowUpMoment.objects.all().delete()

        first, second = run_together(lambda: sync_schedules(ids))

        assert duplicate_moments() == []
        total = FollowUpMoment.objects.count()
        assert total == planned_moments(trajectories)
        # Each moment was created by exactly one of the two.
        assert first.created + second.created == total
        assert sync_schedules(ids).changed == 0


def test_the_seeded_rows_are_there_during_a_transactional_test():
    assert seeded_counts()["level descriptions"] == len(Domain) * 5
