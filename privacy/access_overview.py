"""“Wie heeft mijn dossier bekeken”: one client's access log, for an inzageverzoek (AL-3).

Read from `audit.AccessLogEntry` by client number, so lines about a record
that was changed or removed since are still in it. Chronological: the oldest
line first, as a young person reads what happened to their file.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from audit.models import AccessLogEntry


def lines_of(client_pk: int) -> QuerySet[AccessLogEntry]:
    """Every access log line about the client, oldest first (index `access_log_client_at`)."""
    return (
        AccessLogEntry.objects.filter(client_ref=client_pk)
        .select_related(
            "user__team__municipality", "user__municipality", "team__municipality", "municipality"
        )
        .order_by("at", "pk")
    )


def organisation_of(holder: User | AccessLogEntry) -> str:
    """The team (and its municipality) or the municipality a user works for, or
    worked for when a line was written."""
    if holder.team_id and holder.team is not None:
        return f"{holder.team} ({holder.team.municipality})"
    if holder.municipality_id and holder.municipality is not None:
        return str(holder.municipality)
    return _("Functional management")


@dataclass(frozen=True)
class Line:
    """One row of the overview: when, who, in which role and team, what, and the result."""

    at: object
    who: str
    role: str
    organisation: str
    action: str
    what: str
    result: str

    @classmethod
    def of(cls, entry: AccessLogEntry) -> Line:
        user = entry.user
        # As they were when the line was written; lines from before that was kept
        # (no role on the line) show the user as they are now.
        then = entry if entry.role else user
        return cls(
            at=entry.at,
            who=user.get_full_name() or user.username,
            role=str(User.Role(then.role).label) if then.role in User.Role.values else then.role,
            organisation=organisation_of(then),
            action=entry.get_action_display(),
            what=entry.what,
            result=entry.get_result_display(),
        )

    def as_json(self) -> dict:
        return {
            "at": self.at.isoformat(),
            "who": self.who,
            "role": self.role,
            "organisation": self.organisation,
            "action": self.action,
            "what": self.what,
            "result": self.result,
        }
