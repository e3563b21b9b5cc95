"""Every choice field of `followup` is checked by the database, from its TextChoices."""

import pytest

from followup.models import FollowUpMoment, Notification
from tests.constraints import assert_database_refuses
from tests.factories import TrajectoryFactory, days

pytestmark = pytest.mark.django_db


def a_moment() -> FollowUpMoment:
    return FollowUpMoment.objects.create(
        trajectory=TrajectoryFactory(),
        kind=FollowUpMoment.Kind.AFTER_1M,
        planned_on=days(3),
        due_on=days(3),
    )


def a_notification() -> Notification:
    trajectory = TrajectoryFactory()
    return Notification.objects.create(
        recipient=trajectory.caseworker,
        trajectory=trajectory,
        kind=Notification.Kind.NO_CONTACT,
        due_on=days(0),
    )


CHECKS = [
    (a_moment, "kind", "after_5y", "followup_moment_kind_valid"),
    (a_moment, "status", "forgotten", "followup_moment_status_valid"),
    (a_notification, "kind", "spam", "notification_kind_valid"),
]


@pytest.mark.parametrize(
    ("make", "field", "value", "constraint"),
    CHECKS,
    ids=[f"{field}-{constraint}" for _make, field, _value, constraint in CHECKS],
)
def test_the_database_refuses_a_value_outside_the_choices(make, field, value, constraint):
    assert_database_refuses(make(), field, value, constraint)
