"""Indicator 7: new detention registered by the RIO, per year of release.

A cohort is the young people released in one calendar year (the trajectories
whose `actual_release` falls in it). Its figure is the share whose trajectory
the RIO ended with the reason "new detention" within the follow-up: from the
release up to and including the day `FOLLOW_UP_MONTHS` months later (the day
of the end evaluation), by `lifedomains.models.MonthsAfter`, the same calendar
arithmetic as the schedule and the end reminder.

This is what the RIO registered, not the WODC's recidivism figure: a young
person whose guidance ended earlier for another reason (moved away, stopped)
counts as without new detention, because the RIO no longer follows them.

Everything is counted as registered on the reference day: the last day of the
period, or today when the period ends later. A cohort is complete once the
follow-up of its last day (31 December) has ended on that day; only a complete
cohort gets a share. The younger cohorts are shown with their numbers so far,
marked as not yet complete, so the page says where the figures are heading
without passing a share that can still rise for a final one.

The five most recent cohorts up to the reference day are shown, counted for
the scope and the country in one query.
"""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from cases.models import Trajectory
from followup.reminders import FOLLOW_UP_YEARS
from lifedomains.models import MonthsAfter
from reports.indicators.base import NATIONAL, Period, Scope, Section, Table, figures, shares
from reports.suppression import suppress_column, suppress_national

# The two-year follow-up the RIO approach promises, as the end reminder counts it.
FOLLOW_UP_MONTHS = 12 * FOLLOW_UP_YEARS
# How many release years the tables show, the most recent last.
COHORTS = 5

NOT_COMPLETE = _("not yet complete")


def reference_day(period: Period) -> datetime.date:
    """The day the figures are counted on: the end of the period, not after today."""
    return min(period.end, timezone.localdate())


def cohort_years(day: datetime.date) -> list[int]:
    return list(range(day.year - COHORTS + 1, day.year + 1))


def follow_up_complete(year: int, day: datetime.date) -> bool:
    """Whether on `day` every young person released in `year` has had their whole
    follow-up: that of 31 December has ended (as `MonthsAfter` counts months)."""
    return datetime.date(year, 12, 31) + relativedelta(months=FOLLOW_UP_MONTHS) <= day


def released_in(year: int, day: datetime.date) -> Q:
    """Released in `year`, by `day`."""
    return Q(actual_release__year=year, actual_release__lte=day)


def new_detention_by(day: datetime.date) -> Q:
    """Ended with new detention within the follow-up after release, registered by `day`."""
    return Q(
        end_reason=Trajectory.EndReason.NEW_DETENTION,
        ended_on__gte=F("actual_release"),
        ended_on__lte=MonthsAfter("actual_release", FOLLOW_UP_MONTHS),
    ) & Q(ended_on__lte=day)


def counts(scope: Scope, day: datetime.date) -> dict[int, dict[str, int]]:
    """Per release year: `released` and `new` for the scope (`_own`) and the country
    (`_all`), in one query."""
    within = scope.condition()
    years = cohort_years(day)
    aggregates = {}
    for year in years:
        released = released_in(year, day)
        new = released & new_detention_by(day)
        aggregates[f"released_{year}_own"] = Count("pk", filter=within & released)
        aggregates[f"released_{year}_all"] = Count("pk", filter=released)
        aggregates[f"new_{year}_own"] = Count("pk", filter=within & new)
        aggregates[f"new_{year}_all"] = Count("pk", filter=new)
    result = Trajectory.objects.filter(
        actual_release__year__gte=years[0], actual_release__lte=day
    ).aggregate(**aggregates)
    return {
        year: {
            f"{figure}_{side}": result[f"{figure}_{year}_{side}"]
            for figure in ("released", "new")
            for side in ("own", "all")
        }
        for year in years
    }


def share_table(scope: Scope, day: datetime.date, found) -> Table:
    rows = []
    for year, figure in found.items():
        if follow_up_complete(year, day):
            cells = shares(
                figure["new_own"],
                figure["released_own"],
                figure["new_all"],
                figure["released_all"],
            )
        else:
            cells = (NOT_COMPLETE, NOT_COMPLETE)
        rows.append((str(year), cells))
    return figures(
        scope,
        "new-detention",
        _("New detention registered by the RIO within %(months)s months of release")
        % {"months": FOLLOW_UP_MONTHS},
        _(
            "Of the young people released in a year, the share whose trajectory the RIO "
            "ended with the reason “new detention” within %(months)s months of the release "
            "(up to and including the day %(months)s months later). This is what the RIO "
            "registered, not the official recidivism figure of the WODC: a young person "
            "whose guidance ended earlier for another reason, such as moving away, counts "
            "as without new detention. Counted as registered on %(day)s, the last day of "
            "the period (or today). A year is complete once %(months)s months have passed "
            "after its last day; a year not yet complete gets no share, its numbers so far "
            "are in the next table. Not shown over fewer than 5 young people."
        )
        % {"months": FOLLOW_UP_MONTHS, "day": date_format(day, "j F Y")},
        rows,
        header=_("Year of release"),
    )


def released_and_new(figure: dict, side: str) -> tuple:
    """The released of a year and those of them with new detention, on one side. The
    released are the total of two groups, with and without new detention, so both are
    suppressed as one column: where either group is 1 to 4, the other cannot be worked
    out by subtraction either."""

    def groups(where: str) -> list[int]:
        return [figure[f"new_{where}"], figure[f"released_{where}"] - figure[f"new_{where}"]]

    if side == "own":
        column = suppress_column(groups("own"))
    else:
        column = suppress_national(groups("own"), groups("all"))
    return column.total, column.cells[0]


def counts_table(scope: Scope, day: datetime.date, found) -> Table:
    sides = [("own", str(scope))]
    if not scope.is_national:
        sides.append(("all", str(NATIONAL)))
    columns = [
        str(heading % {"scope": name})
        for _side, name in sides
        for heading in (_("%(scope)s: released"), _("%(scope)s: new detention"))
    ]
    rows = [
        (
            str(year) if follow_up_complete(year, day) else _("%(year)s (so far)") % {"year": year},
            tuple(cell for side, _name in sides for cell in released_and_new(figure, side)),
        )
        for year, figure in found.items()
    ]
    return figures(
        scope,
        "new-detention-counts",
        _("Released, and new detention within %(months)s months, per year of release")
        % {"months": FOLLOW_UP_MONTHS},
        _(
            "The young people released in each year, and of them those whose trajectory "
            "ended with new detention within %(months)s months of the release, as "
            "registered on %(day)s. For a year not yet complete, the numbers so far."
        )
        % {"months": FOLLOW_UP_MONTHS, "day": date_format(day, "j F Y")},
        rows,
        header=_("Year of release"),
        columns=columns,
        chart=False,
    )


def sections(scope: Scope, period: Period) -> list[Section]:
    """Indicator 7, counted in one query."""
    day = reference_day(period)
    found = counts(scope, day)
    return [
        Section(
            "new-detention",
            str(_("New detention")),
            [share_table(scope, day, found), counts_table(scope, day, found)],
        )
    ]
