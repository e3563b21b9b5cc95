"""The change history: every insert, update and delete of client-bound data (AL-1, AL-2).

Database triggers (django-pghistory) write an event row with the values after
the change (and so, with the row before it, the change itself), so bulk
updates and `.update()` calls are caught as well as `save()`. The event tables
are append-only in the database. Each app decorates its client-bound models
with `tracked()`; the event models live beside the models they follow.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pghistory
import pghistory.middleware
import pghistory.models
from axes.helpers import get_client_ip_address
from django.apps import apps
from django.db import models
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _


def tracked(model=None, *, exclude: tuple[str, ...] = ()):
    """Record every create, change and delete of the decorated model, append-only.

    The history model is `<Model>History` (not pghistory's `<Model>Event`, which
    would clash with the domain's own events such as `BottleneckEvent`).
    `@tracked(exclude=(...))` leaves out fields that are derived from other tracked
    rows (a stored date of the last contact): a change of only those is no event.
    """
    if model is None:
        return functools.partial(tracked, exclude=exclude)
    return pghistory.track(
        pghistory.InsertEvent(),
        pghistory.UpdateEvent(),
        pghistory.DeleteEvent(),
        append_only=True,
        exclude=list(exclude) or None,
        model_name=f"{model.__name__}History",
        # `record.history` (never deleted with the record: no database constraint).
        obj_field=pghistory.ObjForeignKey(related_name="history", db_constraint=False),
    )(model)


class HistoryMiddleware(pghistory.middleware.HistoryMiddleware):
    """Stamps each change with who (user id), where (path) and from which address."""

    def get_context(self, request):
        return {**super().get_context(request), "ip": get_client_ip_address(request)}


# --- One client's history across all their records ------------------------------------

# The audit trail knows clients only by number: the model is named, never imported.
CLIENT_MODEL = "cases.Client"


def _path_condition(model, seen=(), target=CLIENT_MODEL) -> tuple[str, int] | None:
    """SQL on an event row of `model` (alias-free column names) that holds when the
    row belongs to the client (or other `target` record) `%(client)s`, through the
    history tables of the records in between (so a deleted parent still counts), with
    the length of that path; None when `model` has no path to the target."""
    if model._meta.label == target:
        return "pgh_obj_id = %(client)s", 0
    best = None
    for field in model._meta.concrete_fields:
        parent = field.related_model if field.is_relation else None
        if parent is None or parent in seen or not hasattr(parent, "history"):
            continue
        if parent._meta.label == target:
            return f'"{field.column}" = %(client)s', 1
        found = _path_condition(parent, (*seen, model), target)
        if found and (best is None or found[1] + 1 < best[1]):
            table = parent.history.rel.related_model._meta.db_table
            best = (
                # Names from the models' own meta; the client's number is a parameter.
                f'"{field.column}" IN (SELECT pgh_obj_id FROM "{table}" WHERE {found[0]})',  # noqa: S608
                found[1] + 1,
            )
    return best


@functools.cache
def client_event_models() -> dict:
    """Every event model whose records hang off a client, with its SQL condition."""
    from pghistory.core import event_models

    conditions = {}
    for event_model in event_models():
        tracked_model = getattr(event_model, "pgh_tracked_model", None)
        if tracked_model is not None and (found := _path_condition(tracked_model)):
            conditions[event_model] = found[0]
    return conditions


@functools.cache
def event_conditions(target: str) -> dict:
    """Every event model whose records hang off a `target` record ("app.Model"),
    with its SQL condition."""
    from pghistory.core import event_models

    conditions = {}
    for event_model in event_models():
        tracked_model = getattr(event_model, "pgh_tracked_model", None)
        if tracked_model is not None and (found := _path_condition(tracked_model, (), target)):
            conditions[event_model] = found[0]
    return conditions


class ClientEventsCompiler(pghistory.models.EventsQueryCompiler):
    def _get_where_clause(self, event_model):
        conditions = self.query.conditions or client_event_models()
        condition = conditions[event_model]
        with self.connection.cursor() as cursor:
            sql = cursor.mogrify(condition, {"client": self.query.client_ref})
        if isinstance(sql, bytes):
            sql = sql.decode()
        # The condition's first column is the event table's; a subquery's are its own.
        return f"WHERE _event.{sql}"


class ClientEventsQuery(pghistory.models.EventsQuery):
    client_ref = None
    # The conditions per event model; the client's when None.
    conditions = None

    def get_compiler(self, *args, **kwargs):
        compiler = super().get_compiler(*args, **kwargs)
        compiler.__class__ = ClientEventsCompiler
        return compiler


def client_events(client_ref: int):
    """All changes to one client's records (the client, trajectories, contacts, plan,
    scores, partners, follow-up …), newest first, as one query over every history table."""
    query = ClientEventsQuery(pghistory.models.Events)
    query.client_ref = client_ref
    events = pghistory.models.EventsQuerySet(pghistory.models.Events, query=query)
    return events.across(*client_event_models()).order_by("-pgh_created_at", "-pgh_slug")


def record_events(target: str, ref: int, event_models):
    """The changes to the records of `event_models` that hang off one `target` record
    (for example one trajectory's plan), newest first, as one query."""
    conditions = event_conditions(target)
    query = ClientEventsQuery(pghistory.models.Events)
    query.client_ref = ref
    query.conditions = {model: conditions[model] for model in event_models}
    events = pghistory.models.EventsQuerySet(pghistory.models.Events, query=query)
    return events.across(*event_models).order_by("-pgh_created_at", "-pgh_id", "-pgh_slug")


# Free text can be long; the history shows the start of it.
SHOWN_CHARACTERS = 80


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


def _shown(field, value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if field.choices:
        labels = dict(field.flatchoices)
        values = value if isinstance(value, list) else [value]
        return ", ".join(str(labels.get(v, v)) for v in values)
    base = getattr(field, "base_field", None)
    if base is not None and base.choices and isinstance(value, list):
        labels = dict(base.flatchoices)
        return ", ".join(str(labels.get(v, v)) for v in value)
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return Truncator(str(value)).chars(SHOWN_CHARACTERS)


def changes(event) -> list[Change]:
    """What an event changed, field by field (verbose names, choices by label, long text
    cut short): before → after for a change, the values for a creation, none for a
    deletion. Fields the model lists in `HIDDEN_IN_HISTORY` (the BSN, in clear, encrypted
    or as its blind index) are never shown, nor bookkeeping (version, id)."""
    model = apps.get_model(event.pgh_obj_model)
    hidden = {"id", "version", *getattr(model, "HIDDEN_IN_HISTORY", ())}
    if event.pgh_label == "delete":
        return []
    if event.pgh_diff:
        pairs = {key: tuple(value) for key, value in event.pgh_diff.items()}
    else:
        pairs = {key: (None, value) for key, value in (event.pgh_data or {}).items()}
    fields = {field.attname: field for field in model._meta.concrete_fields}
    result = []
    for key, (before, after) in pairs.items():
        field = fields.get(key)
        if field is None or field.name in hidden or key in hidden:
            continue
        if event.pgh_label == "insert" and after in (None, "", []):
            continue
        label = str(field.verbose_name).capitalize()
        result.append(Change(label, _shown(field, before), _shown(field, after)))
    return result


def record_label(event) -> str:
    """Which record: its kind (the model's verbose name) and number."""
    model = apps.get_model(event.pgh_obj_model)
    return f"{str(model._meta.verbose_name).capitalize()} {event.pgh_obj_id}"


# --- The history tables themselves ---------------------------------------------------


def history_of(model: type[models.Model]) -> type[models.Model] | None:
    """The change-history model (`audit.history.tracked`) of `model`, if it has one."""
    descriptor = getattr(model, "history", None)
    related = getattr(getattr(descriptor, "rel", None), "related_model", None)
    if related is not None and issubclass(related, pghistory.models.Event):
        return related
    return None


def history_models() -> list[type[models.Model]]:
    """Every change-history table of the project (each `<Model>History`)."""
    found = (history_of(model) for model in apps.get_models())
    return sorted({model for model in found if model is not None}, key=lambda m: m._meta.label)


def append_only(history: type[models.Model]) -> str:
    """The pgtrigger URI of a history table's append-only trigger (pghistory names it)."""
    return f"{history._meta.label}:append_only"
