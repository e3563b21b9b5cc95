"""What every indicator is made of: the period, the scope, and the tables the page shows.

A table is rows of cells under named columns. Its cells are already suppressed
(`reports.suppression`) when the table is made, so whatever reads a table -- the
page, its chart, the CSV and XLSX exports -- can only show what may be shown.
A cell is a count (int), a `Measure` (a share, mean or median, with its unit),
or a mark (str: "<5", "hidden", "–").
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Aggregate, F, FloatField, Func, IntegerField, Q
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _

from accounts.models import Municipality, Team
from reports.suppression import (
    SMALL,
    is_small,
    rest_is_small,
    shown_mean,
    suppress_column,
    suppress_national,
)

NATIONAL = _("The Netherlands")
NOT_SHOWN = "–"


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def last_twelve_months(cls, today: datetime.date) -> Period:
        """The twelve months ending today: from the day after the same date a year ago."""
        try:
            year_ago = today.replace(year=today.year - 1)
        except ValueError:  # 29 February
            year_ago = today.replace(year=today.year - 1, day=28)
        return cls(start=year_ago + datetime.timedelta(days=1), end=today)

    def __str__(self) -> str:
        return _("%(start)s to %(end)s") % {
            "start": date_format(self.start, "j F Y"),
            "end": date_format(self.end, "j F Y"),
        }


@dataclass(frozen=True)
class Scope:
    """Whose trajectories: one team, one municipality's teams, or all (municipality None)."""

    municipality: Municipality | None = None
    team: Team | None = None

    @property
    def is_national(self) -> bool:
        return self.municipality is None and self.team is None

    def condition(self, path: str = "") -> Q:
        """The trajectories in scope, through the team of their young person.

        `path` leads from the counted model to its trajectory, e.g. "trajectory__"
        for a follow-up moment.
        """
        return self.team_condition(f"{path}client__")

    def team_condition(self, path: str = "") -> Q:
        """The rows of the teams in scope, for what belongs to a team rather than to a
        trajectory (a bottleneck): `path` leads from the counted model to the owner of
        the `team` field, "" for the model itself."""
        if self.team is not None:
            return Q(**{f"{path}team": self.team})
        if self.municipality is not None:
            return Q(**{f"{path}team__municipality": self.municipality})
        return Q()

    def columns(self, *, compare: bool = True) -> tuple[str, ...]:
        """The headers of a table's figure columns: the scope, and beside it the whole
        country unless the scope is the country."""
        if compare and not self.is_national:
            return (str(self), str(NATIONAL))
        return (str(self),)

    def __str__(self) -> str:
        if self.team is not None:
            return f"{self.team} ({self.team.municipality})"
        if self.municipality is not None:
            return str(self.municipality)
        return str(NATIONAL)


@dataclass(frozen=True)
class Measure:
    """A share, mean or median as shown: its value, and how it reads ("45%", "3,2")."""

    value: float
    digits: int = 0
    unit: str = ""

    def __str__(self) -> str:
        return f"{number_format(round(self.value, self.digits), self.digits)}{self.unit}"


Cell = int | Measure | str | None


def share(part: int, whole: int) -> Measure | str:
    """`part` of `whole` as a percentage. Over fewer than 5 persons no share is shown,
    and a share of 1 to 4 persons shows "<5", as the count itself would."""
    if whole < 5:
        return NOT_SHOWN
    if is_small(part):
        return SMALL
    return Measure(100 * part / whole, unit="%")


def shares(
    own_part: int, own_whole: int, part: int, whole: int
) -> tuple[Measure | str, Measure | str]:
    """The scope's share beside the country's. The country's is not shown when the rest
    of the country (its part or its whole minus the scope's) is 1 to 4 persons: with the
    scope's share beside it, theirs could be worked out."""
    national = share(part, whole)
    if rest_is_small(own_part, part) or rest_is_small(own_whole, whole):
        national = NOT_SHOWN
    return share(own_part, own_whole), national


def measure(value: float | None, *, persons: int, digits: int = 1, unit: str = "") -> Measure | str:
    """A mean or median over `persons`: not shown over fewer than 5."""
    value = shown_mean(value, persons=persons)
    return NOT_SHOWN if value is None else Measure(float(value), digits=digits, unit=unit)


class Median(Aggregate):
    """The median in the database: PostgreSQL's `percentile_cont(0.5)`, interpolated
    between the two middle values when their number is even. Takes `filter=` like
    Count; None over no rows."""

    function = "percentile_cont"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


class DaysBetween(Func):
    """Whole days from one date to another, in the database (PostgreSQL's date
    subtraction). Give dates: cast a moment to a date first (`TruncDate`)."""

    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = IntegerField()

    def __init__(self, start, end, **extra):
        start = F(start) if isinstance(start, str) else start
        end = F(end) if isinstance(end, str) else end
        super().__init__(end, start, **extra)


def measures(
    own: float | None, own_persons: int, national: float | None, persons: int, **shown
) -> tuple[Measure | str, Measure | str]:
    """The scope's mean or median beside the country's; the country's is not shown when
    the rest of the country is 1 to 4 persons."""
    if rest_is_small(own_persons, persons):
        national = None
    return measure(own, persons=own_persons, **shown), measure(national, persons=persons, **shown)


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[Cell, ...]

    @property
    def own(self) -> Cell:
        """The scope's figure: the first column."""
        return self.cells[0]

    @property
    def national(self) -> Cell:
        """The country's figure, when the table compares (the second column)."""
        return self.cells[1] if len(self.cells) > 1 else None


@dataclass(frozen=True)
class Table:
    """One table of an indicator, suppressed. `columns` head the figure columns,
    `header` the column of row labels."""

    key: str
    caption: str
    explanation: str
    columns: tuple[str, ...]
    rows: list[Row]
    total: Row | None = None
    header: str = ""
    # Which columns the chart draws: counts of a municipality and of the country
    # differ too much to share an axis, so a table of counts draws its first
    # column; shares and means are drawn side by side.
    chart_columns: tuple[int, ...] = (0,)
    chart: bool = True

    def chart_data(self) -> dict:
        """The same numbers as the table, for Chart.js: a suppressed cell is a gap
        (null), never a number."""
        return {
            "labels": [row.label for row in self.rows],
            "datasets": [
                {
                    "label": self.columns[index],
                    "data": [plotted(row.cells[index]) for row in self.rows],
                }
                for index in self.chart_columns
                if index < len(self.columns)
            ],
            "unit": next(
                (
                    cell.unit
                    for row in self.rows
                    for cell in row.cells
                    if isinstance(cell, Measure) and cell.unit
                ),
                "",
            ),
        }


def plotted(cell: Cell) -> float | int | None:
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int):
        return cell
    if isinstance(cell, Measure):
        return round(cell.value, 2)
    return None


def text(cell: Cell) -> Cell:
    """A count or a measure stays as it is; a mark is translated now, in the language of
    the page."""
    return cell if cell is None or isinstance(cell, int | Measure) else str(cell)


def table(
    scope: Scope,
    key: str,
    caption,
    explanation,
    labels: Sequence,
    own: Sequence[int],
    national: Sequence[int] | None,
    *,
    with_total: bool = True,
    header="",
) -> Table:
    """A table of counts, the scope beside the country; each column suppressed on its
    own (with its total, when `with_total`). Without `national`, or when the scope is
    the country, one column."""
    compare = national is not None and not scope.is_national
    columns = [suppress_column(own, with_total=with_total)]
    if compare:
        columns.append(suppress_national(own, national, with_total=with_total))
    rows = [
        Row(str(label), tuple(text(column.cells[index]) for column in columns))
        for index, label in enumerate(labels)
    ]
    total = None
    if with_total:
        total = Row(str(_("Total")), tuple(text(column.total) for column in columns))
    return Table(
        key=key,
        caption=str(caption),
        explanation=str(explanation),
        columns=scope.columns(compare=compare),
        rows=rows,
        total=total,
        header=str(header),
    )


def figures(
    scope: Scope,
    key: str,
    caption,
    explanation,
    rows: Sequence[tuple[str, Sequence[Cell]]],
    *,
    header="",
    columns: Sequence[str] | None = None,
    chart: bool = True,
) -> Table:
    """A table of shares, means or medians (already made with `share`/`measure`):
    one row per label with a cell per column. By default the columns are the scope
    and the country, drawn side by side; with the country as scope its column is
    dropped."""
    if columns is None:
        columns = scope.columns()
        rows = [(label, tuple(cells)[: len(columns)]) for label, cells in rows]
    return Table(
        key=key,
        caption=str(caption),
        explanation=str(explanation),
        columns=tuple(str(column) for column in columns),
        rows=[Row(str(label), tuple(text(cell) for cell in cells)) for label, cells in rows],
        header=str(header),
        chart_columns=tuple(range(len(columns))),
        chart=chart,
    )


@dataclass(frozen=True)
class Section:
    """One indicator on the page: a heading, and its tables."""

    key: str
    title: str
    tables: list[Table] = field(default_factory=list)
