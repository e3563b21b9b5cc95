"""Retention (PR-1, Selectielijst gemeenten 2020) and the purge of the audit trail.

A young person's personal data is destroyed once every trajectory of theirs is
closed and past its period (`Client.objects.past_retention`, the one rule).
Destruction anonymises in place: names, BSN, contact details and every free
text are emptied, rows that are purely personal (documents and their files,
the network, "Mijn plan", notifications, the timeline) are deleted, and the
change history's copies of all of it are scrubbed. What the dashboards count
stays: the team, age band at the start of guidance, LVB, kind of address and
municipality of settlement, offences, every date, scores, readiness, follow-up
moments, partners involved and the end reason; so last year's figures do not
change when a dossier is destroyed. The access log knows clients only by
number and is kept. Each run that destroys something writes a verklaring van
vernietiging (`privacy.models`).

The audit trail (access log and change history) is kept `RIO_AUDIT_RETENTION_YEARS`
and then purged by `purge_audit_trail`: the one function that may delete from
those append-only tables.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

import pghistory.models
import pgtrigger
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Case, Exists, OuterRef, Value, When
from django.utils import timezone

from audit.history import append_only, history_models, history_of
from audit.models import AccessLogEntry
from cases.models import (
    Client,
    ContactMoment,
    DJIMessage,
    Document,
    NetworkMember,
    TimelineEvent,
    Trajectory,
    age_on,
)
from followup.models import FollowUpMoment, FollowUpSchedule, Notification
from lifedomains.models import (
    Action,
    Assessment,
    DomainScore,
    Goal,
    PersonalPlan,
    ReadinessItem,
    ReadinessItemEvent,
)
from partners.models import (
    Agreement,
    Bottleneck,
    CaseConference,
    DetentionPlace,
    Involvement,
    PartnerRequest,
    SharingBasis,
)
from privacy.models import DestroyedTrajectory, DestructionStatement

logger = logging.getLogger(__name__)

# Stands in for a required text that is gone (an answered request must have an answer).
PLACEHOLDER = "–"

# What destruction empties on the young person, beside the date of birth (see
# `anonymous_birth_date`). Kept: team, LVB, kind of address, municipality of
# settlement (the dashboards count them), created by/at.
CLIENT_BLANKED = {
    "first_name": "",
    "last_name": "",
    "bsn": "",
    "bsn_index": "",
    "phone": "",
    "email": "",
    "street": "",
    "postcode": "",
    "city": "",
    "municipality_of_origin": None,
    "strengths": "",
    "talents": "",
    "dreams": "",
}


def placeholder_when(**condition) -> Case:
    """Empty, or `PLACEHOLDER` on the rows where a database rule requires a text."""
    return Case(When(then=Value(PLACEHOLDER), **condition), default=Value(""))


@dataclass(frozen=True)
class Anonymised:
    """A model whose rows stay, counted, with these fields emptied; `path` leads to
    the young person."""

    model: type[models.Model]
    path: str
    blanked: dict


@dataclass(frozen=True)
class Deleted:
    """A model whose rows are purely personal: they go."""

    model: type[models.Model]
    path: str


# Every model with a path to a young person, and what destruction does to it.
# tests/privacy/test_retention.py fails on a client-bound model missing here and
# on a text field of a listed model that is neither emptied nor named in KEPT_TEXT.
ANONYMISED = (
    Anonymised(
        Trajectory,
        "client",
        {"penitentiary_institution": "", "end_note": "", "age_exception_reason": ""},
    ),
    Anonymised(ContactMoment, "trajectory__client", {"summary": ""}),
    Anonymised(DJIMessage, "trajectory__client", {"summary": ""}),
    Anonymised(Assessment, "trajectory__client", {"note": ""}),
    Anonymised(
        DomainScore,
        "assessment__trajectory__client",
        # A domain not discussed must say why (a database rule).
        {"not_discussed_reason": placeholder_when(discussed=False), "wish": "", "note": ""},
    ),
    Anonymised(Goal, "trajectory__client", {"text": ""}),
    Anonymised(Action, "goal__trajectory__client", {"description": "", "owner_name": ""}),
    Anonymised(ReadinessItem, "trajectory__client", {"note": ""}),
    Anonymised(FollowUpMoment, "trajectory__client", {"note": ""}),
    Anonymised(SharingBasis, "trajectory__client", {"note": ""}),
    Anonymised(
        PartnerRequest,
        "trajectory__client",
        {
            "question": "",
            # An answered request must have an answer (a database rule).
            "answer": placeholder_when(answered_on__isnull=False),
        },
    ),
    Anonymised(CaseConference, "trajectory__client", {"other_attendees": "", "summary": ""}),
    Anonymised(Agreement, "conference__trajectory__client", {"text": ""}),
    # Which partner worked on it, in which role and for which domains: no personal data.
    Anonymised(Involvement, "trajectory__client", {}),
    # Which version of the schedule rules planned the moments: no personal data.
    Anonymised(FollowUpSchedule, "trajectory__client", {}),
)
DELETED = (
    Deleted(Document, "client"),
    Deleted(NetworkMember, "client"),
    Deleted(PersonalPlan, "trajectory__client"),
    Deleted(Notification, "trajectory__client"),
    Deleted(TimelineEvent, "trajectory__client"),
    Deleted(DetentionPlace, "trajectory__client"),
)

# Text fields of the models above that are kept, and why: codes and labels, not
# personal data (the test reads this).
KEPT_TEXT = {
    "partners.Involvement.role": "the partner's role, e.g. probation officer",
    "followup.FollowUpSchedule.rules_version": "the version of the schedule rules",
}


# --- The anonymous remainder of a date of birth ------------------------------------


def anonymous_birth_date(born: datetime.date, days: list[datetime.date]) -> datetime.date:
    """A date of birth in the same year that gives the same age in whole years on each
    of `days` (the starts and releases the dashboards count the age band at): the
    one nearest 1 July. Never 29 February, unless that is the date itself."""
    middle = datetime.date(born.year, 7, 1)
    first = datetime.date(born.year, 1, 1)
    year = [
        first + datetime.timedelta(days=n)
        for n in range((first.replace(year=born.year + 1) - first).days)
    ]
    for candidate in sorted(year, key=lambda day: (abs((day - middle).days), day)):
        if (candidate.month, candidate.day) == (2, 29) and candidate != born:
            continue
        if all(age_on(candidate, day) == age_on(born, day) for day in days):
            return candidate
    return born


# --- What is due -------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    """A trajectory of a young person due for destruction, and the rule that applies."""

    client_ref: int
    trajectory_ref: int
    started_on: datetime.date
    ended_on: datetime.date
    rule: str


def due_trajectories(client_ids, today: datetime.date) -> list[Due]:
    """The trajectories of these young people, each with the rule that made it due."""
    unguided = Trajectory.objects.without_guidance().filter(pk=OuterRef("pk"))
    rows = (
        Trajectory.objects.filter(client_id__in=client_ids)
        .annotate(unguided=Exists(unguided))
        .order_by("client_id", "pk")
        .values_list("client_id", "pk", "started_on", "ended_on", "unguided")
    )
    return [
        Due(
            client_ref=client_id,
            trajectory_ref=pk,
            started_on=started_on,
            ended_on=ended_on,
            rule=DestroyedTrajectory.Rule.NO_GUIDANCE
            if unguided
            else DestroyedTrajectory.Rule.GUIDED,
        )
        for client_id, pk, started_on, ended_on, unguided in rows
    ]


def what_would_go(today: datetime.date | None = None) -> list[Due]:
    """What a run today would destroy; reads only (the dry run)."""
    today = today or timezone.localdate()
    return due_trajectories(Client.objects.past_retention(today).values("pk"), today)


# --- Destruction -------------------------------------------------------------------


def apply_retention(
    *,
    today: datetime.date | None = None,
    batch_size: int = 100,
    started_by: str = DestructionStatement.StartedBy.TASK,
) -> DestructionStatement | None:
    """Destroy every young person past retention, `batch_size` at a time; returns the
    run's statement, or None when nothing was due.

    Safe to run twice and on two workers at once: each batch locks its young people
    with SKIP LOCKED (another worker takes other ones), re-reads the rule under the
    lock, and marks them destroyed in the same transaction, so nobody is destroyed
    twice and a run that dies half-way loses nothing: the batches it committed are
    done and in its statement, the rest waits for the next run.
    """
    today = today or timezone.localdate()
    statement = None
    while True:
        with transaction.atomic():
            clients = list(
                Client.objects.past_retention(today)
                .select_for_update(skip_locked=True, of=("self",))
                .order_by("pk")[:batch_size]
            )
            if not clients:
                break
            if statement is None:
                statement = DestructionStatement.objects.create(
                    day=today,
                    started_by=started_by,
                    retention_years=settings.RIO_RETENTION_YEARS,
                    no_guidance_months=settings.RIO_RETENTION_NO_GUIDANCE_MONTHS,
                )
            destroy(clients, today=today, statement=statement)
    if statement is not None:
        logger.info("retention: statement %s written", statement.pk)
    return statement


def destroy(clients: list[Client], *, today: datetime.date, statement) -> None:
    """Destroy these young people's personal data (locked by the caller, in its
    transaction) and record each trajectory in `statement`."""
    ids = [client.pk for client in clients]
    due = due_trajectories(ids, today)
    DestroyedTrajectory.objects.bulk_create(
        DestroyedTrajectory(
            statement=statement,
            client_ref=line.client_ref,
            trajectory_ref=line.trajectory_ref,
            started_on=line.started_on,
            ended_on=line.ended_on,
            rule=line.rule,
        )
        for line in due
    )
    # What to scrub from the history afterwards, read before rows are deleted.
    deleted_ids = {
        rule.model: list(
            rule.model.objects.filter(**{f"{rule.path}__in": ids}).values_list("pk", flat=True)
        )
        for rule in DELETED
    }
    files = list(Document.objects.filter(client__in=ids).values_list("file", flat=True))

    for rule in ANONYMISED:
        if rule.blanked:
            rule.model.objects.filter(**{f"{rule.path}__in": ids}).update(**rule.blanked)
    Bottleneck.trajectories.through.objects.filter(trajectory__client__in=ids).delete()
    for rule in DELETED:
        rule.model.objects.filter(pk__in=deleted_ids[rule.model]).delete()
    birth_dates = {}
    for client in clients:
        days = [
            day
            for pair in client.trajectories.values_list("started_on", "actual_release")
            for day in pair
            if day is not None
        ]
        birth_dates[client.pk] = anonymous_birth_date(client.date_of_birth, days)
        Client.objects.filter(pk=client.pk).update(
            **CLIENT_BLANKED, date_of_birth=birth_dates[client.pk], destroyed_on=today
        )
    scrub_history(ids, birth_dates=birth_dates, deleted_ids=deleted_ids)
    # The files go last, still inside the transaction: should it roll back, the rows
    # that are due anyway point to a missing file, rather than a file outliving its
    # row unseen. Deleting a file that is already gone is no error (a rerun).
    for name in files:
        default_storage.delete(name)


def scrub_history(ids: list[int], *, birth_dates: dict, deleted_ids: dict) -> None:
    """Empty the change history's copies of what was just destroyed, and remove those
    of the deleted rows: the history is append-only, and this is the one place that
    lifts that for a destroyed young person's rows."""
    client_history = history_of(Client)
    targets = [client_history]
    for rule in ANONYMISED:
        if rule.blanked and history_of(rule.model):
            targets.append(history_of(rule.model))
    targets += [history_of(rule.model) for rule in DELETED if history_of(rule.model)]
    uris = [append_only(history) for history in targets]
    with pgtrigger.ignore(*uris, ReadinessItemEvent.APPEND_ONLY):
        # The checklist's own status history keeps the note too.
        ReadinessItemEvent.objects.filter(trajectory__client__in=ids).exclude(note="").update(
            note=""
        )
        for pk, born in birth_dates.items():
            client_history.objects.filter(pgh_obj_id=pk).update(
                **CLIENT_BLANKED, date_of_birth=born
            )
        for rule in ANONYMISED:
            history = history_of(rule.model)
            if rule.blanked and history:
                rows = rule.model.objects.filter(**{f"{rule.path}__in": ids}).values("pk")
                history.objects.filter(pgh_obj_id__in=rows).update(**rule.blanked)
        for rule in DELETED:
            history = history_of(rule.model)
            if history:
                history.objects.filter(pgh_obj_id__in=deleted_ids[rule.model]).delete()


# --- The audit trail's own retention -----------------------------------------------


def audit_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    """Lines written before this moment are past `RIO_AUDIT_RETENTION_YEARS`."""
    return (now or timezone.now()) - relativedelta(years=settings.RIO_AUDIT_RETENTION_YEARS)


def audit_trail_past_retention(now: datetime.datetime | None = None):
    """(model, QuerySet) of every audit table's lines past retention."""
    cutoff = audit_cutoff(now)
    yield AccessLogEntry, AccessLogEntry.objects.filter(at__lt=cutoff)
    for history in history_models():
        yield history, history.objects.filter(pgh_created_at__lt=cutoff)


def purge_audit_trail(*, now: datetime.datetime | None = None, batch_size: int = 10_000) -> int:
    """Delete the access log's lines and the change history's rows written more than
    `RIO_AUDIT_RETENTION_YEARS` ago, in batches; returns how many went.

    The only delete those append-only tables allow. Safe to run twice or on two
    workers: a batch deletes by id, and what another run deleted first is not found.
    """
    uris = [
        "audit.AccessLogEntry:access_log_append_only",
        "audit.HistoryContext:context_not_deleted",
        *(append_only(history) for history in history_models()),
    ]
    purged = 0
    for _model, lines in list(audit_trail_past_retention(now)):
        while ids := list(lines.values_list("pk", flat=True)[:batch_size]):
            with transaction.atomic(), pgtrigger.ignore(*uris):
                purged += lines.model.objects.filter(pk__in=ids).delete()[0]
    # Who-and-where stamps that no history row refers to any more.
    with transaction.atomic(), pgtrigger.ignore("audit.HistoryContext:context_not_deleted"):
        pghistory.models.Context.objects.filter(updated_at__lt=audit_cutoff(now)).delete()
    logger.info("audit trail purged: %s lines", purged)
    return purged
