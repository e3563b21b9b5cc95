"""The life-domain sections of the dossier and their caseload columns."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cases.dossier import CaseloadColumn, Dossier, Section
from lifedomains.models import Goal, ReadinessItem, annotate_next_action, annotate_readiness
from lifedomains.progress import open_agreements, plan_of, progress_of, readiness_of


def readiness_context(dossier: Dossier) -> dict:
    trajectory = dossier.trajectory
    return {
        "readiness": readiness_of(trajectory, dossier.today) if trajectory else None,
        # A closed trajectory's checklist stays as it was (Trajectory.ACCEPTED_AFTER_CLOSING).
        "checklist_editable": bool(trajectory and trajectory.accepts(ReadinessItem)),
    }


def progress_context(dossier: Dossier) -> dict:
    return {"progress": progress_of(dossier.trajectory) if dossier.trajectory else None}


def plan_context(dossier: Dossier) -> dict:
    trajectory = dossier.trajectory
    return {
        "plan": plan_of(trajectory) if trajectory else [],
        "agreements": open_agreements(trajectory) if trajectory else [],
        "plan_editable": bool(trajectory and trajectory.accepts(Goal)),
    }


READINESS = Section(
    anchor="basisvoorwaarden",
    title=_("Release readiness"),
    template="lifedomains/sections/readiness.html",
    context=readiness_context,
)
PROGRESS = Section(
    anchor="leefgebieden",
    title=_("Life domains"),
    template="lifedomains/sections/progress.html",
    context=progress_context,
)
PLAN = Section(
    anchor="plan",
    title=_("Plan"),
    template="lifedomains/sections/plan.html",
    context=plan_context,
)

READINESS_COLUMN = CaseloadColumn(
    header=_("Release readiness"),
    template="lifedomains/caseload_readiness.html",
    annotate=annotate_readiness,
)
NEXT_ACTION_COLUMN = CaseloadColumn(
    header=_("Next action"),
    template="lifedomains/caseload_next_action.html",
    annotate=annotate_next_action,
)
