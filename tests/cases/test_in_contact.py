"""The rule "in contact in the N days before day D" (`RIO_STILL_IN_CONTACT_DAYS`, 60),
pinned at its boundaries: the dashboard asks it 12 and 24 months after release."""

import datetime

import pytest

from cases.models import Trajectory
from tests.factories import ContactFactory, TrajectoryFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 3, 1)


def in_contact(day=DAY) -> set[int]:
    return set(Trajectory.objects.in_contact_before(day).values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("contact_on", "inside"),
    [
        (DAY - datetime.timedelta(days=61), False),
        (DAY - datetime.timedelta(days=60), True),
        (DAY - datetime.timedelta(days=1), True),
        (DAY, True),
        (DAY + datetime.timedelta(days=1), False),
    ],
    ids=["61-days-before", "60-days-before", "day-before", "the-day-itself", "day-after"],
)
def test_a_contact_counts_from_60_days_before_up_to_the_day_itself(team, contact_on, inside):
    trajectory = TrajectoryFactory(client__team=team)
    ContactFactory(trajectory=trajectory, date=contact_on)

    assert (trajectory.pk in in_contact()) is inside


def test_without_any_contact_a_trajectory_is_not_in_contact(team):
    TrajectoryFactory(client__team=team)

    assert in_contact() == set()


def test_the_window_is_a_setting(team, settings):
    settings.RIO_STILL_IN_CONTACT_DAYS = 10
    trajectory = TrajectoryFactory(client__team=team)
    ContactFactory(trajectory=trajectory, date=DAY - datetime.timedelta(days=11))
    assert in_contact() == set()
    ContactFactory(trajectory=trajectory, date=DAY - datetime.timedelta(days=10))
    assert in_contact() == {trajectory.pk}


def test_each_trajectory_is_asked_at_its_own_date(team):
    # The day is a field of the trajectory: its release.
    detained = {"client__team": team, "detention_start": datetime.date(2024, 6, 1)}
    early = TrajectoryFactory(**detained, actual_release=datetime.date(2025, 1, 1))
    late = TrajectoryFactory(**detained, actual_release=datetime.date(2025, 6, 1))
    unreleased = TrajectoryFactory(**detained, actual_release=None)
    for trajectory in (early, late, unreleased):
        ContactFactory(trajectory=trajectory, date=datetime.date(2024, 12, 1))

    flags = dict(
        Trajectory.objects.with_contact_before("actual_release", name="in_contact").values_list(
            "pk", "in_contact"
        )
    )

    assert flags == {early.pk: True, late.pk: False, unreleased.pk: False}
