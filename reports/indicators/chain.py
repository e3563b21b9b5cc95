"""Indicator 8: the chain -- bottlenecks, requests to partners, legal bases for sharing.

Three tables of facts, one query each:

- Bottlenecks belong to the team that raised them, not to a young person, so
  they are scoped by their team (`Scope.team_condition`). Open and on the agenda
  are counted today, by their status and level today (the status history is a
  text log, not dates to count from); resolved is counted by its closing date in
  the period. Only the level and category are shown, never a title or text.
- Requests to partners are scoped by their trajectory and counted by the date
  of the answer in the period, per kind of organisation.
- Legal bases: the partners involved today in open trajectories, by the best
  state of their bases today (`Involvement.objects.with_sharing_state`), the
  rule the dossier shows.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Trajectory
from lifedomains.domains import Regie
from partners.models import Bottleneck, Involvement, Organisation, PartnerRequest, SharingBasis
from reports.indicators.base import (
    NATIONAL,
    DaysBetween,
    Median,
    Period,
    Row,
    Scope,
    Section,
    Table,
    measures,
    table,
    text,
)
from reports.suppression import suppress_column, suppress_national


def side_columns(scope: Scope, title) -> list[tuple[str, str]]:
    """The (side, header) of one figure: the scope's, and the country's beside it."""
    if scope.is_national:
        return [("own", str(title))]
    return [
        ("own", str(_("%(figure)s, %(scope)s") % {"figure": title, "scope": scope})),
        ("all", str(_("%(figure)s, %(scope)s") % {"figure": title, "scope": NATIONAL})),
    ]


def grid(
    scope: Scope,
    key: str,
    caption,
    explanation,
    labels: Sequence,
    counted: Sequence[tuple[str, str]],
    medians: Sequence[tuple[str, str, str]],
    found: dict,
    *,
    header,
) -> Table:
    """A table of several figures per row, each beside the country's: counts
    (`counted`, each column suppressed with its total) and medians (`medians`, over
    the count they name). `found[row][name_side]` holds the numbers, `found[None]`
    those of the total row."""
    columns, cells, totals, drawn = [], [], [], []
    for name, title in counted:
        for side, heading in side_columns(scope, title):
            values = [found[row][f"{name}_{side}"] for row, _label in labels]
            if side == "own":
                column = suppress_column(values)
            else:  # beside the scope's: the rest of the country must not be small either
                own = [found[row][f"{name}_own"] for row, _label in labels]
                column = suppress_national(own, values)
            if side == "own":
                drawn.append(len(columns))
            columns.append(heading)
            cells.append([text(cell) for cell in column.cells])
            totals.append(text(column.total))
    for name, title, persons in medians:
        for side, heading in side_columns(scope, title):
            columns.append(heading)
            cells.append(
                [text(median_cell(found[row], name, persons, side)) for row, _label in labels]
            )
            totals.append(text(median_cell(found[None], name, persons, side)))
    return Table(
        key=key,
        caption=str(caption),
        explanation=str(explanation),
        columns=tuple(columns),
        rows=[
            Row(str(label), tuple(column[index] for column in cells))
            for index, (_row, label) in enumerate(labels)
        ],
        total=Row(str(_("Total")), tuple(totals)),
        header=str(header),
        chart_columns=tuple(drawn),
    )


def median_cell(found: dict, name: str, persons: str, side: str):
    """A median over the row's `persons`; the country's is not shown when the rest of
    the country beside the scope is 1 to 4."""
    own, national = measures(
        found[f"{name}_own"],
        found[f"{persons}_own"],
        found[f"{name}_all"],
        found[f"{persons}_all"],
    )
    return own if side == "own" else national


# --- Bottlenecks -------------------------------------------------------------------------------

LEVELS = [(level, Regie(level).label) for level in Bottleneck.LEVELS]
CATEGORIES = [(category.value, category.label) for category in Bottleneck.Category]


def bottleneck_figures(period: Period) -> dict[str, Q]:
    """What is counted of a bottleneck: its status today, or resolved in the period."""
    return {
        "open": Q(status=Bottleneck.Status.OPEN),
        "scheduled": Q(status=Bottleneck.Status.SCHEDULED),
        "resolved": Q(
            status=Bottleneck.Status.RESOLVED,
            closed_on__gte=period.start,
            closed_on__lte=period.end,
        ),
    }


def bottleneck_counts(scope: Scope, period: Period) -> dict[str, dict]:
    """Per level and per category (and in all, `None`): the counts of
    `bottleneck_figures` and the median days to resolve, for the scope and the
    country, in one query."""
    within = scope.team_condition()
    measured = bottleneck_figures(period)
    groups = {
        "level": {level: Q(level=level) for level, _label in LEVELS},
        "category": {category: Q(category=category) for category, _label in CATEGORIES},
    }
    groups["level"][None] = groups["category"][None] = Q()
    days = DaysBetween("raised_on", "closed_on")
    aggregates = {}
    for by, rows in groups.items():
        for row, in_row in rows.items():
            for side, condition in (("own", within & in_row), ("all", in_row)):
                prefix = f"{by}__{row}__"
                for name, figure in measured.items():
                    aggregates[f"{prefix}{name}_{side}"] = Count("pk", filter=condition & figure)
                aggregates[f"{prefix}days_{side}"] = Median(
                    days, filter=condition & measured["resolved"]
                )
    result = Bottleneck.objects.aggregate(**aggregates)
    found: dict[str, dict] = {by: {row: {} for row in rows} for by, rows in groups.items()}
    for name, value in result.items():
        by, row, figure = name.split("__")
        found[by][None if row == "None" else row][figure] = value
    return found


def bottleneck_tables(scope: Scope, period: Period) -> list[Table]:
    found = bottleneck_counts(scope, period)
    counted = [
        ("open", _("Open today")),
        ("scheduled", _("On the agenda today")),
        ("resolved", _("Resolved in the period")),
    ]
    medians = [("days", _("Median days to resolve"), "resolved")]
    explanation = _(
        "The bottlenecks raised by the teams in scope: a bottleneck belongs to the team "
        "that raised it. Open and on the agenda: their status today. Resolved: closed as "
        "resolved on a day in the period (and not reopened since); closed as “cannot be "
        "resolved” does not count. Median days to resolve: from the day it was raised to "
        "the day it was closed, over those resolved in the period; not shown over fewer "
        "than 5. In the national column the bottlenecks of every team."
    )
    by_level = _("By the level the bottleneck has today: casus, proces or bestuurlijk.")
    return [
        grid(
            scope,
            "bottlenecks-level",
            _("Bottlenecks by level"),
            f"{by_level} {explanation}",
            LEVELS,
            counted,
            medians,
            found["level"],
            header=_("Level"),
        ),
        grid(
            scope,
            "bottlenecks-category",
            _("Bottlenecks by category"),
            explanation,
            CATEGORIES,
            counted,
            medians,
            found["category"],
            header=_("Category"),
        ),
    ]


# --- Requests to partners ----------------------------------------------------------------------

KINDS = [(kind.value, kind.label) for kind in Organisation.Kind]


def request_counts(scope: Scope, period: Period) -> dict:
    """Per kind of organisation (and in all, `None`): requests answered in the period,
    and the median days from question to answer, in one query."""
    within = scope.condition("trajectory__")
    days = DaysBetween("asked_on", "answered_on")
    aggregates = {}
    for kind in [*(kind for kind, _label in KINDS), None]:
        in_row = Q() if kind is None else Q(organisation__kind=kind)
        for side, condition in (("own", within & in_row), ("all", in_row)):
            aggregates[f"{kind}__answered_{side}"] = Count("pk", filter=condition)
            aggregates[f"{kind}__days_{side}"] = Median(days, filter=condition)
    result = PartnerRequest.objects.filter(
        answered_on__gte=period.start, answered_on__lte=period.end
    ).aggregate(**aggregates)
    found: dict = {kind: {} for kind, _label in KINDS} | {None: {}}
    for name, value in result.items():
        kind, figure = name.split("__")
        found[None if kind == "None" else kind][figure] = value
    return found


def request_table(scope: Scope, period: Period) -> Table:
    found = request_counts(scope, period)
    # Only the kinds that answered anywhere in the country: the others are zero throughout.
    kinds = [(kind, label) for kind, label in KINDS if found[kind]["answered_all"]]
    return grid(
        scope,
        "partner-requests",
        _("Requests to partners answered, by kind of organisation"),
        _(
            "The requests to partners of the young people in scope that were answered in "
            "the period, by the kind of organisation asked, and the median number of days "
            "from the day of the request to the day of the answer; not shown over fewer "
            "than 5 requests. Kinds of organisation that answered no request anywhere in "
            "the country are not listed."
        ),
        kinds,
        [("answered", _("Answered in the period"))],
        [("days", _("Median days to answer"), "answered")],
        found,
        header=_("Kind of organisation"),
    )


# --- Legal bases for sharing -------------------------------------------------------------------

SHARING_STATES = [
    *((state, state.label) for state in SharingBasis.State),
    (Involvement.NO_BASIS, _("No legal basis recorded")),
]


def basis_table(scope: Scope) -> Table:
    """One grouped query: the involvements by their sharing state today."""
    today = timezone.localdate()
    within = scope.condition("trajectory__")
    rows = (
        Involvement.objects.involved_on(today)
        .filter(trajectory__in=Trajectory.objects.open())
        .with_sharing_state(today)
        .values("sharing_state")
        .annotate(own=Count("pk", filter=within), national=Count("pk"))
        .order_by()
    )
    found = {row["sharing_state"]: (row["own"], row["national"]) for row in rows}
    return table(
        scope,
        "sharing-bases",
        _("Partners involved in open trajectories, by legal basis for sharing, today"),
        _(
            "The partners involved today in the open trajectories in scope, each counted "
            "once per trajectory, by the best legal basis recorded for sharing data with "
            "them, as the dossier shows it: valid, expires soon (within %(days)s days), not "
            "yet valid, expired, withdrawn, or no legal basis at all. Data may be shared "
            "only on a valid basis or one that expires soon; the other rows are the "
            "partners without a valid basis."
        )
        % {"days": settings.RIO_BASIS_EXPIRING_DAYS},
        [label for _state, label in SHARING_STATES],
        [found.get(state, (0, 0))[0] for state, _label in SHARING_STATES],
        [found.get(state, (0, 0))[1] for state, _label in SHARING_STATES],
        header=_("Legal basis"),
    )


def sections(scope: Scope, period: Period) -> list[Section]:
    """Indicator 8, in three queries."""
    return [
        Section(
            "chain",
            str(_("The chain")),
            [
                *bottleneck_tables(scope, period),
                request_table(scope, period),
                basis_table(scope),
            ],
        )
    ]
