"""Indicator 6: follow-up kept.

Two questions, each counted in one aggregate query for the scope and the country
at once, by the rules the caseworker's schedule and the reminders use:

- The follow-up moments due in the period (`due_on`), of trajectories in scope:
  done on time, done late, overdue, open and not yet due, cancelled
  (`FollowUpMomentQuerySet`'s conditions).
- Of the trajectories whose day 12 (or 24) months after release falls in the
  period and has passed, the share still in contact then: a contact in the
  `RIO_STILL_IN_CONTACT_DAYS` days before that day (`contact_before`, the rule of
  `Trajectory.objects.in_contact_before`). A trajectory closed before that day
  counts, as not in contact unless it had a contact in those days.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Count, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Trajectory, contact_before
from followup.models import FollowUpMoment, FollowUpMomentQuerySet
from lifedomains.models import MonthsAfter
from reports.indicators.base import Period, Scope, Section, Table, figures, shares, table

Rules = FollowUpMomentQuerySet
AFTER_RELEASE = (12, 24)


def moment_cells(today: datetime.date) -> list[tuple[str, object, Q]]:
    """The state of a moment today: (key, label, condition). Every moment is in exactly one."""
    return [
        ("on_time", _("Done on time"), Rules.done_on_time_condition()),
        ("late", _("Done late"), Rules.done_late_condition()),
        ("overdue", _("Overdue (still open)"), Rules.overdue_condition(today)),
        ("not_yet_due", _("Open, not yet due"), Rules.not_yet_due_condition(today)),
        ("cancelled", _("Cancelled"), Rules.cancelled_condition()),
    ]


def moment_counts(scope: Scope, period: Period, today: datetime.date) -> dict[str, tuple[int, int]]:
    """(scope, national) per state of `moment_cells`, of the moments due in the period."""
    within = scope.condition("trajectory__")
    aggregates = {}
    for key, _label, condition in moment_cells(today):
        aggregates[f"{key}__own"] = Count("pk", filter=within & condition)
        aggregates[f"{key}__all"] = Count("pk", filter=condition)
    found = FollowUpMoment.objects.filter(
        due_on__gte=period.start, due_on__lte=period.end
    ).aggregate(**aggregates)
    return {
        key: (found[f"{key}__own"], found[f"{key}__all"])
        for key, _label, _condition in moment_cells(today)
    }


def moments_table(scope: Scope, period: Period, today: datetime.date) -> Table:
    found = moment_counts(scope, period, today)
    cells = moment_cells(today)
    return table(
        scope,
        "followup-moments",
        _("Follow-up moments due in the period"),
        _(
            "Every planned follow-up moment (intake, monthly contact in detention, release "
            "preparation, release day, and 1 week to 24 months after release) whose due date "
            "is in the period, by its state today. On time: done on or before the due "
            "date; late: done after it; overdue: still open and the due date has passed. "
            "Cancelled moments were no longer needed, because the dates changed or the "
            "trajectory closed."
        ),
        [label for _key, label, _condition in cells],
        [found[key][0] for key, _label, _condition in cells],
        [found[key][1] for key, _label, _condition in cells],
    )


def contact_counts(
    scope: Scope, period: Period, today: datetime.date
) -> dict[int, dict[str, tuple[int, int]]]:
    """Per 12 and 24 months after release, (scope, national) of the trajectories that
    reached that day in the period (`reached`) and of those in contact then (`in_contact`)."""
    within = scope.condition()
    # Only a day that has passed can be judged.
    last = min(period.end, today)
    trajectories = Trajectory.objects.filter(actual_release__isnull=False)
    aggregates, reached_any = {}, Q()
    for months in AFTER_RELEASE:
        day = f"after_{months}"
        trajectories = trajectories.alias(**{day: MonthsAfter("actual_release", months)}).alias(
            **{f"in_contact_{months}": contact_before(OuterRef("pk"), day)}
        )
        reached = Q(**{f"{day}__gte": period.start, f"{day}__lte": last})
        reached_any |= reached
        in_contact = reached & Q(**{f"in_contact_{months}": True})
        aggregates[f"reached_{months}__own"] = Count("pk", filter=within & reached)
        aggregates[f"reached_{months}__all"] = Count("pk", filter=reached)
        aggregates[f"in_contact_{months}__own"] = Count("pk", filter=within & in_contact)
        aggregates[f"in_contact_{months}__all"] = Count("pk", filter=in_contact)
    # Only the trajectories that reached either day in the period ask for their contacts.
    found = trajectories.filter(reached_any).aggregate(**aggregates)
    return {
        months: {
            what: (found[f"{what}_{months}__own"], found[f"{what}_{months}__all"])
            for what in ("reached", "in_contact")
        }
        for months in AFTER_RELEASE
    }


def contact_table(scope: Scope, period: Period, today: datetime.date) -> Table:
    found = contact_counts(scope, period, today)
    labels = {
        12: _("12 months after release"),
        24: _("24 months after release"),
    }
    return figures(
        scope,
        "still-in-contact",
        _("Still in contact after release"),
        _(
            "Of the trajectories whose day 12 or 24 months after release is in the period "
            "(and not after today), the share that had a contact in the %(days)s days "
            "before that day, the day itself included. A trajectory closed before then "
            "counts too. Not shown over fewer than 5 young people."
        )
        % {"days": settings.RIO_STILL_IN_CONTACT_DAYS},
        [
            (
                labels[months],
                shares(
                    found[months]["in_contact"][0],
                    found[months]["reached"][0],
                    found[months]["in_contact"][1],
                    found[months]["reached"][1],
                ),
            )
            for months in AFTER_RELEASE
        ],
    )


def sections(scope: Scope, period: Period) -> list[Section]:
    """Indicator 6, counted in two queries."""
    today = timezone.localdate()
    return [
        Section(
            "followup-kept",
            str(_("Follow-up kept")),
            [moments_table(scope, period, today), contact_table(scope, period, today)],
        )
    ]
