"""Extension points: the dossier's sections, the caseload's columns, and
what must follow when a trajectory's dates, status or caseworker change.

`cases` does not import the apps to its right. They register a template in
their AppConfig.ready(); the template renders from the context the dossier
gives every section (`client`, `trajectory`, `trajectories`, `user`) through
reverse relations. A caseload column also names a function that annotates
the caseload queryset (which has `current_trajectory_id`) with what its cell
shows, so the caseload stays a fixed number of queries.

A trajectory listener is called explicitly (not through a Django signal) by
every function in `cases` that writes a trajectory, inside its transaction:
the follow-up schedule is kept current that way without `cases` importing
`followup`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Section:
    order: int
    template: str


@dataclass(frozen=True, order=True)
class CaseloadColumn:
    order: int
    template: str
    header: str = field(compare=False)
    annotate: Callable = field(compare=False)


_sections: set[Section] = set()
_columns: set[CaseloadColumn] = set()
_trajectory_listeners: list[Callable] = []


def register_section(template: str, *, order: int) -> None:
    _sections.add(Section(order=order, template=template))


def sections() -> list[str]:
    return [section.template for section in sorted(_sections)]


def register_caseload_column(*, template: str, header, annotate: Callable, order: int) -> None:
    _columns.add(CaseloadColumn(order=order, template=template, header=header, annotate=annotate))


def caseload_columns() -> list[CaseloadColumn]:
    return sorted(_columns)


def register_trajectory_listener(listener: Callable) -> None:
    """`listener(trajectory, by=user_or_None)` runs after a trajectory was written."""
    if listener not in _trajectory_listeners:
        _trajectory_listeners.append(listener)


def trajectory_changed(trajectory, *, by=None) -> None:
    """Tell the registered listeners that `trajectory` was created or changed."""
    for listener in _trajectory_listeners:
        listener(trajectory, by=by)
