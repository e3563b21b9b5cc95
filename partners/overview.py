"""What the dossier shows about partners: who is involved, whether sharing is allowed."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch

from cases.models import Trajectory
from partners.models import (
    Agreement,
    CaseConference,
    DetentionPlace,
    Involvement,
    PartnerRequest,
    SharingBasis,
)


@dataclass
class InvolvedPartner:
    involvement: Involvement
    bases: list[SharingBasis]
    today: datetime.date

    @property
    def sharing_state(self) -> str:
        """The best state among this partner's bases, or "none" without any: the
        annotation of `Involvement.objects.with_sharing_state`, as the dashboard counts it."""
        return self.involvement.sharing_state

    @property
    def sharing_allowed(self) -> bool:
        return self.sharing_state in SharingBasis.ALLOWING


@dataclass
class PartnerOverview:
    partners: list[InvolvedPartner]
    bases: list[SharingBasis]
    open_requests: list[PartnerRequest]
    answered_requests: list[PartnerRequest]
    conferences: list[CaseConference]
    detention_place: DetentionPlace | None


def overview_of(trajectory: Trajectory, today: datetime.date) -> PartnerOverview:
    """Six queries: involvements, legal bases, requests, and the case conferences with
    their organisations and agreements."""
    bases = list(trajectory.sharing_bases.select_related("organisation", "document"))
    involvements = trajectory.involvements.with_sharing_state(today).select_related(
        "organisation", "contact_person"
    )
    partners = [
        InvolvedPartner(
            involvement=involvement,
            bases=[b for b in bases if b.organisation_id == involvement.organisation_id],
            today=today,
        )
        for involvement in involvements
    ]
    requests = list(trajectory.partner_requests.select_related("organisation", "contact_person"))
    return PartnerOverview(
        partners=partners,
        bases=bases,
        open_requests=[r for r in requests if r.answered_on is None],
        answered_requests=[r for r in requests if r.answered_on is not None],
        detention_place=DetentionPlace.objects.filter(trajectory=trajectory)
        .select_related("organisation")
        .first(),
        conferences=list(
            trajectory.case_conferences.prefetch_related(
                "organisations",
                Prefetch("agreements", Agreement.objects.select_related("organisation")),
            )
        ),
    )
