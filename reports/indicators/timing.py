"""Indicator 3: starting on time -- was guidance under way before the young person left
detention?

Counted are the trajectories released in the period (`actual_release` in it): only
for them is it known whether guidance started before release. Every figure is
counted in one aggregate query, for the scope and the whole country at once, from
the rules of the apps that own the facts: `with_guidance_started_before_release()`
and `with_first_contact()` (cases), `with_t0_before_release()` (lifedomains).
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from cases.models import Trajectory
from lifedomains.models import with_t0_before_release
from reports.indicators.base import (
    DaysBetween,
    Median,
    Period,
    Scope,
    Section,
    Table,
    figures,
    measures,
    shares,
)


def released_in(period: Period) -> Q:
    return Q(actual_release__gte=period.start, actual_release__lte=period.end)


def counts(scope: Scope, period: Period) -> dict[str, tuple]:
    """(scope, national) per figure, in one query."""
    within = scope.condition()
    # The median is over the trajectories whose two dates are both known.
    measured = Q(detention_start__isnull=False, first_contact__isnull=False)
    counted = {
        "released": Q(),
        "started_before": Q(guidance_started_before_release=True),
        "t0_before": Q(t0_before_release=True),
        "measured": measured,
    }
    aggregates = {}
    for name, condition in counted.items():
        aggregates[f"{name}__own"] = Count("pk", filter=within & condition)
        aggregates[f"{name}__all"] = Count("pk", filter=condition)
    days = DaysBetween("detention_start", "first_contact")
    aggregates["median__own"] = Median(days, filter=within & measured)
    aggregates["median__all"] = Median(days, filter=measured)
    trajectories = with_t0_before_release(
        Trajectory.objects.filter(released_in(period))
        .with_guidance_started_before_release()
        .with_first_contact()
    )
    result = trajectories.aggregate(**aggregates)
    return {name: (result[f"{name}__own"], result[f"{name}__all"]) for name in (*counted, "median")}


def timing_tables(scope: Scope, period: Period) -> list[Table]:
    found = counts(scope, period)
    released = found["released"]

    def shares_of(name: str) -> tuple:
        (own_part, part), (own_whole, whole) = found[name], released
        return shares(own_part, own_whole, part, whole)

    return [
        figures(
            scope,
            "timing",
            _("Guidance and T0 assessment before release"),
            _(
                "Of the trajectories whose young person was released in the period: the "
                "share whose guidance started before the day of release, and the share with "
                "a T0 assessment dated before the day of release. Not shown over fewer than "
                "5 young people."
            ),
            [
                (_("Guidance started before release"), shares_of("started_before")),
                (_("T0 assessment before release"), shares_of("t0_before")),
            ],
        ),
        figures(
            scope,
            "first-contact",
            _("Days from the start of detention to the first contact"),
            _(
                "Of the trajectories whose young person was released in the period and "
                "whose start of detention is known: the median number of days from the "
                "start of detention to the first contact with the young person (a contact "
                "with partners or the network alone does not count). A first contact before "
                "the detention counts as a negative number. Trajectories without any contact "
                "with the young person are not counted. Not shown over fewer than 5 young "
                "people."
            ),
            [
                (
                    _("Median number of days"),
                    measures(
                        found["median"][0],
                        found["measured"][0],
                        found["median"][1],
                        found["measured"][1],
                        digits=0,
                    ),
                )
            ],
            chart=False,
        ),
    ]


def sections(scope: Scope, period: Period) -> list[Section]:
    """Indicator 3, counted in one query."""
    return [Section("timing", str(_("Starting on time")), timing_tables(scope, period))]
