"""Every choice field of `cases` is checked by the database, from its TextChoices."""

import pytest

from audit.models import AccessLogEntry
from cases.models import TimelineEvent, Trajectory
from tests.constraints import assert_database_refuses
from tests.factories import (
    ClientFactory,
    ContactFactory,
    DJIMessageFactory,
    DocumentFactory,
    NetworkMemberFactory,
    TrajectoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def a_timeline_event() -> TimelineEvent:
    trajectory = TrajectoryFactory()
    return TimelineEvent.record(
        trajectory=trajectory, kind=TimelineEvent.Kind.CHANGE, by=None, title="Gewijzigd"
    )


def an_access_log_entry() -> AccessLogEntry:
    return AccessLogEntry.objects.create(
        user=UserFactory(mfa=False), action=AccessLogEntry.Action.VIEW, what="dossier"
    )


def closed_trajectory() -> Trajectory:
    return TrajectoryFactory(closed=True)


CHECKS = [
    (ClientFactory, "address_kind", "castle", "client_address_kind_valid"),
    (ClientFactory, "lvb", "maybe", "client_lvb_valid"),
    (TrajectoryFactory, "status", "lost", "trajectory_status_valid"),
    (TrajectoryFactory, "offences", ["robbery", "fraud"], "trajectory_offences_valid"),
    (closed_trajectory, "end_reason", "bored", "trajectory_end_reason_valid"),
    (ContactFactory, "kind", "letter", "contact_kind_valid"),
    (ContactFactory, "with_whom", ["client", "judge"], "contact_with_whom_valid"),
    (ContactFactory, "domains", ["housing", "leisure"], "contact_domains_valid"),
    (NetworkMemberFactory, "influence", "mixed", "network_member_influence_valid"),
    (DocumentFactory, "kind", "photo", "document_kind_valid"),
    (DJIMessageFactory, "kind", "rumour", "dji_message_kind_valid"),
    (a_timeline_event, "kind", "gossip", "timeline_event_kind_valid"),
    (an_access_log_entry, "action", "peek", "access_log_action_valid"),
]


@pytest.mark.parametrize(
    ("make", "field", "value", "constraint"),
    CHECKS,
    ids=[f"{field}-{constraint}" for _make, field, _value, constraint in CHECKS],
)
def test_the_database_refuses_a_value_outside_the_choices(make, field, value, constraint):
    assert_database_refuses(make(), field, value, constraint)


def test_the_database_accepts_every_end_reason_and_none_while_open():
    TrajectoryFactory()  # open, so without an end reason
    closed = TrajectoryFactory(closed=True)
    for reason in Trajectory.EndReason.values:
        Trajectory.objects.filter(pk=closed.pk).update(end_reason=reason)
    assert Trajectory.objects.filter(end_reason="").count() == 1
