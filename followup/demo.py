"""Demo follow-up: each demo trajectory's schedule, what was done, and the inbox.

Runs after the cases, partners and lifedomains demo data. A past moment counts
as done when a contact took place around it (two weeks before to three weeks
after): that contact is linked, and the measurement of that moment too. A
moment with no contact around it stays open, so it shows as overdue, like the
young person who has not been seen for 40 days. A closed trajectory keeps its
moments up to the end as done and the rest cancelled. Then the same sweep as
every night fills the inboxes.
"""

from __future__ import annotations

import copy
from bisect import bisect_left
from datetime import timedelta

from django.utils import timezone

from cases.models import Trajectory
from followup.models import FollowUpMoment
from followup.reminders import sweep
from followup.schedule import sync_schedule

Status = FollowUpMoment.Status
BEFORE = timedelta(days=14)
AFTER = timedelta(days=21)
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
    closed = trajectory.status == Trajectory.Status.CLOSED
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
    contacts = sorted(trajectory.contacts.all(), key=lambda c: c.date)
    contact_days = [c.date for c in contacts]
    assessments = {a.moment: a for a in trajectory.assessments.all()}
    end = trajectory.ended_on or today
    done, cancelled = [], []
    for moment in trajectory.followup_moments.filter(status=Status.OPEN):
        if moment.due_on > end:
            if closed:
                cancelled.append(moment.pk)
            continue
        index = bisect_left(contact_days, moment.due_on - BEFORE)
        contact = contacts[index] if index < len(contacts) else None
        if contact and contact.date <= min(moment.due_on + AFTER, end):
            moment.contact, moment.done_on = contact, contact.date
        elif closed:
            moment.contact, moment.done_on = None, moment.due_on
        else:
            continue  # no contact around it: it stays open and overdue
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
