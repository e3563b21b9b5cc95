"""The dossier's sections, the caseload's columns, and what must follow when a
trajectory's facts change — wired in one place, `rio/settings.py`.

`cases` does not import the apps to its right. Each app describes its own
sections and columns as objects in its `sections` module; the settings
`RIO_DOSSIER_SECTIONS`, `RIO_CASELOAD_COLUMNS` and `RIO_TRAJECTORY_LISTENERS`
list them, in order, by dotted path (as `MIDDLEWARE` lists middleware).

- A `Section` is a template and a `context(dossier)` function. The dossier view
  calls every section's `context()`, so every query the page runs is made in
  the view's own call and pinned by the dossier's query-count test; templates
  only format. The dossier's table of contents is generated from the list.
- A `CaseloadColumn` is a header, a template for its cell, and an
  `annotate(clients, today=...)` function that adds what the cell shows to the
  caseload queryset (which has `current_trajectory_id`), so the caseload
  stays a fixed number of queries.
- A trajectory listener, `listener(trajectory, by=user_or_None)`, is called
  explicitly (not through a Django signal) by every model verb that writes a
  trajectory, inside its transaction: the follow-up schedule is kept current
  that way without `cases` importing `followup`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from accounts.models import User
    from cases.models import Client, Trajectory


@dataclass(frozen=True)
class Dossier:
    """What every section gets: the client, its trajectories (newest first), the reader."""

    client: Client
    trajectory: Trajectory | None
    trajectories: list[Trajectory]
    user: User
    today: datetime.date


@dataclass(frozen=True)
class Section:
    anchor: str
    title: Any
    template: str
    context: Callable[[Dossier], dict]


@dataclass(frozen=True)
class CaseloadColumn:
    header: Any
    template: str
    annotate: Callable


def _load(setting: str) -> list:
    return [import_string(path) for path in getattr(settings, setting)]


def sections() -> list[Section]:
    return _load("RIO_DOSSIER_SECTIONS")


def caseload_columns() -> list[CaseloadColumn]:
    return _load("RIO_CASELOAD_COLUMNS")


def section_context(dossier: Dossier) -> dict:
    """The context of every section, merged; two sections may not use the same name."""
    merged: dict = {}
    for section in sections():
        data = section.context(dossier)
        if clash := merged.keys() & data.keys():
            raise ImproperlyConfigured(
                f"Dossier section {section.anchor!r} reuses the names {sorted(clash)}."
            )
        merged.update(data)
    return merged


def trajectory_changed(trajectory, *, by=None) -> None:
    """Tell the listeners that `trajectory` was created or its facts changed."""
    for listener in _load("RIO_TRAJECTORY_LISTENERS"):
        listener(trajectory, by=by)
