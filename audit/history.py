"""The change history: every insert, update and delete of client-bound data (AL-1, AL-2).

Database triggers (django-pghistory) write an event row with the values after
the change (and so, with the row before it, the change itself), so bulk
updates and `.update()` calls are caught as well as `save()`. The event tables
are append-only in the database. Each app decorates its client-bound models
with `tracked()`; the event models live beside the models they follow.
"""

from __future__ import annotations

import pghistory
import pghistory.middleware
from axes.helpers import get_client_ip_address


def tracked(model):
    """Record every create, change and delete of the decorated model, append-only.

    The history model is `<Model>History` (not pghistory's `<Model>Event`, which
    would clash with the domain's own events such as `BottleneckEvent`).
    """
    return pghistory.track(
        pghistory.InsertEvent(),
        pghistory.UpdateEvent(),
        pghistory.DeleteEvent(),
        append_only=True,
        model_name=f"{model.__name__}History",
        # `record.history` (never deleted with the record: no database constraint).
        obj_field=pghistory.ObjForeignKey(related_name="history", db_constraint=False),
    )(model)


class HistoryMiddleware(pghistory.middleware.HistoryMiddleware):
    """Stamps each change with who (user id), where (path) and from which address."""

    def get_context(self, request):
        return {**super().get_context(request), "ip": get_client_ip_address(request)}
