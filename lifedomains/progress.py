"""Progress on the five domains, and the plan at a glance, for the dossier."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch

from cases.models import Trajectory
from lifedomains.domains import Domain
from lifedomains.models import (
    Action,
    Assessment,
    Goal,
    ReadinessItem,
    release_warning,
    with_readiness,
)
from partners.models import Agreement


@dataclass
class DomainRow:
    domain: Domain
    scores: list[int | None]
    change: int | None = None


@dataclass
class Progress:
    assessments: list[Assessment]
    rows: list[DomainRow]

    @property
    def latest(self) -> Assessment | None:
        """The only assessment that may still be changed."""
        return max(self.assessments, key=lambda a: (a.date, a.pk), default=None)

    def chart_data(self) -> dict:
        """The same numbers as the table, for the chart drawn over it."""
        return {
            "labels": [f"{a.get_moment_display()} {a.date:%d-%m-%Y}" for a in self.assessments],
            "series": [{"label": str(row.domain.label), "scores": row.scores} for row in self.rows],
        }


def progress_of(trajectory: Trajectory) -> Progress:
    """Per domain the scores over time and the change since the first assessment (T0)."""
    assessments = list(trajectory.assessments.prefetch_related("scores").order_by("date", "pk"))
    rows = []
    for domain in Domain:
        scores = [
            next((s.score for s in a.scores.all() if s.domain == domain), None) for a in assessments
        ]
        known = [score for score in scores if score is not None]
        change = known[-1] - known[0] if len(known) > 1 else None
        rows.append(DomainRow(domain=domain, scores=scores, change=change))
    return Progress(assessments=assessments, rows=rows)


@dataclass
class DomainPlan:
    domain: Domain
    goals: list[Goal] = field(default_factory=list)


def plan_of(trajectory: Trajectory) -> list[DomainPlan]:
    """The five domains side by side with their goals and actions."""
    goals = trajectory.goals.prefetch_related(
        Prefetch("actions", queryset=Action.objects.select_related("organisation"))
    ).order_by("status", "target_date", "pk")
    plans = {domain: DomainPlan(domain=domain) for domain in Domain}
    for goal in goals:
        plans[Domain(goal.domain)].goals.append(goal)
    return list(plans.values())


@dataclass
class Readiness:
    items: list[ReadinessItem]
    done: int
    total: int
    warning: bool


def readiness_of(trajectory: Trajectory, today: datetime.date) -> Readiness:
    """Every checklist item (an untouched one is "needed"), the basic conditions done and
    the release warning — counted by the same rules as the caseload and the reminders."""
    stored = {item.item: item for item in trajectory.readiness_items.all()}
    items = [
        stored.get(code) or ReadinessItem(trajectory=trajectory, item=code)
        for code in ReadinessItem.Item.values
    ]
    this = Trajectory.objects.filter(pk=OuterRef("pk"))
    facts = (
        with_readiness(Trajectory.objects.filter(pk=trajectory.pk))
        .annotate(warning=Exists(release_warning(this, today)))
        .values("readiness_done", "warning")
        .get()
    )
    return Readiness(
        items=items,
        done=facts["readiness_done"],
        total=len(ReadinessItem.BASIC),
        warning=facts["warning"],
    )


def open_agreements(trajectory: Trajectory) -> list[Agreement]:
    """Case-conference agreements that are not yet an action in the plan."""
    return list(
        Agreement.objects.filter(conference__trajectory=trajectory, actions__isnull=True)
        .select_related("organisation", "conference")
        .order_by("conference__held_on", "pk")
    )
