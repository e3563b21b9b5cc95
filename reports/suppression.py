"""Small numbers are not shown (AC-4), so no young person can be singled out.

Two rules, applied to every column of every table before it reaches a template:

- Primary: a count of 1 to 4 persons is shown as "<5". Zero is shown as 0: an
  empty cell says nothing about anyone.
- Secondary: where a column shows a total, one hidden cell could be found by
  subtracting the others from the total. So when exactly one cell of the column
  is hidden, the next-smallest non-zero cell is hidden too (shown as "hidden",
  because it is 5 or more and "<5" would not be true).

A mean or median over fewer than 5 persons is not shown at all.
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


def suppress_column(counts: Sequence[int], *, with_total: bool = True) -> Column:
    """Apply both rules to one column of counts; `with_total` adds (and protects) its sum.

    Without a total (e.g. offences, where one person counts under several) nothing can
    be subtracted, so only the primary rule applies.
    """
    cells: list[int | str] = [shown(count) for count in counts]
    if not with_total:
        return Column(cells=cells, total=None)
    small = [index for index, count in enumerate(counts) if is_small(count)]
    if len(small) == 1:
        candidates = [
            (count, index) for index, count in enumerate(counts) if count > 0 and index not in small
        ]
        if candidates:
            _count, index = min(candidates)
            cells[index] = HIDDEN
    return Column(cells=cells, total=shown(sum(counts)))


def shown_mean(value: float | None, *, persons: int) -> float | None:
    """A mean or median, or None when it is over fewer than 5 persons."""
    if value is None or persons < THRESHOLD:
        return None
    return value
