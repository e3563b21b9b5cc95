"""The managers' indicators, computed in the database and suppressed before display.

Each indicator module offers `sections(scope, period)`: the sections (a heading
and its tables) it adds to the dashboard, every figure counted for the scope and
for the whole country in the same query. The page makes the same number of
queries whatever the amount of data (`tests/reports/test_dashboard.py`).
"""

from __future__ import annotations

from dataclasses import dataclass

from reports.indicators import caseload, chain, detention, domains, followup, readiness, timing
from reports.indicators.base import NATIONAL, Measure, Period, Row, Scope, Section, Table
from reports.indicators.caseload import AgeAtStart, cells, counts

__all__ = [
    "NATIONAL",
    "AgeAtStart",
    "Dashboard",
    "Measure",
    "Period",
    "Row",
    "Scope",
    "Section",
    "Table",
    "cells",
    "counts",
    "dashboard",
]

# The indicators in the order of the page.
INDICATORS = (caseload, timing, readiness, domains, followup, detention, chain)


@dataclass(frozen=True)
class Dashboard:
    scope: Scope
    period: Period
    sections: list[Section]

    @property
    def compare(self) -> bool:
        """Whether the page shows the national column: not when the scope is the country."""
        return not self.scope.is_national

    @property
    def tables(self) -> list[Table]:
        return [table for section in self.sections for table in section.tables]

    def table(self, key: str) -> Table | None:
        return next((table for table in self.tables if table.key == key), None)


def dashboard(scope: Scope, period: Period) -> Dashboard:
    """Every indicator for `scope` in `period`, beside the national figures, suppressed."""
    return Dashboard(
        scope=scope,
        period=period,
        sections=[
            section for indicator in INDICATORS for section in indicator.sections(scope, period)
        ],
    )
