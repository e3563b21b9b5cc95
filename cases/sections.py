"""The dossier's own sections. The order of all sections is in `RIO_DOSSIER_SECTIONS`."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from cases.dossier import Dossier, Section
from cases.forms import ContactForm, TransitionForm
from cases.models import DJIMessage, Trajectory

CONTACTS_SHOWN = 10
DOCUMENTS_SHOWN = 20
DJI_MESSAGES_SHOWN = 20
TIMELINE_SHOWN = 15


def trajectory_context(dossier: Dossier) -> dict:
    trajectory = dossier.trajectory
    return {
        "transition_form": TransitionForm() if trajectory else None,
        "next_status": trajectory.next_status if trajectory else None,
    }


def network_context(dossier: Dossier) -> dict:
    return {"network": list(dossier.client.network.all())}


def contacts_of(trajectory: Trajectory | None, today) -> dict:
    """The latest contacts, and whether the trajectory is out of contact by the rule the
    caseload and the daily reminder use (`Trajectory.objects.out_of_contact`)."""
    if trajectory is None:
        return {"contacts": [], "out_of_contact": False}
    return {
        "contacts": list(trajectory.contacts.select_related("created_by")[:CONTACTS_SHOWN]),
        "out_of_contact": Trajectory.objects.filter(pk=trajectory.pk)
        .out_of_contact(today)
        .exists(),
        "no_contact_days": settings.RIO_NO_CONTACT_WARNING_DAYS,
    }


def contacts_context(dossier: Dossier) -> dict:
    return {**contacts_of(dossier.trajectory, dossier.today), "contact_form": ContactForm()}


def documents_context(dossier: Dossier) -> dict:
    documents = dossier.client.documents.select_related("uploaded_by")[:DOCUMENTS_SHOWN]
    return {"documents": list(documents)}


def dji_context(dossier: Dossier) -> dict:
    messages = DJIMessage.objects.filter(trajectory__client=dossier.client).select_related(
        "document"
    )[:DJI_MESSAGES_SHOWN]
    return {"dji_messages": list(messages)}


def timeline_context(dossier: Dossier) -> dict:
    if dossier.trajectory is None:
        return {"timeline": []}
    return {"timeline": list(dossier.trajectory.timeline.for_display()[:TIMELINE_SHOWN])}


TRAJECTORY = Section(
    anchor="traject",
    title=_("Trajectory"),
    template="cases/sections/trajectory.html",
    context=trajectory_context,
)
NETWORK = Section(
    anchor="netwerk",
    title=_("Network"),
    template="cases/sections/network.html",
    context=network_context,
)
CONTACTS = Section(
    anchor="contacten",
    title=_("Contacts"),
    template="cases/sections/contacts.html",
    context=contacts_context,
)
DOCUMENTS = Section(
    anchor="documenten",
    title=_("Documents"),
    template="cases/sections/documents.html",
    context=documents_context,
)
DJI = Section(
    anchor="dji",
    title=_("DJI messages"),
    template="cases/sections/dji.html",
    context=dji_context,
)
TIMELINE = Section(
    anchor="tijdlijn",
    title=_("Timeline"),
    template="cases/sections/timeline.html",
    context=timeline_context,
)
