"""Demo history for the managers' dashboards: three years of a second team's work.

The demo caseloads (cases.demo) are fifteen young people per team, too few for a
dashboard: nearly every cell would be "<5". So each demo municipality has a
second team (accounts.demo: RIO Drechtsteden in Dordrecht, RIO Rotterdam-Zuid in
Rotterdam) whose 150 trajectories are made here, their starts spread evenly
over the last 36 months. The older ones have ended, for the reasons of ENDINGS
in their shares; the youngest ended ones for a reason that fits the short time
(nobody completes two years in one). Some 30% still run: most of those that
began in the last ten months and a few older ones in aftercare, in every
status, the status agreeing with the dates the dashboards read it from
(registered: not detained yet or a day to report; detention: detained, release
expected; aftercare: released). Each has what the dashboards and the pages read:
contacts, assessments of the moments that have come, a release checklist with a
dated history, the follow-up moments as `followup.schedule.plan` makes them
(kept, late, missed; of a running one the missed recent ones overdue), partners,
requests and legal bases; and bottlenecks raised over the years. The sweep then
makes the reminders of the running ones, as every night.

The first teams are left alone, so the caseloads of rio1, rio1b, rio2 and rio2b
stay exactly as cases.demo makes them; rio1c, rio1d, rio2c and rio2d have the
big caseloads of a team at full strength.

Runs last (reports is last in PROJECT_APPS). It deletes the second teams'
clients and bottlenecks first (cases.demo and partners.demo only clear the
first teams), so it rebuilds the same rows on every run: the randomness is a
random.Random and a Faker seeded per team, and all dates are relative to today.
Rows are written with bulk_create, a few statements per kind of row per team.
"""

from __future__ import annotations

import copy
import itertools
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import pgtrigger
from django.db.models import DateTimeField, ExpressionWrapper, F, Value
from django.db.models.functions import Least
from django.utils import timezone
from faker import Faker

from accounts.models import Municipality, Team, User
from cases.demo import (
    AFTERCARE_CONTACTS,
    DETENTION_CONTACTS,
    KIND_NL,
    RELEASE_DAY,
    STATUS_NL,
    family_name,
    mobile,
    noon,
)
from cases.models import Client, ContactMoment, TimelineEvent, Trajectory
from followup.models import FollowUpMoment
from followup.reminders import sweep
from followup.schedule import due_date, guidance_start, plan
from lifedomains.domains import Domain as D
from lifedomains.domains import Regie
from lifedomains.models import Assessment, DomainScore, ReadinessItem, ReadinessItemEvent
from partners.models import (
    Bottleneck,
    BottleneckEvent,
    ContactPerson,
    Involvement,
    Organisation,
    PartnerRequest,
    SharingBasis,
)

S = Trajectory.Status
END = Trajectory.EndReason
Off = Trajectory.Offence
M = Assessment.Moment
ITEM = ReadinessItem.Item
RS = ReadinessItem.Status
FS = FollowUpMoment.Status
K = Organisation.Kind
EV = TimelineEvent.Kind

# Readiness history events may be dated in the past only past these two guards.
INSERT_TRIGGER = "lifedomains.ReadinessItem:readiness_history_insert"
APPEND_ONLY = ReadinessItemEvent.APPEND_ONLY
BATCH = 1000
EARLY = timedelta(days=14)
WINDOW = 3 * 365  # the history starts within the last three years


@dataclass(frozen=True)
class History:
    team: str
    caseworkers: tuple[str, ...]
    size: int
    seed: int
    city: str
    postcodes: tuple[int, int]
    institutions: tuple[str, ...]
    neighbours: tuple[str, ...]  # CBS codes of the municipalities around it (accounts.demo)
    other_city: str  # CBS code of the other demo municipality


# The second team of each demo municipality (accounts.demo): its whole caseload is made here.
HISTORIES = (
    History("RIO Drechtsteden", ("rio1c", "rio1d"), 150, 5050, "Dordrecht", (3311, 3329),
            ("PI Dordrecht", "PI Krimpen aan den IJssel", "PI Rotterdam (De Schie)"),
            ("GM0642", "GM0590", "GM0610"), "GM0599"),
    History("RIO Rotterdam-Zuid", ("rio2c", "rio2d"), 150, 5990, "Rotterdam", (3011, 3089),
            ("PI Rotterdam (De Schie)", "PI Krimpen aan den IJssel", "PI Rotterdam (Hoogvliet)"),
            ("GM0606", "GM0622", "GM0502"), "GM0505"),
)  # fmt: skip

# How many trajectories still run today, and which: drawn by days since guidance began,
# most of them of the last ten months, a few older ones in their aftercare.
RUNNING_SHARE = 0.3
STILL_RUNNING = ((300, 8), (640, 1))  # (younger than, weight)
# The newest ones are mostly still a registration: no detention yet, or a self-reporter
# (zelfmelder) with the day to report at the PI.
REGISTERED_DAYS, REGISTERED_SHARE, SELF_REPORTER = 90, 0.65, 0.5
# A running trajectory's last contact: a few days ago, or for some over 40 days ago.
OUT_OF_CONTACT = 0.08
# A missed moment of a running trajectory stays open (overdue) this long; an older one
# was caught up on later.
OVERDUE_DAYS = 60
REGISTERED_CONTACT = (
    ContactMoment.Kind.PHONE, "client", "admin", "case",
    "Telefonisch kennisgemaakt: aanmelding doorgenomen, afspraak gemaakt",
)  # fmt: skip

# End reason: share, days from release to the end (low, high), note.
ENDINGS = (
    (END.COMPLETED, 55, (710, 760), "Eindevaluatie na twee jaar; doelen grotendeels gehaald."),
    (END.NEW_DETENTION, 15, (30, 420), "Opnieuw gedetineerd; nieuw traject na aanmelding."),
    (END.STOPPED_BY_CLIENT, 10, (14, 270), "Wil geen begeleiding meer. De deur blijft open."),
    (END.MOVED, 10, (30, 500), "Verhuisd naar een andere gemeente; warm overgedragen."),
    (END.OTHER, 8, (20, 400), "Begeleiding overgenomen door de GGZ."),
    (END.DECEASED, 2, (60, 500), "Overleden."),
)  # fmt: skip
# A completed trajectory sometimes ends well before the end evaluation.
EARLY_COMPLETION = (365, 600)

AGES = (18, 19, 19, 20, 20, 20, 21, 21, 21, 22, 22, 22, 23, 23, 24, 24, 25, 25, 26, 27)
AGE_EXCEPTIONS = (
    (17, "Aangemeld op zijn 17e, een maand voor zijn 18e verjaardag; jeugdreclassering stopt."),
    (28, "Delict gepleegd op zijn 26e; zaak duurde lang. Teamleider akkoord."),
    (29, "Vermoeden van LVB en geen netwerk; teamleider akkoord met uitzondering."),
)
OFFENCES = ((Off.VIOLENCE, 30), (Off.BURGLARY, 25), (Off.OTHER, 25), (Off.STREET_ROBBERY, 20),
            (Off.ROBBERY, 15))  # fmt: skip
LVB = ((Client.LVB.NO, 60), (Client.LVB.UNKNOWN, 13), (Client.LVB.SUSPECTED, 15),
       (Client.LVB.YES, 12))  # fmt: skip
ADDRESS = ((Client.AddressKind.ADDRESS, 78), (Client.AddressKind.POSTAL, 12),
           (Client.AddressKind.NONE, 10))  # fmt: skip

DOMAINS = (D.HOUSING, D.ADMIN, D.CARE, D.FINANCES, D.WORK)
# How far a domain usually starts below or above the young person's level, and
# the average gain at each moment: scores rise with the time since release.
DOMAIN_START = {D.HOUSING: -0.4, D.ADMIN: 0.0, D.CARE: 0.3, D.FINANCES: -0.5, D.WORK: -0.3}
GAIN = {M.T0: 0.0, M.RELEASE: 0.4, M.M6: 1.0, M.M12: 1.4, M.M24: 1.8}
MOMENT_NOTES = {
    M.T0: "Eerste meting, samen met de jongere ingevuld.",
    M.RELEASE: "Meting op de dag van ontslag.",
    M.M6: "Zes maanden na ontslag.",
    M.M12: "Een jaar na ontslag.",
    M.M24: "Eindmeting na twee jaar, samen teruggekeken.",
}
NOT_DISCUSSED = (
    "Jongere wilde er nog niet over praten",
    "Geen tijd meer in het gesprek",
    "Besproken bij de volgende afspraak",
)

# Item: (share done before release, share done after release), for a checklist
# of a trajectory that began before release. The rest stays open (or refused).
READINESS = {
    ITEM.ID_DOCUMENT: (0.92, 0.06),
    ITEM.INCOME: (0.85, 0.12),
    ITEM.HOUSING: (0.45, 0.35),
    ITEM.DEBTS: (0.40, 0.35),
    ITEM.CARE: (0.65, 0.25),
    ITEM.BRP: (0.60, 0.30),
    ITEM.DIGID: (0.40, 0.45),
    ITEM.BANK_ACCOUNT: (0.70, 0.20),
    ITEM.HEALTH_INSURANCE: (0.75, 0.20),
    ITEM.CJIB: (0.20, 0.40),
}
PRACTICAL = (ITEM.BRP, ITEM.DIGID, ITEM.BANK_ACCOUNT, ITEM.HEALTH_INSURANCE, ITEM.CJIB)

# Partners for the history: kind, role, domains, legal basis, request.
PARTNER_WORK = (
    (K.PROBATION, "reclasseringswerker", ["care", "work"], SharingBasis.Basis.PBW_18A,
     "Bijzondere voorwaarden en meldplicht na ontslag?"),
    (K.HOUSING, "woonconsulent", ["housing"], SharingBasis.Basis.CONSENT,
     "Kan de jongere met urgentie een kamer krijgen?"),
    (K.DEBT_HELP, "schuldhulpverlener", ["finances"], SharingBasis.Basis.CONSENT,
     "Intake schuldhulp inplannen en schuldenoverzicht opvragen"),
    (K.MUNICIPALITY, "consulent", ["work", "finances"], SharingBasis.Basis.MUNICIPAL_TASK,
     "Kan de uitkering op de dag van ontslag ingaan?"),
    (K.MENTAL_HEALTH, "behandelaar", ["care"], SharingBasis.Basis.CONSENT,
     "Kan de behandeling uit de PI na ontslag doorlopen?"),
    (K.SAFETY_HOUSE, "procesregisseur", ["care", "housing"], SharingBasis.Basis.SAFETY_HOUSE,
     "Graag een MDO plannen over wonen en zorg."),
    (K.LVB_CARE, "begeleider", ["care"], SharingBasis.Basis.CONSENT,
     "Is er plek voor ambulante begeleiding?"),
    (K.EMPLOYER, "werkgever", ["work"], SharingBasis.Basis.CONSENT,
     "Is er een proefplaats in de werkplaats?"),
)  # fmt: skip

# title, category, domain, level, status, days ago raised, days open (None: still open)
BOTTLENECKS = (
    ("Geen zorgverzekering tijdens detentie", Bottleneck.Category.REGULATION, D.CARE,
     Regie.CASE, Bottleneck.Status.RESOLVED, 1000, 60),
    ("ID-kaart aanvragen vanuit de PI duurt te lang", Bottleneck.Category.COLLABORATION, D.ADMIN,
     Regie.PROCESS, Bottleneck.Status.RESOLVED, 880, 150),
    ("Geen plek in de maatschappelijke opvang voor 18-jarigen", Bottleneck.Category.CAPACITY,
     D.HOUSING, Regie.ADMINISTRATIVE, Bottleneck.Status.UNSOLVABLE, 760, 300),
    ("Ontslagdatum te laat doorgegeven", Bottleneck.Category.INFORMATION, D.ADMIN,
     Regie.PROCESS, Bottleneck.Status.RESOLVED, 640, 90),
    ("Schuldhulp wil pas na ontslag starten", Bottleneck.Category.COLLABORATION, D.FINANCES,
     Regie.CASE, Bottleneck.Status.RESOLVED, 520, 45),
    ("Geen budget voor begeleid wonen LVB", Bottleneck.Category.FUNDING, D.HOUSING,
     Regie.ADMINISTRATIVE, Bottleneck.Status.SCHEDULED, 400, None),
    ("Toestemming delen gegevens met de GGZ onduidelijk", Bottleneck.Category.INFORMATION, D.CARE,
     Regie.CASE, Bottleneck.Status.RESOLVED, 300, 30),
    ("Werkgevers vragen een VOG", Bottleneck.Category.OTHER, D.WORK, Regie.PROCESS,
     Bottleneck.Status.OPEN, 200, None),
    ("Wachttijd GGZ-intake 14 weken", Bottleneck.Category.CAPACITY, D.CARE, Regie.PROCESS,
     Bottleneck.Status.RESOLVED, 420, 210),
    ("Bankrekening openen zonder vast adres", Bottleneck.Category.REGULATION, D.FINANCES,
     Regie.CASE, Bottleneck.Status.OPEN, 60, None),
)  # fmt: skip

RESOLUTIONS = {
    Bottleneck.Status.RESOLVED: "Afspraak gemaakt met de ketenpartners.",
    Bottleneck.Status.UNSOLVABLE: "Ligt buiten wat de gemeente kan regelen.",
}


@dataclass
class Story:
    """One history trajectory while it is being made, and the rows that hang off it."""

    trajectory: Trajectory
    last_contact: date  # before the end when contact faded out
    contact_days: set[date] = field(default_factory=set)
    contacts: dict[date, ContactMoment] = field(default_factory=dict)
    moments: list[FollowUpMoment] = field(default_factory=list)
    assessments: dict[str, Assessment] = field(default_factory=dict)


def seed() -> None:
    teams = [Team.objects.select_related("municipality").get(name=h.team) for h in HISTORIES]
    # These teams are this module's alone: everything in them is rebuilt on every run.
    Bottleneck.objects.filter(team__in=teams).delete()
    Client.objects.filter(team__in=teams).delete()  # cascades to all that hangs off them
    running: list[int] = []
    for history, team in zip(HISTORIES, teams, strict=True):
        running += seed_team(history, team)
    # The reminders of the running ones, as the nightly sweep makes them.
    sweep(today=timezone.localdate(), trajectory_ids=running)


def seed_team(history: History, team: Team) -> list[int]:
    """The team's trajectories; returns the ids of those still running."""
    rng = random.Random(history.seed)  # noqa: S311 - demo data, not security
    fake = Faker("nl_NL")
    fake.seed_instance(history.seed)
    today = timezone.localdate()
    caseworkers = list(User.objects.filter(username__in=history.caseworkers).order_by("username"))
    municipalities = {m.cbs_code: m for m in Municipality.objects.all()}
    taken: set[str] = set()

    stories: list[Story] = []
    clients: list[Client] = []
    for number, (age, course) in enumerate(courses(rng, history.size)):
        caseworker = caseworkers[1 if number % 3 == 2 else 0]
        trajectory = make_trajectory(rng, history, today, caseworker, age, course)
        client = make_client(rng, fake, history, team, municipalities, trajectory, taken)
        trajectory.client = client
        clients.append(client)
        stories.append(
            Story(trajectory=trajectory, last_contact=last_contact(rng, trajectory, today))
        )
    Client.objects.bulk_create(clients, batch_size=BATCH)
    for story in stories:
        story.trajectory.client_id = story.trajectory.client.pk
    Trajectory.objects.bulk_create([s.trajectory for s in stories], batch_size=BATCH)

    for story in stories:
        plan_followup(rng, story, today)
        plan_contacts(rng, story)
    write_contacts(stories)
    write_assessments(rng, stories)
    write_followup(stories)
    write_readiness(rng, stories, today)
    write_partners(rng, stories, team, today)
    write_bottlenecks(rng, team, stories, caseworkers)
    # Entered on their own day, not all today.
    history_trajectories = Trajectory.objects.filter(pk__in=[s.trajectory.pk for s in stories])
    history_trajectories.update(created_at=noon("started_on"))
    ContactMoment.objects.filter(trajectory__in=history_trajectories).update(
        created_at=noon("date")
    )
    afternoon = ExpressionWrapper(F("date") + timedelta(hours=14), output_field=DateTimeField())
    Assessment.objects.filter(trajectory__in=history_trajectories).update(
        created_at=Least(afternoon, Value(timezone.now()))
    )
    return [s.trajectory.pk for s in stories if s.trajectory.is_open]


# --- The trajectory and its young person -------------------------------------------------


@dataclass(frozen=True)
class Course:
    """How a trajectory goes, in days from the start of detention."""

    detained: int  # until release
    start: int  # guidance began (after the release, for a late notice)
    end: int | None = None  # None: still running
    before_release: bool = False  # ended while still inside
    ending: tuple | None = None  # an entry of ENDINGS


def courses(rng, size: int) -> list[tuple[int, Course]]:
    """(days since guidance began, course) per trajectory, the starts spread evenly over
    the window, oldest first.

    The end reasons come in their shares exactly. A trajectory that ended must have
    ended by yesterday, so the youngest are given theirs first: the one that fits first
    of the shuffled reasons left (a young one cannot have completed two years yet).
    """
    ages = [WINDOW - int((n + rng.random()) * (WINDOW - 1) / size) for n in range(size)]
    # A weighted draw without replacement (Efraimidis and Spirakis).
    weights = [next((w for days, w in STILL_RUNNING if age < days), 0) for age in ages]
    keys = [rng.random() ** (1 / w) if w else -1 for w in weights]
    order = sorted(range(size), key=lambda n: keys[n], reverse=True)
    running = set(order[: round(size * RUNNING_SHARE)])
    ended = sorted((n for n in range(size) if n not in running), key=lambda n: ages[n])
    endings = [e for e in ENDINGS for _ in range(round(len(ended) * e[1] / 100))]
    endings += [ENDINGS[0]] * (len(ended) - len(endings))
    endings = endings[: len(ended)]
    rng.shuffle(endings)
    found = {n: draw_course(rng, None, late_start(rng)) for n in running}
    for n in ended:
        found[n] = fitting_course(rng, endings, ages[n])
    return [(ages[n], found[n]) for n in range(size)]


def fitting_course(rng, endings: list, age: int) -> Course:
    """A course that ended by yesterday, with the first of `endings` that allows one
    (taken from the list); if none does, the first one, cut short."""
    late = late_start(rng)  # drawn once: a late notice does not make a course fit
    for index, ending in enumerate(endings):
        for _attempt in range(8):
            course = draw_course(rng, ending, late)
            if course.end - course.start < age:
                del endings[index]
                return course
    course = draw_course(rng, endings.pop(0), late)
    end = course.start + age - 1
    inside = course.before_release or end < course.detained
    return Course(course.detained, course.start, end, inside, course.ending)


def late_start(rng) -> bool:
    """The notice came late: guidance began after release."""
    return rng.random() < 0.2


def draw_course(rng, ending, late_start: bool) -> Course:
    # Of those still running today, more have a long sentence: they stay in longer.
    weights = (40, 40, 20) if ending else (30, 40, 30)
    detained = rng.choices((rng.randint(30, 120), rng.randint(120, 300), rng.randint(300, 600)),
                           weights=weights)[0]  # fmt: skip
    start = detained + rng.randint(0, 45) if late_start else min(rng.randint(3, 35), detained - 3)
    if ending is None:
        return Course(detained, start)
    reason, _share, (low, high), _note = ending
    # Some leave before release: moved, taken over, or stopped while still inside.
    before_release = reason in (END.MOVED, END.OTHER, END.STOPPED_BY_CLIENT) and (
        rng.random() < 0.25
    )
    if reason == END.COMPLETED and rng.random() < 0.3:
        low, high = EARLY_COMPLETION
    if before_release:
        start = min(rng.randint(3, 35), detained - 10)
        end = start + rng.randint(30, max(31, detained - start - 5))
    else:
        end = max(detained + rng.randint(low, high), start + 14)
    return Course(detained, start, end, before_release, ending)


def make_trajectory(rng, history, today: date, caseworker: User, age: int, course: Course):
    started_on = today - timedelta(days=age)
    detention_start = started_on - timedelta(days=course.start)
    release = detention_start + timedelta(days=course.detained)
    count = rng.choices((0, 1, 2), weights=(5, 70, 25))[0]
    offences = set()
    while len(offences) < count:
        offences.add(weighted(rng, OFFENCES, key=lambda o: o[1])[0])
    trajectory = Trajectory(
        caseworker=caseworker, offences=sorted(offences),
        penitentiary_institution=rng.choice(history.institutions),
        detention_start=detention_start, expected_release=release, started_on=started_on,
        regie=Regie.PROCESS if rng.random() < 0.25 else Regie.CASE,
    )  # fmt: skip
    if course.ending is not None:
        reason, _share, _days, note = course.ending
        trajectory.status, trajectory.end_reason, trajectory.end_note = S.CLOSED, reason, note
        trajectory.ended_on = started_on + timedelta(days=course.end - course.start)
        trajectory.actual_release = None if course.before_release else release
    elif age < REGISTERED_DAYS and rng.random() < REGISTERED_SHARE:
        # Registered, not detained yet: the statuses are read from these dates.
        trajectory.status = S.REGISTERED
        trajectory.detention_start = trajectory.expected_release = None
        if rng.random() < SELF_REPORTER:
            trajectory.detention_start = today + timedelta(days=rng.randint(5, 45))
            trajectory.expected_release = trajectory.detention_start + timedelta(
                days=course.detained
            )
        else:
            trajectory.penitentiary_institution = ""
    elif release > today:
        trajectory.status = S.DETENTION
    else:
        trajectory.status, trajectory.actual_release = S.AFTERCARE, release
    return trajectory


def make_client(rng, fake, history, team, municipalities, trajectory, taken) -> Client:
    age, reason = rng.choice(AGES), ""
    if rng.random() < 0.03:
        age, reason = rng.choice(AGE_EXCEPTIONS)
    trajectory.age_exception_reason = reason
    start = trajectory.started_on
    born = start.replace(year=start.year - age, day=min(start.day, 28))
    born -= timedelta(days=rng.randint(1, 330))
    female = rng.random() < 0.12
    kind = weighted(rng, ADDRESS, key=lambda a: a[1])[0]
    client = Client(
        team=team, first_name=fake.first_name_female() if female else fake.first_name_male(),
        last_name=family_name(fake.last_name()), date_of_birth=born, phone=mobile(fake),
        lvb=weighted(rng, LVB, key=lambda x: x[1])[0], address_kind=kind,
        municipality_of_origin=team.municipality,
        municipality_of_settlement=settlement(rng, history, team, municipalities),
        created_by=trajectory.caseworker,
    )  # fmt: skip
    if rng.random() < 0.7:  # only some have a BSN on file
        client.set_bsn(fake.ssn())
        if client.bsn_index in taken:
            client.bsn, client.bsn_index = "", ""
        taken.add(client.bsn_index)
    if kind == Client.AddressKind.ADDRESS:
        client.street = f"{fake.street_name()} {rng.randint(1, 240)}"
        client.postcode = (
            f"{rng.randint(*history.postcodes)} {fake.lexify('??', 'ABEGHJKLMNPRSTVWXZ')}"
        )
        client.city = history.city
    return client


def settlement(rng, history, team, municipalities) -> Municipality | None:
    """Mostly the own municipality; some settle in a neighbouring one, a few are unknown."""
    draw = rng.random()
    if draw < 0.82:
        return team.municipality
    if draw < 0.94:
        return municipalities.get(rng.choice(history.neighbours), team.municipality)
    if draw < 0.97:
        return municipalities.get(history.other_city, team.municipality)
    return None


def last_contact(rng, trajectory: Trajectory, today: date) -> date:
    """The end date; or, when contact faded out before it was closed, a month or three
    earlier (never before the start). While it runs: a few days ago, for some longer."""
    end = trajectory.ended_on
    if end is None:
        ago = rng.randint(41, 75) if rng.random() < OUT_OF_CONTACT else rng.randint(0, 10)
        return max(trajectory.started_on, today - timedelta(days=ago))
    faded = trajectory.end_reason in (END.STOPPED_BY_CLIENT, END.OTHER, END.MOVED)
    if faded and rng.random() < 0.4:
        return max(trajectory.started_on, end - timedelta(days=rng.randint(30, 90)))
    return end


# --- Follow-up and contacts ----------------------------------------------------------------


def plan_followup(rng, story: Story, today: date) -> None:
    """The schedule as `followup.schedule.plan` makes it, and how each moment went: on
    time, late, missed or not yet due. When the trajectory was closed, its missed and
    future moments were cancelled; while it runs they are open, a missed one of the
    last two months overdue (an older one was caught up on later)."""
    trajectory = story.trajectory
    as_planned = trajectory
    if not trajectory.is_open:  # planned as it was while it ran
        as_planned = copy.copy(trajectory)
        as_planned.status = S.AFTERCARE if trajectory.actual_release else S.DETENTION
        as_planned.ended_on, as_planned.end_reason = None, ""
    start, end = guidance_start(trajectory), trajectory.ended_on
    last = story.last_contact
    for (kind, sequence), planned_on in sorted(plan(as_planned).items(), key=lambda kv: kv[1]):
        due_on = due_date(planned_on, not_before=start)
        moment = FollowUpMoment(
            trajectory=trajectory, kind=kind, sequence=sequence, planned_on=planned_on,
            due_on=due_on, status=FS.CANCELLED if end else FS.OPEN, cancelled_on=end,
        )  # fmt: skip
        if due_on <= last:
            draw = rng.random()
            done_on = None
            if draw < 0.70:
                done_on = due_on + timedelta(days=rng.randint(-5, 7))
            elif draw < 0.87 or (end is None and due_on < today - timedelta(days=OVERDUE_DAYS)):
                done_on = due_on + timedelta(days=rng.randint(15, 45))
            if done_on:  # not before guidance began (an intake, a late notice)
                done_on = max(done_on, start)
            if done_on and done_on <= last:
                moment.status, moment.cancelled_on = FS.DONE, None
                moment.done_on, moment.done_by = done_on, trajectory.caseworker
                story.contact_days.add(done_on)
        story.moments.append(moment)


def plan_contact_days(rng, story: Story) -> set:
    """The days of contact, added to `story.contact_days`: a first contact within a few
    weeks, then about monthly in detention, every week or two just after release and
    every month or two later on (also seed_scale's, reports.scale)."""
    trajectory = story.trajectory
    start, end, release = trajectory.started_on, trajectory.ended_on, trajectory.actual_release
    last = story.last_contact
    first = min(start + timedelta(days=rng.randint(2, 21)), last)
    days = story.contact_days
    days.add(first)
    day = first
    while trajectory.status != S.REGISTERED:
        if release is None or day < release:
            day += timedelta(days=rng.randint(21, 40))
        elif day < release + timedelta(days=90):
            day += timedelta(days=rng.randint(7, 18))
        else:
            day += timedelta(days=rng.randint(25, 55))
        if day > last:
            break
        days.add(day)
    if release and start <= release <= last and rng.random() < 0.75:
        days.add(release)  # picked up at the gate
    if last == end or end is None:
        days.add(last)  # the closing conversation, or the latest one
    return days


def plan_contacts(rng, story: Story) -> None:
    """The contacts on the days `plan_contact_days` picks."""
    trajectory, release = story.trajectory, story.trajectory.actual_release
    days = plan_contact_days(rng, story)
    for day in sorted(days):
        if trajectory.status == S.REGISTERED:
            spec = REGISTERED_CONTACT
        elif day == release:
            spec = RELEASE_DAY
        else:
            pool = AFTERCARE_CONTACTS if release and day > release else DETENTION_CONTACTS
            spec = pool[rng.randrange(len(pool))]
        kind, whom, domains, regie, summary = spec
        story.contacts[day] = ContactMoment(
            trajectory=trajectory, date=day, kind=kind, with_whom=whom.split(),
            domains=domains.split(), regie=regie, summary=summary,
            created_by=trajectory.caseworker,
        )  # fmt: skip


def write_contacts(stories: list[Story]) -> None:
    contacts = [c for s in stories for c in s.contacts.values()]
    ContactMoment.objects.bulk_create(contacts, batch_size=BATCH)
    events = []
    for story in stories:
        trajectory = story.trajectory
        path = [(S.REGISTERED, trajectory.started_on)]
        if trajectory.status != S.REGISTERED:
            path.append((S.DETENTION, trajectory.started_on))
        if trajectory.actual_release:
            path.append((S.AFTERCARE, max(trajectory.actual_release, trajectory.started_on)))
        if trajectory.ended_on:
            path.append((S.CLOSED, trajectory.ended_on))
        for (old, _day), (new, day) in itertools.pairwise(path):
            text = trajectory.end_note if new == S.CLOSED else ""
            title = f"Status: {STATUS_NL[old]} → {STATUS_NL[new]}"
            events.append(timeline(trajectory, day, 9, EV.STATUS, title, text))
        for contact in story.contacts.values():
            title = f"Contact: {KIND_NL[contact.kind]}"
            events.append(
                timeline(trajectory, contact.date, 11, EV.CONTACT, title, contact=contact)
            )
    TimelineEvent.objects.bulk_create(events, batch_size=BATCH)


def write_followup(stories: list[Story]) -> None:
    rows = []
    for story in stories:
        for moment in story.moments:
            if moment.status == FS.DONE:
                moment.contact = story.contacts.get(moment.done_on)
                measured = FollowUpMoment.MEASUREMENT.get(moment.kind)
                moment.assessment = story.assessments.get(measured)
            rows.append(moment)
    FollowUpMoment.objects.bulk_create(rows, batch_size=BATCH)


# --- Assessments ---------------------------------------------------------------------------


def write_assessments(rng, stories: list[Story]) -> None:
    """T0 shortly after the start, then at release and +6/+12/+24 months while the
    trajectory ran; now and then a moment was skipped, or a domain not discussed. One
    that still runs has only the moments that have come, by its last contact; one
    still in registration has none yet."""
    scores = []
    for story in stories:
        trajectory = story.trajectory
        release, end, early = trajectory.actual_release, trajectory.ended_on, EARLY
        if trajectory.status == S.REGISTERED:
            continue
        if end is None:
            end, early = story.last_contact, timedelta(0)
        level = rng.uniform(1.4, 2.6)
        pace = rng.uniform(0.5, 1.3)
        due = {M.T0: min(trajectory.started_on + timedelta(days=7), end)}
        if release and release >= trajectory.started_on:
            due[M.RELEASE] = release
        if release:
            for moment, months in ((M.M6, 6), (M.M12, 12), (M.M24, 24)):
                due[moment] = release + timedelta(days=round(months * 30.44))
        # A moment may be measured up to two weeks early (the end evaluation often is).
        measured = [
            (moment, min(day, end))
            for moment, day in due.items()
            if day - early <= end and rng.random() < (0.95 if moment == M.T0 else 0.85)
        ]
        for number, (moment, day) in enumerate(measured, 1):
            setback = trajectory.end_reason == END.NEW_DETENTION and number == len(measured)
            assessment = Assessment(
                trajectory=trajectory, moment=moment, date=day,
                note="Terugval: weer met de oude groep." if setback else MOMENT_NOTES[moment],
                created_by=trajectory.caseworker,
            )  # fmt: skip
            story.assessments[moment] = assessment
            for domain in DOMAINS:
                value = level + DOMAIN_START[domain] + GAIN[moment] * pace + rng.gauss(0, 0.6)
                if setback and domain in (D.HOUSING, D.WORK):
                    value -= 1
                row = DomainScore(assessment=assessment, domain=domain,
                                  score=min(5, max(1, round(value))))  # fmt: skip
                if rng.random() < 0.05:
                    row.discussed, row.score = False, None
                    row.not_discussed_reason = rng.choice(NOT_DISCUSSED)
                scores.append(row)
    Assessment.objects.bulk_create(
        [a for s in stories for a in s.assessments.values()], batch_size=BATCH
    )
    for row in scores:
        row.assessment_id = row.assessment.pk
    DomainScore.objects.bulk_create(scores, batch_size=BATCH)


# --- The release checklist and its history -------------------------------------------------


def write_readiness(rng, stories: list[Story], today: date) -> None:
    """Checklist items with a dated history: first touched a few weeks into guidance,
    then arranged before release, after it, or never. Of a trajectory still in
    detention, what was done by today; one in registration has no checklist yet.

    The history triggers would stamp every event with today, so the items are written
    with the insert trigger ignored and their events inserted directly, dated the day
    each change happened, as `with_readiness_on_release` reads them.
    """
    items: list[ReadinessItem] = []
    steps: list[tuple[ReadinessItem, list[tuple[str, date]]]] = []
    for story in stories:
        trajectory = story.trajectory
        release, end, start = trajectory.actual_release, trajectory.ended_on, trajectory.started_on
        if trajectory.status == S.REGISTERED:
            continue
        if trajectory.is_open:
            release, end = release or trajectory.expected_release, today
        chosen = [*ReadinessItem.BASIC, *(i for i in PRACTICAL if rng.random() < 0.5)]
        for item in chosen:
            history = readiness_history(rng, item, start, release, end)
            status, day = history[-1]
            done = status in ReadinessItem.DONE
            row = ReadinessItem(trajectory=trajectory, item=item, status=status,
                                date=day if done or status == RS.REFUSED else None)  # fmt: skip
            items.append(row)
            steps.append((row, history))
    with pgtrigger.ignore(INSERT_TRIGGER):
        ReadinessItem.objects.bulk_create(items, batch_size=BATCH)
    events, moments = [], []
    for row, history in steps:
        for number, (status, day) in enumerate(history):
            events.append(ReadinessItemEvent(
                pgh_label="insert" if number == 0 else "update", pgh_obj=row,
                trajectory_id=row.trajectory_id, item=row.item, status=status,
                date=day if status in (*ReadinessItem.DONE, RS.REFUSED) else None,
            ))  # fmt: skip
            moments.append(at(day, 10 + number))
    # pgh_created_at is auto_now_add: inserted as now, then dated in one UPDATE per batch.
    ReadinessItemEvent.objects.bulk_create(events, batch_size=BATCH)
    for event, moment in zip(events, moments, strict=True):
        event.pgh_created_at = moment
    with pgtrigger.ignore(APPEND_ONLY):
        ReadinessItemEvent.objects.bulk_update(events, ["pgh_created_at"], batch_size=BATCH)


def readiness_history(rng, item, start, release, end) -> list[tuple[str, date]]:
    """(status, day) per change of one item, oldest first."""
    before, after = READINESS[item]
    inside = release is not None and release > start  # guidance began before release
    latest = min(release, end) if inside else end
    touched = min(start + timedelta(days=rng.randint(3, 30)), latest)
    history = [(RS.IN_PROGRESS if rng.random() < 0.6 else RS.NEEDED, touched)]
    done_status = RS.NOT_NEEDED if item == ITEM.BANK_ACCOUNT and rng.random() < 0.3 else RS.ARRANGED
    draw = rng.random()
    if not inside:  # after release, or never released: one chance, while it ran
        if draw < before + after:
            day = touched + timedelta(days=rng.randint(1, 60))
            if day <= end:
                history.append((done_status, day))
        return history
    if draw < before:
        lead = rng.randint(1, 60)
        day = max(touched, release - timedelta(days=lead))
        if release > end:  # still inside: done some day before release, by today or not yet
            day = touched + timedelta(days=rng.randint(0, max(0, (release - touched).days - 1)))
        if day <= end:
            history.append((done_status, day))
    elif draw < before + after:
        day = release + timedelta(days=rng.randint(1, 200 if item == ITEM.HOUSING else 90))
        if day <= end:
            if history[0][0] == RS.NEEDED:
                history.append((RS.IN_PROGRESS, release))
            history.append((done_status, day))
    elif item == ITEM.DEBTS and draw < before + after + 0.08 and release <= end:
        day = min(end, release + timedelta(days=rng.randint(0, 60)))
        history.append((RS.REFUSED, day))
    return history


# --- Partners ------------------------------------------------------------------------------


def write_partners(rng, stories: list[Story], team: Team, today: date) -> None:
    """Involvements on most trajectories, each on a legal basis (a consent of a year,
    some of which ran out while the trajectory went on; now and then none recorded),
    and requests answered within days or weeks, or never (or not yet)."""
    serving = Organisation.objects.serving(team.municipality).order_by("municipality_id", "pk")
    by_kind: dict[str, Organisation] = {}
    for organisation in serving:
        by_kind.setdefault(organisation.kind, organisation)
    contacts = {
        c.organisation_id: c for c in ContactPerson.objects.filter(organisation__in=serving)
    }
    involvements, bases, requests = [], [], []
    for story in stories:
        trajectory = story.trajectory
        if rng.random() < 0.15:
            continue
        start, ended = trajectory.started_on, trajectory.ended_on
        end = ended or today
        work = rng.sample(PARTNER_WORK, rng.randint(1, 3))
        for kind, role, domains, basis, question in work:
            organisation = by_kind.get(kind)
            if organisation is None:
                continue
            began = min(end, start + timedelta(days=rng.randint(0, 60)))
            involvements.append(Involvement(
                trajectory=trajectory, organisation=organisation,
                contact_person=contacts.get(organisation.pk), role=role, domains=domains,
                started_on=began, ended_on=ended,
            ))  # fmt: skip
            if rng.random() < 0.85:  # the rest: involved without a recorded basis
                until = began + timedelta(days=365) if basis == SharingBasis.Basis.CONSENT else None
                bases.append(SharingBasis(
                    trajectory=trajectory, organisation=organisation, basis=basis, scope=domains,
                    valid_from=began, valid_until=until,
                    withdrawn_on=(
                        ended if ended and until and until > ended and rng.random() < 0.1 else None
                    ),
                ))  # fmt: skip
            if rng.random() < 0.7:
                asked = min(end, began + timedelta(days=rng.randint(3, 40)))
                answered = None
                if rng.random() < 0.85:
                    answered = asked + timedelta(days=rng.choice((1, 2, 3, 5, 8, 12, 20, 35)))
                    if answered > today:
                        answered = None
                requests.append(PartnerRequest(
                    trajectory=trajectory, organisation=organisation,
                    contact_person=contacts.get(organisation.pk), domain=domains[0],
                    question=question, asked_on=asked, answered_on=answered,
                    answer="Afspraak gemaakt; bericht volgt per mail." if answered else "",
                ))  # fmt: skip
    Involvement.objects.bulk_create(involvements, batch_size=BATCH)
    SharingBasis.objects.bulk_create(bases, batch_size=BATCH)
    PartnerRequest.objects.bulk_create(requests, batch_size=BATCH)


def write_bottlenecks(rng, team: Team, stories: list[Story], caseworkers: list[User]) -> None:
    """Bottlenecks raised over three years at every level; most solved, at their own dates."""
    today = timezone.localdate()
    organisations = list(Organisation.objects.serving(team.municipality).order_by("pk"))
    bottlenecks, events, links = [], [], []
    for title, category, domain, level, status, ago, days_open in BOTTLENECKS:
        raised_on = today - timedelta(days=ago)
        closed_on = raised_on + timedelta(days=days_open) if days_open is not None else None
        by = rng.choice(caseworkers)
        bottleneck = Bottleneck(
            team=team, title=title, description=f"{title}. Speelt bij meerdere jongeren.",
            category=category, domain=domain, level=level, status=status, raised_by=by,
            raised_on=raised_on, closed_on=closed_on,
            resolution=RESOLUTIONS.get(status, ""),
        )  # fmt: skip
        bottlenecks.append(bottleneck)
        day = raised_on
        events.append((bottleneck, day, BottleneckEvent.Kind.RAISED, str(Regie.CASE.label), title))
        for step in Bottleneck.LEVELS[1 : Bottleneck.LEVELS.index(level) + 1]:
            day += timedelta(days=rng.randint(14, 45))
            note = "Niet op te lossen tussen de professionals; opgeschaald."
            events.append((bottleneck, day, BottleneckEvent.Kind.ESCALATED, str(Regie(step).label),
                           note))  # fmt: skip
        if status != Bottleneck.Status.OPEN:
            day = closed_on or max(day, raised_on + timedelta(days=30))
            label = str(Bottleneck.Status(status).label)
            events.append((bottleneck, day, BottleneckEvent.Kind.STATUS, label,
                           bottleneck.resolution))  # fmt: skip
        running = [s.trajectory for s in stories
                   if s.trajectory.started_on <= raised_on <= (s.trajectory.ended_on or today)
                   ]  # fmt: skip
        links.append((bottleneck, rng.sample(running, min(len(running), rng.randint(2, 5))),
                      rng.sample(organisations, min(len(organisations), 2))))  # fmt: skip
    Bottleneck.objects.bulk_create(bottlenecks)
    BottleneckEvent.objects.bulk_create(
        BottleneckEvent(bottleneck=b, at=at(min(day, today), 15), kind=kind, change=change,
                        note=note, by=b.raised_by)
        for b, day, kind, change, note in events
    )  # fmt: skip
    Through = Bottleneck.trajectories.through
    Through.objects.bulk_create(
        Through(bottleneck_id=b.pk, trajectory_id=t.pk) for b, ts, _os in links for t in ts
    )
    OrgThrough = Bottleneck.organisations.through
    OrgThrough.objects.bulk_create(
        OrgThrough(bottleneck_id=b.pk, organisation_id=o.pk) for b, _ts, os in links for o in os
    )


# --- Small things ----------------------------------------------------------------------------


def weighted(rng, options, *, key):
    return rng.choices(options, weights=[key(option) for option in options])[0]


def timeline(trajectory, day, hour, kind, title, text="", **about) -> TimelineEvent:
    return TimelineEvent(trajectory=trajectory, at=at(day, hour), kind=kind, title=title[:300],
                         text=text, by=trajectory.caseworker, **about)  # fmt: skip


def at(day: date, hour: int) -> datetime:
    return min(timezone.make_aware(datetime.combine(day, time(hour))), timezone.now())
