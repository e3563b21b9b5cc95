"""Demo caseloads: fifteen fictional young people in each demo team.

Every shape of DEMO.md ("Shapes every team's caseload should contain") is a
spec in SHAPES. `seed()` deletes the demo teams' clients (which cascades to
everything hanging off them) and rebuilds them from the specs with a Faker
seeded per team, so running it again gives the same rows. All dates are days
relative to today, so the demo never goes stale.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import DateTimeField, ExpressionWrapper, F
from django.utils import timezone
from faker import Faker

from accounts.models import Team, User
from cases.models import (
    Client,
    ContactMoment,
    DJIMessage,
    Document,
    NetworkMember,
    TimelineEvent,
    Trajectory,
)
from lifedomains.domains import Regie

S = Trajectory.Status
Off = Trajectory.Offence
K = ContactMoment.Kind
EV = TimelineEvent.Kind
PROCESS = Regie.PROCESS


@dataclass(frozen=True)
class TeamSetup:
    team: str
    caseworkers: tuple[str, str]  # (main caseworker, second caseworker)
    seed: int
    city: str
    postcodes: tuple[int, int]
    postal_address: tuple[str, str]  # the municipality's address for a briefadres
    institutions: tuple[str, ...]


TEAMS = (
    TeamSetup(
        "RIO Dordrecht", ("rio1", "rio1b"), 505, "Dordrecht", (3311, 3329),
        ("Spuiboulevard 300", "3311 GR"),
        ("PI Dordrecht", "PI Krimpen aan den IJssel", "PI Rotterdam (De Schie)"),
    ),
    TeamSetup(
        "RIO Rotterdam", ("rio2", "rio2b"), 599, "Rotterdam", (3011, 3089),
        ("Coolsingel 40", "3011 AD"),
        ("PI Rotterdam (De Schie)", "PI Krimpen aan den IJssel", "PI Rotterdam (Hoogvliet)"),
    ),
)  # fmt: skip


@dataclass(frozen=True)
class Period:
    """One trajectory. Dates are days relative to today (negative: in the past)."""

    status: str
    started: int
    detention: int | None  # None: never detained in this trajectory
    expected: int | None = None  # expected release; the actual release when left out
    released: int | None = None
    ended: int | None = None
    end_reason: str = ""
    end_note: str = ""
    last_contact: int | None = None  # default: a few days ago, or the end date
    offences: tuple[str, ...] = ()  # default: one or two drawn by Faker
    regie: str = Regie.CASE
    rr_plan: bool = False
    age_exception_reason: str = ""


@dataclass(frozen=True)
class Shape:
    age: int  # at the start of the first trajectory
    periods: tuple[Period, ...]
    lvb: str = Client.LVB.NO
    address: str = Client.AddressKind.ADDRESS
    network: tuple[str, ...] = ()  # keys of NETWORK
    documents: tuple[tuple[str, str, int], ...] = ()  # (Document.Kind, title, day)


SHAPES = (
    # In detention, release in ten days.
    Shape(22, (Period(S.DETENTION, -115, -118, expected=10, rr_plan=True,
                      offences=(Off.ROBBERY, Off.VIOLENCE)),),
          network=("mother", "uncle", "old_friend")),
    # Just registered after a notice of start of detention: no contact yet.
    Shape(19, (Period(S.REGISTERED, -1, -4, expected=120, offences=(Off.STREET_ROBBERY,)),)),
    # Released yesterday: the release-day conversation is the last contact.
    Shape(24, (Period(S.AFTERCARE, -160, -165, released=-1),), network=("mother", "coach")),
    # Three months after release.
    Shape(21, (Period(S.AFTERCARE, -270, -275, released=-90, rr_plan=True),),
          network=("sister", "old_friend"),
          documents=((Document.Kind.ID, "Kopie ID-kaart (nieuw aangevraagd)", -120),)),
    # One year after release.
    Shape(23, (Period(S.AFTERCARE, -480, -490, released=-365, offences=(Off.BURGLARY,)),),
          network=("uncle", "sister"),
          documents=((Document.Kind.CONSENT, "Toestemming gegevensdeling", -470),)),
    # Re-detained: the first trajectory ended with a new detention.
    Shape(20, (Period(S.CLOSED, -520, -530, released=-400, ended=-130,
                      end_reason=Trajectory.EndReason.NEW_DETENTION,
                      end_note="Opnieuw aangehouden na een woninginbraak; nieuw traject gestart."),
               Period(S.DETENTION, -125, -130, expected=180, offences=(Off.BURGLARY,))),
          network=("old_friend", "mother")),
    # Closed after two years, end evaluation done.
    Shape(20, (Period(S.CLOSED, -820, -830, released=-760, ended=-30,
                      end_reason=Trajectory.EndReason.COMPLETED,
                      end_note="Eindevaluatie gedaan: eigen kamer, vast werk, schulden in beeld"),),
          network=("mother", "coach", "uncle"),
          documents=((Document.Kind.PLAN, "Eindevaluatie na twee jaar", -32),)),
    # Stopped by the young person.
    Shape(25, (Period(S.CLOSED, -330, -335, released=-210, ended=-75,
                      end_reason=Trajectory.EndReason.STOPPED_BY_CLIENT,
                      end_note="Wil geen begeleiding meer; heeft werk via een vriend. "
                      "De deur blijft open."),)),
    # No contact for 40 days: the no-contact warning fires.
    Shape(22, (Period(S.AFTERCARE, -300, -310, released=-150, last_contact=-40),),
          network=("old_friend",)),
    # LVB indicated, with an easy-read plan.
    Shape(19, (Period(S.AFTERCARE, -200, -205, released=-45, regie=PROCESS),),
          lvb=Client.LVB.YES, network=("mother", "sister"),
          documents=((Document.Kind.PLAN, "Mijn plan (makkelijk lezen)", -40),)),
    # No fixed address: a postal address at the municipality.
    Shape(26, (Period(S.AFTERCARE, -140, -150, released=-20, regie=PROCESS),),
          address=Client.AddressKind.POSTAL,
          documents=((Document.Kind.LETTER, "Besluit briefadres gemeente", -18),)),
    # Age exception: 28 at the start of guidance.
    Shape(28, (Period(S.DETENTION, -40, -75, expected=60, age_exception_reason=(
        "Aangemeld op zijn 28e: delict gepleegd op zijn 26e, zaak duurde lang. Geen netwerk en "
        "vermoeden van LVB; teamleider akkoord met uitzondering.")),), lvb=Client.LVB.SUSPECTED),
    # The rest of the caseload.
    Shape(18, (Period(S.DETENTION, -30, -33, expected=45, regie=PROCESS),),
          address=Client.AddressKind.NONE, network=("coach",)),
    Shape(23, (Period(S.AFTERCARE, -330, -340, released=-210),), network=("father",)),
    Shape(25, (Period(S.AFTERCARE, -800, -805, released=-700),), network=("ex", "uncle")),
    # Past retention (privacy.retention): closed over five years ago after guidance ...
    Shape(23, (Period(S.CLOSED, -2450, -2460, released=-2150, ended=-1920,
                      end_reason=Trajectory.EndReason.MOVED,
                      end_note="Verhuisd naar een andere gemeente; dossier overgedragen aan "
                      "het RIO-team daar."),),
          network=("mother",),
          documents=((Document.Kind.PLAN, "Overdrachtsverslag", -1925),)),
    # ... and registered, never started, ended ten months ago (the nine-month period).
    Shape(21, (Period(S.CLOSED, -330, None, ended=-300, end_reason=Trajectory.EndReason.OTHER,
                      end_note="Aangemeld, maar de begeleiding is nooit gestart: wilde niet."),)),
)  # fmt: skip

# relation, influence, gender, same family name, note
NETWORK = {
    "mother": ("moeder", "supportive", "f", True,
               "Mag na ontslag thuis slapen; gaat mee naar afspraken."),
    "sister": ("zus", "supportive", "f", True, "Helpt met post en DigiD."),
    "uncle": ("oom", "supportive", "m", True, "Heeft een garage en wil een werkplek bieden."),
    "coach": ("voetbaltrainer", "supportive", "m", False,
              "Kent de jongere al jaren; haalt op voor de training."),
    "father": ("vader", "neutral", "m", True, "Weinig contact, woont elders."),
    "ex": ("ex-vriendin", "neutral", "f", False, "Moeder van dochtertje; omgang via bemiddeling."),
    "old_friend": ("vriend uit de oude groep", "risk", "m", False,
                   "Was betrokken bij het delict; zoekt weer contact."),
}  # fmt: skip

# Strengths, talents and dreams in the young person's own words.
WORDS = (
    ("goed met mijn handen", "sleutelen aan scooters", "wil automonteur worden"),
    ("ik kan goed koken", "voor mijn broertjes zorgen", "ik wil een eigen kamer"),
    ("ik geef niet snel op", "voetballen, ik was keeper", "ik wil mijn rijbewijs halen"),
    ("eerlijk, ook als het slecht gaat", "teksten schrijven", "geen schulden meer bij het CJIB"),
    ("ik kan goed met kleine kinderen", "tekenen", "een opleiding in de zorg doen"),
    ("ik ben altijd op tijd", "fitness", "een vaste baan en een eigen huis"),
    ("", "", ""),
)

# kind, with whom, life domains, kind of regie, summary
DETENTION_CONTACTS = (
    (K.PRISON_VISIT, "client", "housing", "case", "Gesprek in de PI over woonplek na ontslag"),
    (K.PHONE, "network", "housing care", "case",
     "Telefonisch met moeder: tijdelijk thuis slapen na ontslag is goed"),
    (K.PARTNER_MEETING, "partner", "admin", "process",
     "Overleg met de MMD'er van de PI over aanvraag ID-kaart"),
    (K.PRISON_VISIT, "client", "work finances", "case",
     "Gesprek in de PI: uitkering voorbereid en schulden in beeld"),
    (K.CASE_CONFERENCE, "partner", "housing care", "process",
     "MDO in het Zorg- en Veiligheidshuis over ontslagvoorbereiding"),
    (K.DIGITAL, "client", "admin", "case",
     "Beeldbellen vanuit de PI: DigiD en zorgverzekering doorgenomen"),
    (K.PARTNER_MEETING, "partner", "care", "process",
     "Overleg met Reclassering over bijzondere voorwaarden"),
)  # fmt: skip
RELEASE_DAY = (
    K.CONVERSATION, "client network", "housing admin work", "case",
    "Opgehaald bij de poort; samen naar het Stadskantoor voor inschrijving en aanvraag uitkering",
)  # fmt: skip
AFTERCARE_CONTACTS = (
    (K.HOME_VISIT, "client network", "housing", "case", "Huisbezoek, moeder aanwezig"),
    (K.PHONE, "client", "work", "case", "Telefonisch: afspraak UWV verzet"),
    (K.CONVERSATION, "client", "finances", "case",
     "Gesprek op kantoor: brieven van het CJIB samen geopend"),
    (K.PARTNER_MEETING, "partner", "care", "process",
     "Overleg met Reclassering over bijzondere voorwaarden"),
    (K.DIGITAL, "client", "work", "case", "Via de app: sollicitatiebrief voor de garage nagekeken"),
    (K.CASE_CONFERENCE, "partner client", "housing care finances", "process",
     "MDO in het Zorg- en Veiligheidshuis"),
    (K.PARTNER_MEETING, "partner", "finances", "process",
     "Aanmelding schuldhulpverlening besproken met de gemeente"),
    (K.HOME_VISIT, "client", "housing admin", "case",
     "Huisbezoek: post doorgenomen, huur op tijd betaald"),
    (K.CONVERSATION, "client network", "work", "case",
     "Gesprek met de voetbaltrainer erbij over werk in de kantine"),
    (K.PHONE, "partner", "housing", "process",
     "Telefonisch met de woningcorporatie: urgentieaanvraag loopt nog"),
    (K.PARTNER_MEETING, "partner", "work finances", "administrative",
     "Knelpunt 'uitkering pas na 4 weken' ingebracht in het ketenoverleg"),
)  # fmt: skip

STATUS_NL = {
    S.REGISTERED: "Aanmelding", S.DETENTION: "In detentie", S.AFTERCARE: "Nazorg",
    S.CLOSED: "Afgesloten",
}  # fmt: skip
KIND_NL = {
    K.CONVERSATION: "gesprek", K.HOME_VISIT: "huisbezoek", K.PRISON_VISIT: "bezoek in de PI",
    K.PHONE: "telefonisch", K.DIGITAL: "digitaal", K.PARTNER_MEETING: "overleg met ketenpartner",
    K.CASE_CONFERENCE: "MDO",
}  # fmt: skip
EXTRA_FIRST_NAMES = (
    "Mohamed", "Ilias", "Anouar", "Yassin", "Emre", "Jayden", "Dylan", "Jermaine", "Rayan", "Burak",
)  # fmt: skip
EXTRA_FEMALE_NAMES = ("Shanice", "Naima", "Esra", "Chelsey")
EXTRA_LAST_NAMES = (
    "El Idrissi", "Yilmaz", "Pinas", "Bouzidi", "Rosaria", "Sedney", "Kaya", "Ait Lahcen",
    "Kartosen",
)  # fmt: skip
POSTCODE_LETTERS = "ABCEGHJKLMNPRTVWXZ"


def seed() -> None:
    teams = [(setup, Team.objects.get(name=setup.team)) for setup in TEAMS]
    existing = Client.objects.filter(team__in=[team for _setup, team in teams])
    files = list(Document.objects.filter(client__in=existing).values_list("file", flat=True))
    existing.delete()  # cascades to trajectories, contacts, network, documents, timeline
    storage = Document._meta.get_field("file").storage
    transaction.on_commit(lambda: [storage.delete(name) for name in files])
    for setup, team in teams:
        seed_team(setup, team)


def seed_team(setup: TeamSetup, team: Team) -> None:
    fake = Faker("nl_NL")
    fake.seed_instance(setup.seed)
    main, second = (User.objects.get(username=name) for name in setup.caseworkers)
    events: list[TimelineEvent] = []
    contacts: list[ContactMoment] = []
    for index, shape in enumerate(SHAPES):
        caseworker = second if index % 3 == 2 else main
        client = make_client(fake, setup, team, shape, index, caseworker)
        for period in shape.periods:
            trajectory = make_trajectory(fake, setup, client, period, caseworker)
            events += status_events(trajectory, period)
            events += dji_messages(fake, trajectory, period)
            for contact in plan_contacts(fake, trajectory, period, index):
                title = f"Contact: {KIND_NL[contact.kind]}"
                hour = 10 + len(contacts) % 7
                events.append(
                    event(trajectory, contact.date, hour, EV.CONTACT, title, contact=contact)
                )
                contacts.append(contact)
        for kind, title, offset in shape.documents:
            trajectory = client.trajectories.first()
            document = add_document(trajectory, kind, title, days(offset))
            events.append(
                event(trajectory, days(offset), 11, EV.DOCUMENT, "Document", document=document)
            )
        for key in shape.network:
            relation, influence, gender, family, note = NETWORK[key]
            first = fake.first_name_female() if gender == "f" else fake.first_name_male()
            last = client.last_name if family else family_name(fake.last_name())
            NetworkMember.objects.create(
                client=client, name=f"{first} {last}", relation=relation, influence=influence,
                phone=mobile(fake), notes=note,
            )  # fmt: skip
    ContactMoment.objects.bulk_create(contacts)
    TimelineEvent.objects.bulk_create(events)
    # Contacts and trajectories look entered on their own day, not all today.
    ContactMoment.objects.filter(trajectory__client__team=team).update(created_at=noon("date"))
    Trajectory.objects.filter(client__team=team).update(created_at=noon("started_on"))


def make_client(fake, setup, team, shape, index, caseworker) -> Client:
    female = index % 6 == 4
    first = fake.first_name_female() if female else fake.first_name_male()
    last = family_name(fake.last_name())
    if index % 2 == 0:  # Faker's names mixed with the other names of the city, none twice
        extra = EXTRA_FEMALE_NAMES if female else EXTRA_FIRST_NAMES
        first = extra[(index // 2 + setup.seed) % len(extra)]
    if index % 3 == 0:
        last = EXTRA_LAST_NAMES[(index // 3 + setup.seed) % len(EXTRA_LAST_NAMES)]
    start = days(shape.periods[0].started)
    anniversary = start.replace(year=start.year - shape.age, day=min(start.day, 28))
    client = Client(
        team=team, first_name=first, last_name=last, phone=mobile(fake), lvb=shape.lvb,
        date_of_birth=anniversary - timedelta(days=fake.random_int(1, 330)),
        address_kind=shape.address, municipality_of_origin=team.municipality,
        municipality_of_settlement=team.municipality, created_by=caseworker,
    )  # fmt: skip
    client.strengths, client.talents, client.dreams = WORDS[index % len(WORDS)]
    if index % 3 != 1:  # only some clients have a BSN on file
        client.set_bsn(fake.ssn())
    if shape.address == Client.AddressKind.ADDRESS:
        client.street = f"{fake.street_name()} {fake.random_int(1, 240)}"
        letters = fake.lexify("??", letters=POSTCODE_LETTERS)
        client.postcode = f"{fake.random_int(*setup.postcodes)} {letters}"
        client.city = setup.city
    elif shape.address == Client.AddressKind.POSTAL:
        client.street, client.postcode = setup.postal_address
        client.city = setup.city
    client.save()
    return client


def make_trajectory(fake, setup, client, period, caseworker) -> Trajectory:
    offences = period.offences or fake.random_elements(
        Off.values, length=fake.random_int(1, 2), unique=True
    )
    return Trajectory.objects.create(
        client=client, caseworker=caseworker, status=period.status, offences=list(offences),
        penitentiary_institution=fake.random_element(setup.institutions),
        detention_start=days(period.detention), actual_release=days(period.released),
        expected_release=days(period.released if period.expected is None else period.expected),
        started_on=days(period.started), ended_on=days(period.ended), regie=period.regie,
        end_reason=period.end_reason, end_note=period.end_note,
        age_exception_reason=period.age_exception_reason,
    )  # fmt: skip


def status_events(trajectory: Trajectory, period: Period) -> list[TimelineEvent]:
    path = [(S.REGISTERED, trajectory.started_on)]
    if period.status != S.REGISTERED and trajectory.detention_start:
        path.append((S.DETENTION, trajectory.started_on))
    if trajectory.actual_release:
        path.append((S.AFTERCARE, trajectory.actual_release))
    if trajectory.ended_on:
        path.append((S.CLOSED, trajectory.ended_on))
    return [
        event(trajectory, day, 9, EV.STATUS, f"Status: {STATUS_NL[old]} → {STATUS_NL[new]}",
              text=trajectory.end_note if new == S.CLOSED else "")
        for (old, _day), (new, day) in itertools.pairwise(path)
    ]  # fmt: skip


def dji_messages(fake, trajectory: Trajectory, period: Period) -> list[TimelineEvent]:
    t, pi, kinds = trajectory, trajectory.penitentiary_institution, DJIMessage.Kind
    if t.detention_start is None:  # never detained: no notice from the prison service
        return []
    start_note = f"Ingesloten in {pi} op {t.detention_start:%d-%m-%Y}."
    messages = [(kinds.DETENTION_START, "melding begin detentie", t.started_on, start_note)]
    if period.rr_plan:
        day = min(days(0), t.started_on + timedelta(days=30))
        note = "ID-kaart aangevraagd in de PI; huisvesting en inkomen nog open."
        messages.append((kinds.RR_PLAN, "D&R-plan ontvangen", day, note))
    if release := t.actual_release:
        day = max(t.started_on, release - timedelta(days=fake.random_int(7, 14)))
        note = f"Ontslag uit {pi} op {release:%d-%m-%Y}."
        messages.append((kinds.DETENTION_END, "melding einde detentie", day, note))
    events = []
    for kind, title, day, summary in messages:
        document = None
        if kind == kinds.RR_PLAN:
            document = add_document(t, Document.Kind.DJI, f"D&R-plan {pi}", day)
        message = DJIMessage.objects.create(
            trajectory=t, kind=kind, received_on=day, summary=summary, document=document,
            release_date=release if kind == kinds.DETENTION_END else None,
            created_by=t.caseworker,
        )  # fmt: skip
        events.append(event(t, day, 8, EV.DJI, f"DJI: {title}", dji_message=message))
    return events


def plan_contacts(fake, trajectory: Trajectory, period: Period, index: int) -> list:
    """Contacts spread over the trajectory, about one every 18 days, at most 40."""
    if period.status == S.REGISTERED or period.detention is None:
        return []
    first = trajectory.started_on + timedelta(days=2)
    if period.last_contact is not None:
        last = days(period.last_contact)
    else:
        last = trajectory.ended_on or days(-2 - index % 9)
    span = max((last - first).days, 0)
    count = min(40, max(2, span // 18))  # so the steps below are at least 18 days apart
    dates = {min(first, last), last}
    for step in range(1, count - 1):
        dates.add(first + timedelta(days=span * step // (count - 1) + fake.random_int(-3, 3)))
    release = trajectory.actual_release
    if release and trajectory.started_on <= release <= (trajectory.ended_on or days(0)):
        dates.add(release)  # the release-day conversation
    contacts = []
    for number, day in enumerate(sorted(dates)):
        if day == release:
            spec = RELEASE_DAY
        else:
            pool = AFTERCARE_CONTACTS if release and day > release else DETENTION_CONTACTS
            spec = pool[(index + number) % len(pool)]
        kind, whom, domains, regie, summary = spec
        contacts.append(ContactMoment(
            trajectory=trajectory, date=day, kind=kind, with_whom=whom.split(),
            domains=domains.split(), regie=regie, summary=summary,
            created_by=trajectory.caseworker,
        ))  # fmt: skip
    return contacts


def add_document(trajectory: Trajectory, kind: str, title: str, day: date) -> Document:
    content = pdf_bytes(title)
    slug = "".join(c if c.isalnum() else "-" for c in title.lower()).strip("-")
    document = Document(
        client=trajectory.client, trajectory=trajectory, title=title, kind=kind,
        original_name=f"{slug}.pdf", content_type="application/pdf", extension="pdf",
        size=len(content), uploaded_by=trajectory.caseworker,
    )  # fmt: skip
    document.file.save(document.original_name, ContentFile(content), save=False)
    document.save()
    Document.objects.filter(pk=document.pk).update(uploaded_at=at(day, 11))
    return document


def event(trajectory, day, hour, kind, title, text="", **about) -> TimelineEvent:
    """A timeline line; `about` names the contact, DJI message or document it shows."""
    return TimelineEvent(
        trajectory=trajectory, at=at(day, hour), kind=kind, title=title[:300], text=text,
        by=trajectory.caseworker, **about,
    )  # fmt: skip


def days(offset: int | None) -> date | None:
    """The day `offset` days from today (None stays None)."""
    return None if offset is None else timezone.localdate() + timedelta(days=offset)


def noon(date_field: str) -> ExpressionWrapper:
    return ExpressionWrapper(F(date_field) + timedelta(hours=12), output_field=DateTimeField())


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 15), tzinfo=timezone.get_current_timezone())


def mobile(fake: Faker) -> str:
    return f"06-{fake.numerify('########')}"


def family_name(name: str) -> str:
    """Faker writes "Berg, van den"; people write "van den Berg"."""
    base, _comma, prefix = name.partition(", ")
    return f"{prefix} {base}" if prefix else base


def pdf_bytes(title: str) -> bytes:
    """A minimal valid one-page PDF that shows the title."""
    text = title.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 16 Tf 72 770 Td ({text}) Tj ET".encode("cp1252")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    return bytes(out + b"startxref\n%d\n%%%%EOF\n" % xref)
