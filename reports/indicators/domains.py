"""Indicator 5: the five life domains over two years.

Per domain one table, a row per fixed measurement moment (T0, at release, 6, 12
and 24 months after release): how many scored 1 to 5, how many did not discuss
the domain, and the mean change since the same young person's T0 on that domain.
Counted are the measurements dated in the period, of the trajectories in scope;
their T0 may lie before the period. The measurements "in between" are left out:
they have no fixed place in the two years.

Everything is counted in one grouped query (moment x domain), the scope's
figures and the country's mean change side by side; the T0 pairing is the
`DomainScore.objects.with_change_since_t0()` rule.
"""

from __future__ import annotations

from django.db.models import Avg, Count, Q
from django.utils.translation import gettext_lazy as _

from lifedomains.domains import Domain, Level
from lifedomains.models import Assessment, DomainScore
from reports.indicators.base import (
    NATIONAL,
    NOT_SHOWN,
    Period,
    Row,
    Scope,
    Section,
    Table,
    measures,
    text,
)
from reports.suppression import HIDDEN, is_small, shown, suppress_column

Moment = Assessment.Moment
MOMENTS = (Moment.T0, Moment.RELEASE, Moment.M6, Moment.M12, Moment.M24)
LEVELS = tuple(Level.values)

# A row's cells: the five levels, not discussed, measured, with T0, then the two changes.
CHANGE = len(LEVELS) + 3
CHANGE_NATIONAL = CHANGE + 1


def counts(scope: Scope, period: Period) -> dict[tuple[str, str], dict]:
    """Per (moment, domain) the scope's counts and both mean changes, in one query."""
    within = scope.condition("assessment__trajectory__")
    rows = (
        DomainScore.objects.with_change_since_t0()
        .filter(
            assessment__moment__in=MOMENTS,
            assessment__date__gte=period.start,
            assessment__date__lte=period.end,
        )
        .values("assessment__moment", "domain")
        .annotate(
            **{f"level_{level}": Count("pk", filter=within & Q(score=level)) for level in LEVELS},
            not_discussed=Count("pk", filter=within & Q(discussed=False)),
            # The change is None without a T0 score or a score now: Count and Avg
            # skip it, so they count only the measurements paired with a T0.
            paired=Count("change_since_t0", filter=within),
            change=Avg("change_since_t0", filter=within),
            paired_national=Count("change_since_t0"),
            change_national=Avg("change_since_t0"),
        )
        .order_by()
    )
    return {(row["assessment__moment"], row["domain"]): row for row in rows}


EMPTY = {
    **{f"level_{level}": 0 for level in LEVELS},
    "not_discussed": 0,
    "paired": 0,
    "change": None,
    "paired_national": 0,
    "change_national": None,
}


def row_of(moment: str, found: dict, *, compare: bool) -> Row:
    """One moment of one domain, suppressed: the five levels and "not discussed" are one
    group whose total is the number measured (each cell <5 or hidden by the two rules);
    the number with a T0 and the mean changes on their own."""
    group = suppress_column(
        [found[f"level_{level}"] for level in LEVELS] + [found["not_discussed"]]
    )
    if moment == Moment.T0:
        change = (NOT_SHOWN, NOT_SHOWN, NOT_SHOWN)
    else:
        scored = sum(found[f"level_{level}"] for level in LEVELS)
        paired = shown(found["paired"])
        if is_small(scored - found["paired"]) and not is_small(found["paired"]):
            # Measured, less not discussed, less these would count the few without a T0.
            paired = HIDDEN
        change = (
            paired,
            *measures(
                found["change"],
                found["paired"],
                found["change_national"],
                found["paired_national"],
            ),
        )
    cells = (*group.cells, group.total, *change)
    if not compare:
        cells = cells[:CHANGE_NATIONAL]
    return Row(str(Moment(moment).label), tuple(text(cell) for cell in cells))


def columns(scope: Scope, *, compare: bool) -> tuple[str, ...]:
    headers = [
        *(str(level) for level in LEVELS),
        str(_("Not discussed")),
        str(_("Measured")),
        str(_("With T0")),
        str(_("Change since T0: %(scope)s") % {"scope": scope}),
    ]
    if compare:
        headers.append(str(_("Change since T0: %(scope)s") % {"scope": NATIONAL}))
    return tuple(headers)


def domain_table(scope: Scope, domain: Domain, found: dict) -> Table:
    compare = not scope.is_national
    return Table(
        key=f"domain-{domain.value}",
        caption=str(domain.label),
        explanation=str(
            _(
                "The measurements of %(domain)s made in the period, per moment: how many "
                "young people scored 1 (acute problem) to 5 (fully self-sufficient), and how "
                "many did not discuss this domain then (never counted as a score). The mean "
                "change since T0 compares each score with the same young person's T0 score "
                "on this domain, also when the T0 was before the period; young people "
                "without a T0 score on it are not in that mean (the number with T0). Not "
                "shown over fewer than 5."
            )
            % {"domain": str(domain.label).lower()}
        ),
        columns=columns(scope, compare=compare),
        rows=[
            row_of(moment, found.get((moment, domain.value), EMPTY), compare=compare)
            for moment in MOMENTS
        ],
        header=str(_("Moment")),
        # The mean change, beside the country's: the progress a manager looks for.
        chart_columns=(CHANGE, CHANGE_NATIONAL) if compare else (CHANGE,),
    )


def sections(scope: Scope, period: Period) -> list[Section]:
    """Indicator 5, counted in one query."""
    found = counts(scope, period)
    return [
        Section(
            "domains",
            str(_("The five life domains")),
            [domain_table(scope, domain, found) for domain in Domain],
        )
    ]
