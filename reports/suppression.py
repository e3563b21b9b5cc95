"""Small numbers are not shown (AC-4), so no young person can be singled out.

Two rules, applied to every column of every table before it reaches a template:

- Primary: a count of 1 to 4 persons is shown as "<5". Zero is shown as 0: an
  empty cell says nothing about anyone.
- Secondary: where a column shows a total, one hidden cell could be found by
  subtracting the others from the total. So when exactly one cell of the column
  is hidden, the next-smallest non-zero cell is hidden too (shown as "hidden",
  because it is 5 or more and "<5" would not be true).

A mean or median over fewer than 5 persons is not shown at all.

Beside the scope's figure the page shows the country's. Where few municipalities
use the system, the country minus the scope is the rest: when that rest is 1 to 4
persons, the national figure would give them away by subtraction, so it is hidden
too (`suppress_national`, `rest_is_small`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

THRESHOLD = 5
SMALL = "<5"
HIDDEN = _("hidden")


def is_small(count: int) -> bool:
    """1 to 4 persons: too few to show."""
    return 0 < count < THRESHOLD


def shown(count: int) -> int | str:
    """A single count as the page shows it (primary suppression only)."""
    return SMALL if is_small(count) else count


@dataclass(frozen=True)
class Column:
    """The cells of one column as the page shows them, and its total (None without one)."""

    cells: list[int | str]
    total: int | str | None


def rest_is_small(own: int, national: int) -> bool:
    """The rest of the country beside the scope is 1 to 4 persons."""
    return is_small(national - own)


def suppress_column(
    counts: Sequence[int], *, with_total: bool = True, hide: Sequence[int] = ()
) -> Column:
    """Apply both rules to one column of counts; `with_total` adds (and protects) its sum.
    The cells at the indexes in `hide` are hidden as well, and count as hidden cells for
    the secondary rule.

    Without a total (e.g. offences, where one person counts under several) nothing can
    be subtracted, so only the primary rule applies.
    """
    cells: list[int | str] = [shown(count) for count in counts]
    for index in hide:
        if not is_small(counts[index]):
            cells[index] = HIDDEN
    if not with_total:
        return Column(cells=cells, total=None)
    small = [index for index, count in enumerate(counts) if is_small(count) or index in hide]
    if len(small) == 1:
        candidates = [
            (count, index) for index, count in enumerate(counts) if count > 0 and index not in small
        ]
        if candidates:
            _count, index = min(candidates)
            cells[index] = HIDDEN
    return Column(cells=cells, total=shown(sum(counts)))


def suppress_national(
    own: Sequence[int], national: Sequence[int], *, with_total: bool = True
) -> Column:
    """The country's column beside the scope's `own`: a cell whose rest of the country
    (national minus own) is 1 to 4 persons is hidden, and so is the total whose rest is."""
    hide = [
        index for index, pair in enumerate(zip(own, national, strict=True)) if rest_is_small(*pair)
    ]
    column = suppress_column(national, with_total=with_total, hide=hide)
    if with_total and rest_is_small(sum(own), sum(national)) and not is_small(sum(national)):
        return Column(cells=column.cells, total=HIDDEN)
    return column


def shown_mean(value: float | None, *, persons: int) -> float | None:
    """A mean or median, or None when it is over fewer than 5 persons."""
    if value is None or persons < THRESHOLD:
        return None
    return value
