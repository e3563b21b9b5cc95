"""Demo registry: the chain partners of Dordrecht and Rotterdam (fictional contact people)."""

from __future__ import annotations

from accounts.models import Municipality
from partners.models import ContactPerson, Organisation

K = Organisation.Kind

# name, kind, domains, municipality CBS code (None: regional), region, phone, contacts
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
]


def seed() -> None:
    municipalities = {m.cbs_code: m for m in Municipality.objects.all()}
    for name, kind, domains, cbs_code, region, phone, contacts in REGISTRY:
        municipality = municipalities.get(cbs_code) if cbs_code else None
        organisation, _ = Organisation.objects.update_or_create(
            name=name,
            municipality=municipality,
            defaults={"kind": kind, "domains": domains, "region": region, "phone": phone},
        )
        for contact_name, role in contacts:
            ContactPerson.objects.update_or_create(
                organisation=organisation, name=contact_name, defaults={"role": role}
            )
