"""The research export: one row per trajectory, pseudonymised, for functional admins only.

Unlike the dashboard this is microdata, row by row, for researchers who work
under an agreement with the municipality (a processing agreement or a research
protocol); so it is not suppressed, and only a functional admin may make it. It
holds no name, BSN, date of birth, address, free text, team or caseworker, and
no date: every moment is a number of days relative to the day of release. Each
row's pseudonym is an HMAC-SHA256 of the trajectory's id under a key drawn
afresh for every export and never stored, so the rows of two exports cannot be
linked to each other or back to a trajectory. Each export writes an access log
line with the number of rows.

The rows are the trajectories in scope whose guidance started in the period
(`caseload.started_in`, as the target group on the dashboard), in random order.
The whole file is one query (plus a count for the log), streamed row by row.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from collections.abc import Iterator

from django.db.models import Case, CharField, F, OuterRef, Subquery, Value, When
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases.models import Trajectory
from lifedomains.domains import Domain
from lifedomains.models import Assessment, DomainScore, ReadinessItem, with_readiness_on_release
from reports.indicators.base import DaysBetween, Period, Scope
from reports.indicators.caseload import AGE_BANDS, AgeAtStart, started_in

# The fixed moments of measurement; "in between" can happen any number of times.
MOMENTS = tuple(moment for moment in Assessment.Moment if moment != Assessment.Moment.INTERIM)
NOT_DISCUSSED = "not_discussed"
# Relative to the day of release: negative is before it.
DAYS = {
    "days_detention_start": "detention_start",
    "days_guidance_start": "started_on",
    "days_first_contact": "first_contact",
    "days_end": "ended_on",
}


def score_column(moment: str, domain: str) -> str:
    return f"score_{moment}_{domain}"


def ready_column(item: str) -> str:
    return f"ready_on_release_{item}"


HEADER = (
    "pseudonym",
    "age_band",
    *(f"offence_{offence}" for offence in Trajectory.Offence.values),
    "lvb",
    *DAYS,
    "end_reason",
    *(score_column(moment, domain) for moment in MOMENTS for domain in Domain.values),
    *(ready_column(item) for item in ReadinessItem.BASIC),
)


def score_at(moment: str, domain: str) -> Subquery:
    """The score of one domain at one moment of the trajectory, as text: "1" to "5",
    `NOT_DISCUSSED`, or None when that moment was not measured."""
    score = (
        DomainScore.objects.filter(
            assessment__trajectory=OuterRef("pk"), assessment__moment=moment, domain=domain
        )
        .order_by()
        .annotate(
            shown=Case(
                When(discussed=False, then=Value(NOT_DISCUSSED)),
                default=Cast("score", CharField()),
            )
        )
        .values("shown")[:1]
    )
    return Subquery(score, output_field=CharField())


def trajectories(scope: Scope, period: Period):
    """The export's trajectories: in scope, guidance started in the period."""
    return Trajectory.objects.filter(scope.condition(), started_in(period))


def annotated(trajectories):
    """Every column of the export on each trajectory, in one query, in random order (the
    order of the rows must not tell the order in which they were registered)."""
    trajectories = with_readiness_on_release(trajectories.with_first_contact())
    return (
        trajectories.alias(age_at_start=AgeAtStart())
        .annotate(
            age_band=Case(
                *(When(condition, then=Value(key)) for key, _label, condition in AGE_BANDS),
                default=Value(""),
            ),
            **{name: DaysBetween(F("actual_release"), F(field)) for name, field in DAYS.items()},
            **{
                score_column(moment, domain): score_at(moment, domain)
                for moment in MOMENTS
                for domain in Domain.values
            },
        )
        .order_by("?")
    )


def pseudonym(key: bytes, trajectory_id: int) -> str:
    return hmac.new(key, str(trajectory_id).encode(), hashlib.sha256).hexdigest()


def score(value: str | None) -> int | str | None:
    return int(value) if value and value.isdigit() else value


def rows(scope: Scope, period: Period) -> tuple[int, Iterator[tuple]]:
    """The number of rows, and the rows (the header first) as an iterator that makes
    its one query when it is first read. The key dies with the iterator."""
    chosen = trajectories(scope, period)
    key = secrets.token_bytes(32)
    fields = (
        "pk",
        "age_band",
        "offences",
        "client__lvb",
        "actual_release",
        *DAYS,
        "end_reason",
        *(score_column(moment, domain) for moment in MOMENTS for domain in Domain.values),
        *(f"done_on_release_{item}" for item in ReadinessItem.BASIC),
    )

    def read() -> Iterator[tuple]:
        yield HEADER
        for row in annotated(chosen).values(*fields).iterator(chunk_size=500):
            released = row["actual_release"] is not None
            yield (
                pseudonym(key, row["pk"]),
                row["age_band"] or None,
                *(int(offence in row["offences"]) for offence in Trajectory.Offence.values),
                row["client__lvb"],
                *(row[name] for name in DAYS),
                row["end_reason"] or None,
                *(
                    score(row[score_column(moment, domain)])
                    for moment in MOMENTS
                    for domain in Domain.values
                ),
                *(
                    int(row[f"done_on_release_{item}"]) if released else None
                    for item in ReadinessItem.BASIC
                ),
            )

    return chosen.count(), read()


def about(scope: Scope, period: Period, count: int, produced: datetime.datetime) -> list[list]:
    """What the XLSX's second sheet says about the rows."""
    return [
        [_("Research export")],
        [
            _(
                "One row per trajectory, pseudonymised: no name, BSN, date of birth, "
                "address, free text, team or caseworker. For research under an agreement "
                "only. Every export is recorded in the access log."
            )
        ],
        [],
        [_("Period"), str(period)],
        [_("Whose trajectories"), str(scope)],
        [_("Trajectories"), _("Guidance started in the period.")],
        [_("Rows"), count],
        [_("Days"), _("Relative to the day of release: negative is before it.")],
        [_("Produced on"), date_format(timezone.localtime(produced), "j F Y H:i")],
    ]
