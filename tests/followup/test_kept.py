"""Whether a follow-up moment was kept: done on time, done late, overdue, not yet due or
cancelled. Each moment is in exactly one state; the dashboard counts them by these rules."""

import datetime

import pytest

from followup.models import FollowUpMoment, FollowUpMomentQuerySet
from tests.factories import TrajectoryFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 12, 15)
DUE = datetime.date(2025, 12, 10)
Status = FollowUpMoment.Status
Rules = FollowUpMomentQuerySet


def state_of(moment: FollowUpMoment) -> list[str]:
    conditions = {
        "on_time": Rules.done_on_time_condition(),
        "late": Rules.done_late_condition(),
        "overdue": Rules.overdue_condition(TODAY),
        "not_yet_due": Rules.not_yet_due_condition(TODAY),
        "cancelled": Rules.cancelled_condition(),
    }
    return [
        name
        for name, condition in conditions.items()
        if FollowUpMoment.objects.filter(condition, pk=moment.pk).exists()
    ]


@pytest.mark.parametrize(
    ("fields", "state"),
    [
        ({"status": Status.DONE, "done_on": DUE - datetime.timedelta(days=5)}, "on_time"),
        ({"status": Status.DONE, "done_on": DUE}, "on_time"),
        ({"status": Status.DONE, "done_on": DUE + datetime.timedelta(days=1)}, "late"),
        ({"status": Status.OPEN, "due_on": TODAY - datetime.timedelta(days=1)}, "overdue"),
        ({"status": Status.OPEN, "due_on": TODAY}, "not_yet_due"),
        ({"status": Status.OPEN, "due_on": TODAY + datetime.timedelta(days=30)}, "not_yet_due"),
        ({"status": Status.CANCELLED, "cancelled_on": DUE}, "cancelled"),
    ],
    ids=[
        "done-early",
        "done-on-the-due-day",
        "done-the-day-after",
        "open-due-yesterday",
        "open-due-today",
        "open-due-later",
        "cancelled",
    ],
)
def test_a_moment_is_in_exactly_one_state(team, fields, state):
    fields = {"due_on": DUE, **fields}
    moment = FollowUpMoment.objects.create(
        trajectory=TrajectoryFactory(client__team=team),
        kind=FollowUpMoment.Kind.AFTER_1M,
        planned_on=fields["due_on"],
        **fields,
    )

    assert state_of(moment) == [state]


def test_done_on_time_and_late_filter_by_the_same_rule(team):
    trajectory = TrajectoryFactory(client__team=team)
    on_time, late = (
        FollowUpMoment.objects.create(
            trajectory=trajectory,
            kind=kind,
            planned_on=DUE,
            due_on=DUE,
            status=Status.DONE,
            done_on=done_on,
        )
        for kind, done_on in [
            (FollowUpMoment.Kind.AFTER_1M, DUE),
            (FollowUpMoment.Kind.AFTER_3M, DUE + datetime.timedelta(days=1)),
        ]
    )

    assert list(FollowUpMoment.objects.done_on_time()) == [on_time]
    assert list(FollowUpMoment.objects.done_late()) == [late]
