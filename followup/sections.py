"""The follow-up section of the dossier and its caseload column."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cases.dossier import CaseloadColumn, Dossier, Section
from followup.models import FollowUpMoment, annotate_next_moment


def schedule_context(dossier: Dossier) -> dict:
    """The trajectory's moments that still count (open and done), in date order."""
    if dossier.trajectory is None:
        return {"moments": []}
    moments = (
        dossier.trajectory.followup_moments.exclude(status=FollowUpMoment.Status.CANCELLED)
        .with_state(dossier.today)
        .select_related("contact", "assessment")
        .order_by("due_on", "sequence", "pk")
    )
    return {"moments": list(moments)}


SCHEDULE = Section(
    anchor="followup",
    title=_("Follow-up"),
    template="followup/sections/schedule.html",
    context=schedule_context,
)

NEXT_MOMENT_COLUMN = CaseloadColumn(
    header=_("Next follow-up"),
    template="followup/caseload_next_moment.html",
    annotate=annotate_next_moment,
)
