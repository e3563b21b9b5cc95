"""The access log: who opened or changed which client's data (AL-1, AL-2, NEN 7513).

Self-contained on purpose: it knows clients only by number and imports no
other module of `cases`, so it can move into its own audit app, to the left
of `cases`, and outlive a client's erasure. `cases.models` imports it so
app loading registers the model under the `cases` app.
"""

from __future__ import annotations

import pgtrigger
from axes.helpers import get_client_ip_address
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class AccessLogEntry(models.Model):
    """Who opened or changed which client's data, when and from where (AL-1, NEN 7513).

    Append-only: the database refuses updates and deletes (AL-2). No BSN or
    note text is ever written here.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        DOWNLOAD = "download", _("Downloaded")
        SEARCH = "search", _("Searched")
        EXPORT = "export", _("Exported")

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=10, choices=Action.choices)
    # A plain number, not a foreign key: the line must outlive the client's
    # erasure, and an append-only table cannot have its rows set to null.
    client_ref = models.PositiveBigIntegerField(
        _("client number"), null=True, blank=True, db_index=True
    )
    what = models.CharField(max_length=200)
    result = models.CharField(max_length=20, default="ok")
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        triggers = [
            pgtrigger.Protect(
                name="access_log_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            ),
        ]

    # From the TextChoices, which Meta's body cannot see.
    Meta.constraints = [
        models.CheckConstraint(
            condition=models.Q(action__in=Action.values), name="access_log_action_valid"
        ),
    ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.what}"

    @classmethod
    def write(
        cls, request, *, action: str, what: str, client: models.Model | None = None, result="ok"
    ):
        return cls.objects.create(
            user=request.user,
            action=action,
            client_ref=client.pk if client else None,
            what=what[:200],
            result=result,
            ip_address=get_client_ip_address(request),
        )

    @classmethod
    def write_many(cls, request, *, action: str, what: str, clients) -> None:
        """One line per client, in one insert (e.g. a whole caseload handed over)."""
        ip_address = get_client_ip_address(request)
        cls.objects.bulk_create(
            cls(
                user=request.user,
                action=action,
                client_ref=client.pk,
                what=what[:200],
                ip_address=ip_address,
            )
            for client in clients
        )
