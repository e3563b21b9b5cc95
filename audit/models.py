"""The audit trail's access log: who opened, changed or was refused which client's data.

AL-1, AL-2, AL-3; NEN 7513. The app sits left of `cases` in the layering, so
every app may write to it; it knows clients only by number, so its lines
outlive a client's erasure.
"""

from __future__ import annotations

import pghistory
import pghistory.models
import pgtrigger
from axes.helpers import get_client_ip_address
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Municipality, Team, User


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

    class Result(models.TextChoices):
        OK = "ok", _("Allowed")
        # A client-bound URL of another team (or of no client at all): the
        # answer is 404, and the attempt leaves this line (AL-3).
        DENIED = "denied", _("Refused")
        # A search by exact BSN: whether it found a dossier (never the BSN).
        FOUND = "found", _("Found")
        NOT_FOUND = "not found", _("Not found")

    at = models.DateTimeField(default=timezone.now)
    # No index of its own: (user, at) below serves every lookup by user.
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", db_index=False)
    action = models.CharField(max_length=10, choices=Action.choices)
    # A plain number, not a foreign key: the line must outlive the client's
    # erasure, and an append-only table cannot have its rows set to null.
    client_ref = models.PositiveBigIntegerField(_("client number"), null=True, blank=True)
    what = models.CharField(max_length=200)
    result = models.CharField(max_length=20, choices=Result.choices, default=Result.OK)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # The user's role and team (or municipality) when the line was written, for the
    # access overview: a caseworker who moved team since still shows as they were.
    # No database constraint: the line outlives a team that is removed.
    role = models.CharField(_("role"), max_length=20, blank=True)
    team = models.ForeignKey(
        Team, on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True,
        related_name="+", db_index=False, verbose_name=_("team"),
    )  # fmt: skip
    municipality = models.ForeignKey(
        Municipality, on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True,
        related_name="+", db_index=False, verbose_name=_("municipality"),
    )  # fmt: skip

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        # The admin's three ways in, each an index scan in the order shown
        # even at tens of millions of lines: everything, newest first; one
        # client's lines (the access overview); one user's lines.
        indexes = [
            models.Index(fields=["-at", "-id"], name="access_log_at"),
            models.Index(fields=["client_ref", "-at"], name="access_log_client_at"),
            models.Index(fields=["user", "-at"], name="access_log_user_at"),
            # The admin's result and action filters: the unusual lines (refused,
            # searches, exports...) newest first. Partial, so the bulk of the log
            # (allowed views) is not indexed twice; those are read from
            # `access_log_at`, where nearly every line matches.
            models.Index(
                fields=["result", "-at", "-id"],
                condition=~models.Q(result="ok"),
                name="access_log_result_at",
            ),
            models.Index(
                fields=["action", "-at", "-id"],
                condition=~models.Q(action="view"),
                name="access_log_action_at",
            ),
        ]
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
        models.CheckConstraint(
            condition=models.Q(result__in=Result.values), name="access_log_result_valid"
        ),
    ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.what}"

    @classmethod
    def write(
        cls,
        request,
        *,
        action: str,
        what: str,
        client: models.Model | None = None,
        client_ref: int | None = None,
        result: str = Result.OK,
    ):
        """One line for this request. `client_ref` is for when only the client's number
        is known (a refused request for another team's record); `client` wins if given."""
        return cls.objects.create(
            **cls.who(request),
            action=action,
            client_ref=client.pk if client else client_ref,
            what=what[:200],
            result=result,
        )

    @staticmethod
    def who(request) -> dict:
        """Who wrote the line, as they were then, and from where (no query: ids only)."""
        user = request.user
        return {
            "user": user,
            "role": user.role,
            "team_id": user.team_id,
            "municipality_id": user.municipality_id,
            "ip_address": get_client_ip_address(request),
        }

    @classmethod
    def write_many(cls, request, *, action: str, what: str, clients) -> None:
        """One line per client, in one insert (e.g. a whole caseload handed over)."""
        who = cls.who(request)
        cls.objects.bulk_create(
            cls(**who, action=action, client_ref=client.pk, what=what[:200]) for client in clients
        )


# The account changes that could let someone step into another person's account
# (AS-3): role, team, activation, admin rights and the password. Database
# triggers, so Django admin, a management command and `.update()` alike leave a
# row, stamped with who did it (audit.history.HistoryMiddleware). The password
# hash itself is never copied: a "password" row only says that it changed.
ACCOUNT_FIELDS = [
    "username",
    "email",
    "role",
    "team",
    "municipality",
    "is_team_coordinator",
    "is_active",
    "is_staff",
    "is_superuser",
]
UserHistory = pghistory.create_event_model(
    User,
    pghistory.InsertEvent(),
    pghistory.UpdateEvent("account", condition=pghistory.AnyChange(*ACCOUNT_FIELDS)),
    pghistory.UpdateEvent("password", condition=pghistory.AnyChange("password")),
    pghistory.DeleteEvent(),
    fields=ACCOUNT_FIELDS,
    app_label="audit",
    model_name="UserHistory",
    append_only=True,
    abstract=False,
    obj_field=pghistory.ObjForeignKey(related_name="history", db_constraint=False),
)


class HistoryContext(pghistory.models.Context):
    """Who made a change, from which address and page: pghistory's context row that
    every history row of one request points to (AL-2).

    Kept as written: the database refuses to delete it, and refuses an update that
    changes who, where or when. pghistory itself only updates a context to add
    keys within the request that wrote it. The purge after
    `RIO_AUDIT_RETENTION_YEARS` is the one delete let through (privacy.retention).
    """

    class Meta:
        proxy = True
        verbose_name = _("change context")
        verbose_name_plural = _("change contexts")
        triggers = [
            pgtrigger.Protect(name="context_not_deleted", operation=pgtrigger.Delete),
            pgtrigger.Protect(
                name="context_who_kept",
                operation=pgtrigger.Update,
                condition=pgtrigger.Condition(
                    "OLD.id IS DISTINCT FROM NEW.id"
                    " OR OLD.created_at IS DISTINCT FROM NEW.created_at"
                    " OR OLD.metadata->'user' IS DISTINCT FROM NEW.metadata->'user'"
                    " OR OLD.metadata->'ip' IS DISTINCT FROM NEW.metadata->'ip'"
                    " OR OLD.metadata->'url' IS DISTINCT FROM NEW.metadata->'url'"
                ),
            ),
        ]
