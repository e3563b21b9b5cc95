"""The partners' sections of the dossier."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cases.dossier import Dossier, Section
from partners.models import Involvement
from partners.overview import overview_of


def partners_context(dossier: Dossier) -> dict:
    trajectory = dossier.trajectory
    return {
        "overview": overview_of(trajectory, dossier.today) if trajectory else None,
        "partners_addable": bool(trajectory and trajectory.accepts(Involvement)),
    }


def bottlenecks_context(dossier: Dossier) -> dict:
    """The bottlenecks blocking the trajectory that the reader's team owns."""
    trajectory = dossier.trajectory
    if trajectory is None:
        return {"blocking": []}
    return {"blocking": list(trajectory.bottlenecks.visible_to(dossier.user))}


PARTNERS = Section(
    anchor="partners",
    title=_("Chain partners"),
    template="partners/sections/partners.html",
    context=partners_context,
)
BOTTLENECKS = Section(
    anchor="knelpunten",
    title=_("Bottlenecks"),
    template="partners/sections/bottlenecks.html",
    context=bottlenecks_context,
)
