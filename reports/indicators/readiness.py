"""Indicator 4: ready on the day of release (the Monitor Nazorg measure), and six months on.

Counted are the trajectories released in the period. Each basic condition is read
as the release checklist stood at the end of the day of release -- not as it
stands today -- from its status history (`lifedomains.models.with_readiness_on_release`),
and again at the end of the day six months later (`with_readiness_at_end_of` with
`MonthsAfter("actual_release", 6)`) for those whose six months have passed by the
end of the period and before today. Both are counted in one aggregate query, for
the scope and the whole country at once.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Trajectory
from lifedomains.models import (
    MonthsAfter,
    ReadinessItem,
    with_readiness_at_end_of,
    with_readiness_on_release,
)
from reports.indicators.base import Period, Scope, Section, Table, figures, shares

ON_RELEASE = "done_on_release"
LATER = "done_six_months_later"
MONTHS_LATER = 6


def all_done(prefix: str) -> Q:
    return Q(**{f"{prefix}_{item}": True for item in ReadinessItem.BASIC})


def last_day_read(period: Period, today: datetime.date) -> datetime.date:
    """The last day whose end has passed and that lies in the period: the six months
    must be over by then for a trajectory to count at +6 months."""
    return min(period.end, today - datetime.timedelta(days=1))


def counts(scope: Scope, period: Period, today: datetime.date) -> dict[str, dict[str, tuple]]:
    """(scope, national) per basic condition and for all five, on the day of release
    and six months later, with the number of trajectories counted: in one query."""
    within = scope.condition()
    later_known = Q(months_later__lte=last_day_read(period, today))
    moments = {ON_RELEASE: Q(), LATER: later_known}
    aggregates = {}
    for prefix, counted in moments.items():
        conditions = {
            "counted": Q(),
            **{item: Q(**{f"{prefix}_{item}": True}) for item in ReadinessItem.BASIC},
            "all": all_done(prefix),
        }
        for name, condition in conditions.items():
            aggregates[f"{prefix}__{name}__own"] = Count("pk", filter=within & counted & condition)
            aggregates[f"{prefix}__{name}__all"] = Count("pk", filter=counted & condition)
    released = Trajectory.objects.filter(
        actual_release__gte=period.start, actual_release__lte=period.end
    ).alias(months_later=MonthsAfter("actual_release", MONTHS_LATER))
    trajectories = with_readiness_at_end_of(
        with_readiness_on_release(released),
        MonthsAfter("actual_release", MONTHS_LATER),
        prefix=LATER,
    )
    result = trajectories.aggregate(**aggregates)
    names = ("counted", *ReadinessItem.BASIC, "all")
    return {
        prefix: {
            name: (result[f"{prefix}__{name}__own"], result[f"{prefix}__{name}__all"])
            for name in names
        }
        for prefix in moments
    }


def rows(found: dict[str, tuple]) -> list[tuple]:
    counted = found["counted"]

    def shares_of(name: str) -> tuple:
        (own_part, part), (own_whole, whole) = found[name], counted
        return shares(own_part, own_whole, part, whole)

    return [
        *((ReadinessItem.Item(item).label, shares_of(item)) for item in ReadinessItem.BASIC),
        (_("All five basic conditions"), shares_of("all")),
    ]


def readiness_tables(scope: Scope, period: Period, today: datetime.date) -> list[Table]:
    found = counts(scope, period, today)
    return [
        figures(
            scope,
            "release-readiness",
            _("Basic conditions in order on the day of release"),
            _(
                "Of the trajectories whose young person was released in the period: per "
                "basic condition the share that was arranged or not needed on the day of "
                "release, as the checklist stood at the end of that day, not as it stands "
                "today. Something arranged after the day of release does not count. The last "
                "row: all five basic conditions in order. Not shown over fewer than 5 young "
                "people."
            ),
            rows(found[ON_RELEASE]),
            header=_("Basic condition"),
        ),
        figures(
            scope,
            "readiness-six-months",
            _("Basic conditions in order six months after release"),
            _(
                "The same, as the checklist stood at the end of the day six months after "
                "release. Counted are only the trajectories released in the period whose six "
                "months had passed by the end of the period and before today. Not shown over "
                "fewer than 5 young people."
            ),
            rows(found[LATER]),
            header=_("Basic condition"),
        ),
    ]


def sections(scope: Scope, period: Period) -> list[Section]:
    """Indicator 4, counted in one query."""
    return [
        Section(
            "release-readiness",
            str(_("Ready on the day of release")),
            readiness_tables(scope, period, timezone.localdate()),
        )
    ]
