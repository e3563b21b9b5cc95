"""Demo registry: the chain partners of Dordrecht and Rotterdam (fictional contact
people), and who works on which demo trajectory, on which legal basis."""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.models import Municipality
from cases.models import Trajectory
from lifedomains.domains import Regie
from partners.models import (
    Agreement,
    Bottleneck,
    BottleneckEvent,
    CaseConference,
    ContactPerson,
    DetentionPlace,
    Involvement,
    Organisation,
    PartnerRequest,
    SharingBasis,
)

DEMO_TEAMS = ("RIO Dordrecht", "RIO Rotterdam")

K = Organisation.Kind

# The municipalities each demo region works for (CBS codes): their caseworkers
# keep its organisations. A region not listed here is national.
REGIONS = {
    "Zuid-Holland": ["GM0505", "GM0599"],
    "Rotterdam-Rijnmond en Zuid-Holland-Zuid": ["GM0505", "GM0599"],
    "Rotterdam": ["GM0599"],
    "Zuid-Holland-Zuid": ["GM0505"],
}

# name, kind, domains, municipality CBS code (None: regional or national), region, phone,
# contacts
REGISTRY = [
    (
        "PI Dordrecht",
        K.PENITENTIARY,
        [],
        "GM0505",
        "",
        "088-0721000",
        [("Mirjam de Wit", "MMD'er")],
    ),
    (
        "PI Rotterdam (De Schie)",
        K.PENITENTIARY,
        [],
        "GM0599",
        "",
        "088-0711000",
        [("Erik Smits", "MMD'er")],
    ),
    ("PI Krimpen aan den IJssel", K.PENITENTIARY, [], None, "Zuid-Holland", "088-0712000", []),
    (
        "Politie eenheid Rotterdam",
        K.POLICE,
        [],
        None,
        "Rotterdam-Rijnmond en Zuid-Holland-Zuid",
        "0900-8844",
        [("Wijkagent Dordrecht-West", "wijkagent")],
    ),
    (
        "Reclassering Nederland, regio Rotterdam",
        K.PROBATION,
        ["care", "work"],
        None,
        "Rotterdam",
        "088-8041000",
        [("Sanne Vermeulen", "reclasseringswerker")],
    ),
    (
        "Zorg- en Veiligheidshuis Zuid-Holland-Zuid",
        K.SAFETY_HOUSE,
        ["care"],
        "GM0505",
        "",
        "078-7703000",
        [("Anton Bos", "procesregisseur")],
    ),
    (
        "Zorg- en Veiligheidshuis Rotterdam-Rijnmond",
        K.SAFETY_HOUSE,
        ["care"],
        "GM0599",
        "",
        "010-4989000",
        [("Latifa Amrani", "procesregisseur")],
    ),
    (
        "Gemeente Dordrecht, Werk en Inkomen",
        K.MUNICIPALITY,
        ["work", "finances"],
        "GM0505",
        "",
        "14 078",
        [("Peter Jansen", "consulent")],
    ),
    ("Gemeente Dordrecht, Wmo", K.MUNICIPALITY, ["care", "housing"], "GM0505", "", "14 078", []),
    (
        "Gemeente Rotterdam, Werk en Inkomen",
        K.MUNICIPALITY,
        ["work", "finances"],
        "GM0599",
        "",
        "14 010",
        [("Yusuf Kaya", "klantmanager")],
    ),
    (
        "Woonkracht10",
        K.HOUSING,
        ["housing"],
        "GM0505",
        "",
        "078-2001000",
        [("Ingrid Visser", "woonconsulent")],
    ),
    (
        "Woonstad Rotterdam",
        K.HOUSING,
        ["housing"],
        "GM0599",
        "",
        "010-4408800",
        [("Dennis Hoek", "woonconsulent")],
    ),
    (
        "Stichting Schuldhulp Drechtsteden",
        K.DEBT_HELP,
        ["finances"],
        "GM0505",
        "",
        "078-7708000",
        [("Karin de Bruin", "schuldhulpverlener")],
    ),
    ("Kredietbank Rotterdam", K.DEBT_HELP, ["finances"], "GM0599", "", "010-4981000", []),
    ("UWV Dordrecht", K.UWV, ["work"], "GM0505", "", "088-8982001", []),
    (
        "Yulius GGZ",
        K.MENTAL_HEALTH,
        ["care"],
        None,
        "Zuid-Holland-Zuid",
        "088-4050400",
        [("Dr. M. Peeters", "psychiater")],
    ),
    ("Antes verslavingszorg", K.ADDICTION, ["care"], "GM0599", "", "010-2020000", []),
    (
        "Ipse de Bruggen",
        K.LVB_CARE,
        ["care"],
        None,
        "Zuid-Holland",
        "088-9298000",
        [("Noor Hendriks", "begeleider")],
    ),
    (
        "Garage Van Dongen (werkgever)",
        K.EMPLOYER,
        ["work"],
        "GM0505",
        "",
        "078-6141000",
        [("Henk van Dongen", "eigenaar")],
    ),
    ("Da Vinci College", K.EDUCATION, ["work"], "GM0505", "", "078-6321000", []),
    (
        "Centraal Justitieel Incassobureau (CJIB)",
        K.OTHER,
        ["finances"],
        None,
        "Landelijk",
        "058-2050505",
        [],
    ),
]


def seed() -> None:
    seed_registry()
    seed_detention_places()
    seed_trajectories()
    seed_conferences_and_bottlenecks()


def seed_registry() -> None:
    municipalities = {m.cbs_code: m for m in Municipality.objects.all()}
    for name, kind, domains, cbs_code, region, phone, contacts in REGISTRY:
        municipality = municipalities.get(cbs_code) if cbs_code else None
        organisation, _ = Organisation.objects.update_or_create(
            name=name,
            municipality=municipality,
            defaults={"kind": kind, "domains": domains, "region": region, "phone": phone},
        )
        if municipality is None:
            organisation.region_municipalities.set(
                [municipalities[code] for code in REGIONS.get(region, []) if code in municipalities]
            )
        for contact_name, role in contacts:
            ContactPerson.objects.update_or_create(
                organisation=organisation, name=contact_name, defaults={"role": role}
            )


def seed_detention_places() -> None:
    """Link the demo trajectories to their penitentiary institution in the registry."""
    institutions = {
        organisation.name: organisation
        for organisation in Organisation.objects.filter(kind=K.PENITENTIARY)
    }
    for trajectory in Trajectory.objects.filter(client__team__name__in=DEMO_TEAMS):
        organisation = institutions.get(trajectory.penitentiary_institution)
        if organisation is not None:
            DetentionPlace.objects.update_or_create(
                trajectory=trajectory, defaults={"organisation": organisation}
            )


# kind, role, domains, legal basis, request (question, days to answer or None)
WORK = [
    (
        K.PROBATION,
        "reclasseringswerker",
        ["care", "work"],
        SharingBasis.Basis.PBW_18A,
        ("Bijzondere voorwaarden en meldplicht na ontslag?", 6),
    ),
    (
        K.HOUSING,
        "woonconsulent",
        ["housing"],
        SharingBasis.Basis.CONSENT,
        ("Kan de jongere met urgentie een kamer krijgen?", None),
    ),
    (
        K.DEBT_HELP,
        "schuldhulpverlener",
        ["finances"],
        SharingBasis.Basis.CONSENT,
        ("Intake schuldhulp inplannen en schuldenoverzicht opvragen", 12),
    ),
    (K.SAFETY_HOUSE, "procesregisseur", ["care", "housing"], SharingBasis.Basis.SAFETY_HOUSE, None),
]


def seed_trajectories() -> None:
    """Involvements, legal bases (one expired per team) and requests with answer times."""
    today = timezone.localdate()
    trajectories = (
        Trajectory.objects.filter(client__team__name__in=DEMO_TEAMS)
        .select_related("client__team__municipality")
        .order_by("client__team__name", "pk")
    )
    Involvement.objects.filter(trajectory__in=trajectories).delete()
    SharingBasis.objects.filter(trajectory__in=trajectories).delete()
    PartnerRequest.objects.filter(trajectory__in=trajectories).delete()
    expired_done: set[int] = set()
    for index, trajectory in enumerate(trajectories):
        municipality = trajectory.client.team.municipality
        start = trajectory.started_on
        for offset, (kind, role, domains, basis, request) in enumerate(WORK[: 1 + index % 4]):
            organisation = (
                Organisation.objects.filter(kind=kind)
                .serving(municipality)
                .order_by("municipality_id")
                .first()
            )
            if organisation is None:
                continue
            Involvement.objects.create(
                trajectory=trajectory,
                organisation=organisation,
                contact_person=organisation.contacts.first(),
                role=role,
                domains=domains,
                started_on=start + datetime.timedelta(days=7 * offset),
                ended_on=trajectory.ended_on,
            )
            valid_from = start + datetime.timedelta(days=7 * offset)
            expired = basis == SharingBasis.Basis.CONSENT and municipality.pk not in expired_done
            if expired and valid_from + datetime.timedelta(days=365) >= today:
                expired = False
            if expired:
                expired_done.add(municipality.pk)
            SharingBasis.objects.create(
                trajectory=trajectory,
                organisation=organisation,
                basis=basis,
                scope=domains,
                valid_from=valid_from,
                valid_until=valid_from + datetime.timedelta(days=365)
                if basis == SharingBasis.Basis.CONSENT
                else None,
                note="Toestemming mondeling en schriftelijk gegeven" if expired is False else "",
            )
            if request is not None:
                question, days = request
                asked_on = min(today, valid_from + datetime.timedelta(days=10))
                answered_on = asked_on + datetime.timedelta(days=days) if days else None
                if answered_on and answered_on > today:
                    answered_on = None
                PartnerRequest.objects.create(
                    trajectory=trajectory,
                    organisation=organisation,
                    domain=domains[0],
                    question=question,
                    asked_on=asked_on,
                    answered_on=answered_on,
                    answer="Afspraak gemaakt; bericht volgt per mail." if answered_on else "",
                )


# title, description, category, domain, level, status, resolution, organisation kinds, days ago
BOTTLENECKS = [
    (
        "Geen briefadres mogelijk zonder ID",
        "Jongeren die zonder identiteitsbewijs vrijkomen, krijgen geen briefadres en daardoor "
        "geen uitkering.",
        Bottleneck.Category.REGULATION,
        "admin",
        Regie.CASE,
        Bottleneck.Status.RESOLVED,
        "Afspraak met Burgerzaken: briefadres op basis van de verklaring van de PI.",
        [K.MUNICIPALITY, K.PENITENTIARY],
        120,
    ),
    (
        "Wachtlijst beschermd wonen 9 maanden",
        "Voor jongeren met een LVB of psychische problemen is er na ontslag geen plek.",
        Bottleneck.Category.CAPACITY,
        "housing",
        Regie.PROCESS,
        Bottleneck.Status.OPEN,
        "",
        [K.LVB_CARE, K.HOUSING, K.SAFETY_HOUSE],
        75,
    ),
    (
        "Uitkering start pas 4 weken na ontslag",
        "De aanvraag kan pas na ontslag; de eerste betaling volgt na vier weken. Jongeren "
        "staan de eerste maand zonder geld.",
        Bottleneck.Category.REGULATION,
        "work",
        Regie.ADMINISTRATIVE,
        Bottleneck.Status.SCHEDULED,
        "",
        [K.MUNICIPALITY, K.UWV],
        40,
    ),
]


def seed_conferences_and_bottlenecks() -> None:
    today = timezone.localdate()
    for team_name in DEMO_TEAMS:
        open_trajectories = list(
            Trajectory.objects.filter(client__team__name=team_name)
            .open()
            .exclude(actual_release=None)
            .select_related("client__team__municipality", "caseworker")
            .order_by("pk")
        )
        if not open_trajectories:
            continue
        team = open_trajectories[0].client.team
        municipality = team.municipality
        Bottleneck.objects.filter(team=team).delete()
        for trajectory in open_trajectories[:2]:
            involved = [i.organisation for i in trajectory.involvements.all()]
            conference = CaseConference.objects.create(
                trajectory=trajectory,
                held_on=min(today, trajectory.actual_release + datetime.timedelta(days=14)),
                regie=Regie.PROCESS,
                other_attendees="moeder",
                client_present=True,
                summary="MDO in het Zorg- en Veiligheidshuis over wonen en inkomen na ontslag.",
                created_by=trajectory.caseworker,
            )
            conference.organisations.set(involved)
            for organisation in involved[:2]:
                Agreement.objects.create(
                    conference=conference,
                    text=f"{organisation.name} neemt binnen twee weken contact op met de jongere",
                    organisation=organisation,
                    due_date=conference.held_on + datetime.timedelta(days=14),
                )
        for index, (title, description, category, domain, level, status, resolution, kinds,
                    days_ago) in enumerate(BOTTLENECKS):  # fmt: skip
            raised_on = today - datetime.timedelta(days=days_ago)
            bottleneck = Bottleneck.objects.create(
                team=team, title=title, description=description, category=category,
                domain=domain, level=level, status=status, resolution=resolution,
                closed_on=today - datetime.timedelta(days=20) if resolution else None,
                raised_by=open_trajectories[0].caseworker, raised_on=raised_on,
            )  # fmt: skip
            bottleneck.organisations.set(
                Organisation.objects.filter(kind__in=kinds).serving(municipality)
            )
            bottleneck.trajectories.set(open_trajectories[index : index + 2])
            BottleneckEvent.objects.create(
                bottleneck=bottleneck, kind=BottleneckEvent.Kind.RAISED,
                change=str(Regie.CASE.label), note=description,
                by=bottleneck.raised_by,
            )  # fmt: skip
            for step in Bottleneck.LEVELS[1 : Bottleneck.LEVELS.index(level) + 1]:
                BottleneckEvent.objects.create(
                    bottleneck=bottleneck, kind=BottleneckEvent.Kind.ESCALATED,
                    change=str(Regie(step).label),
                    note="Niet op te lossen tussen de professionals; opgeschaald.",
                    by=bottleneck.raised_by,
                )  # fmt: skip
            if status != Bottleneck.Status.OPEN:
                BottleneckEvent.objects.create(
                    bottleneck=bottleneck, kind=BottleneckEvent.Kind.STATUS,
                    change=str(bottleneck.get_status_display()), note=resolution,
                    by=bottleneck.raised_by,
                )  # fmt: skip
