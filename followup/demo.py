"""Demo follow-up: each demo trajectory's schedule, what was done, and the inbox.

Runs after the cases, partners and lifedomains demo data. A past moment counts
as done when a contact took place around it (two weeks before to three weeks
after), closest pairs first: that contact is linked, and the measurement of
that moment too. An older moment without a contact counts as done on its date
(the demo's contacts are sparser than the schedule); one of the last 30 days
stays open, so it shows as overdue. A closed trajectory keeps its moments up
to the end as done and the rest cancelled. Then the same sweep as every night
fills the inboxes.
"""

from __future__ import annotations

import copy
from datetime import timedelta

from django.utils import timezone

from cases.models import Trajectory
from followup.models import FollowUpMoment
from followup.reminders import sweep
from followup.schedule import sync_schedule

Status = FollowUpMoment.Status
BEFORE = timedelta(days=14)
AFTER = timedelta(days=21)
RECENT = timedelta(days=30)
DEMO_TEAMS = ("RIO Dordrecht", "RIO Rotterdam")


def seed() -> None:
    today = timezone.localdate()
    trajectories = Trajectory.objects.filter(client__team__name__in=DEMO_TEAMS).prefetch_related(
        "contacts", "assessments"
    )
    for trajectory in trajectories:
        seed_trajectory(trajectory, today)
    sweep(today=today)


def seed_trajectory(trajectory: Trajectory, today) -> None:
    closed = not trajectory.is_open
    as_planned = trajectory
    if closed:
        # Plan it as it was while it ran, then close it below.
        as_planned = copy.copy(trajectory)
        as_planned.status = (
            Trajectory.Status.AFTERCARE
            if trajectory.actual_release
            else Trajectory.Status.DETENTION
        )
    sync_schedule(as_planned)
    contacts = list(trajectory.contacts.all())
    assessments = {a.moment: a for a in trajectory.assessments.all()}
    end = trajectory.ended_on or today
    moments = list(trajectory.followup_moments.filter(status=Status.OPEN))
    cancelled = [m.pk for m in moments if closed and m.due_on > end]
    past = [m for m in moments if m.due_on <= end]
    # Pair moments with the contacts around them, closest pairs first, so the
    # release-day conversation fulfils the release day; one contact, one moment.
    pairs = sorted(
        (abs((c.date - m.due_on).days), m.due_on, i, j)
        for i, m in enumerate(past)
        for j, c in enumerate(contacts)
        if m.due_on - BEFORE <= c.date <= min(m.due_on + AFTER, end)
    )
    fulfilled: dict[int, int] = {}
    used: set[int] = set()
    for _distance, _due, i, j in pairs:
        if i not in fulfilled and j not in used:
            fulfilled[i] = j
            used.add(j)
    done = []
    for i, moment in enumerate(past):
        if i in fulfilled:
            moment.contact = contacts[fulfilled[i]]
            moment.done_on = moment.contact.date
        elif closed or moment.due_on < today - RECENT:
            moment.contact, moment.done_on = None, moment.due_on
        else:
            continue  # a recent moment without a contact stays open: overdue
        moment.status = Status.DONE
        moment.done_by = trajectory.caseworker
        moment.assessment = assessments.get(FollowUpMoment.MEASUREMENT.get(moment.kind))
        done.append(moment)
    FollowUpMoment.objects.bulk_update(
        done, ["status", "done_on", "done_by", "contact", "assessment"]
    )
    FollowUpMoment.objects.filter(pk__in=cancelled).update(
        status=Status.CANCELLED, cancelled_on=trajectory.ended_on
    )
