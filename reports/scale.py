"""National-scale data for measuring: `manage.py seed_scale --clients N`.

The shape is the demo's (reports.demo, cases.demo, lifedomains.demo): the same
courses of a trajectory, end reasons in their shares, contacts, follow-up moments
as `followup.schedule.plan` makes them (kept, late, missed), assessments at their
moments, a release checklist with its dated history, partners on legal bases,
requests, case conferences, bottlenecks; then the nightly sweep makes the
reminders. What differs is the size and the way rows are written: across
`MUNICIPALITIES` municipalities (the biggest first, with two teams each when
big enough), rows are made as tuples in memory, a team at a time, and written
with COPY in one transaction per batch of teams, never one `save()` per row.

The history tables of django-pghistory are left out: their triggers are ignored
while seeding (they would double the data with "insert" events nobody made).
The release checklist's own history (ReadinessItemEvent) is domain data the
dashboards read, so it is written directly, dated the day each change happened,
as reports.demo does.

Usernames are predictable (`scale-rio-<team>`, `scale-rio-<team>b`,
`scale-manager-<municipality>`, `scale-admin`; team 1 is the biggest), with one
password and one TOTP secret for all, so a benchmark can log in with MFA on.
Deterministic: the same `--seed` and N give the same rows (dates are relative
to today).
"""

from __future__ import annotations

import itertools
import random
import time as clock
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt as encrypt_mfa_secret
from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import connection, models, transaction
from django.utils import timezone

from accounts.models import Municipality, Team, User
from audit.models import AccessLogEntry
from cases import bsn as bsn_rules
from cases.models import (
    Client,
    ContactMoment,
    DJIMessage,
    Document,
    NetworkMember,
    TimelineEvent,
    Trajectory,
)
from followup.models import FollowUpMoment
from followup.reminders import sweep
from followup.schedule import due_date, guidance_start, plan
from lifedomains import demo as lifedomains_demo
from lifedomains.domains import Regie
from lifedomains.models import (
    Action,
    Assessment,
    DomainScore,
    Goal,
    LevelDescription,
    PersonalPlan,
    ReadinessItem,
    ReadinessItemEvent,
)
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

try:  # The shapes of the demo, made with the development dependencies (Faker).
    from cases import demo as cases_demo
    from reports import demo as history
except ModuleNotFoundError as error:  # the production image: seed_scale says what to install
    cases_demo = history = None
    MISSING = error.name
else:
    MISSING = None

S = Trajectory.Status
END = Trajectory.EndReason
M = Assessment.Moment
FS = FollowUpMoment.Status
RS = ReadinessItem.Status
EV = TimelineEvent.Kind
K = Organisation.Kind
LOG = AccessLogEntry.Action

PREFIX = "scale-"
MUNICIPALITIES = 350
# Clients of a municipality by its rank, a long tail as in the Netherlands: the
# biggest has some 3% of all, the smallest a few per thousand of that.
SIZE_OFFSET, SIZE_EXPONENT = 3, 0.8
# A municipality at least this big (its share of N, in clients) has two teams.
TWO_TEAMS_FROM = 0.004
# A team with this many clients or more has two caseworkers, others one.
TWO_CASEWORKERS_FROM = 40
REGION_SIZE = 14  # municipalities per region (about 25 regions, as the safety regions)
FLUSH_ROWS = 400_000  # rows kept in memory before a batch of teams is written

# "In between" assessments besides the fixed moments, which make about five per
# young person: after release from day 75 (as lifedomains.demo) every INTERIM_AFTER
# days, and in a long detention every INTERIM_INSIDE days after the T0; each measured
# by its share, while the trajectory runs.
INTERIM_FIRST, INTERIM_AFTER, INTERIM_AFTER_SHARE = 75, 90, 0.7
INTERIM_INSIDE, INTERIM_INSIDE_SHARE = 90, 0.6
# Access log lines: per contact one CREATE and some views of the dossier and timeline.
VIEWS_PER_CONTACT = (2, 4)
DOCUMENT_SHARE = 0.03  # of detained trajectories: a D&R plan from the PI, as a PDF
CONFERENCE_SHARE = 0.1  # of released trajectories: a case conference with agreements
PERSONAL_PLAN_SHARE = 0.25  # of open ones without LVB; all with LVB get one
NETWORK_SIZES = (0, 1, 1, 2, 2, 3)


# --- Writing rows with COPY ---------------------------------------------------------------


class Rows:
    """Rows of one model, made as tuples in the order of `fields` and written with COPY.

    Every other concrete column gets the field's default (the time of the run for
    `auto_now` fields), so a column added later never breaks the seed. Ids are
    handed out here (`next_id`), continuing the table's highest id.
    """

    def __init__(self, model: type[models.Model], fields: Iterable[str]):
        self.model = model
        meta = model._meta
        given = [meta.get_field(name) for name in fields]
        rest = [f for f in meta.concrete_fields if f not in given]
        self.columns = [f.column for f in given + rest]
        now = timezone.now()
        self.fill = tuple(
            now
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            # A Python-side default, else NULL (or "" where the field stores no NULL).
            else f.get_default()
            for f in rest
        )
        self.rows: list[tuple] = []
        self.last_id = 0
        self.written = 0

    def next_id(self) -> int:
        self.last_id += 1
        return self.last_id

    def add(self, *values) -> None:
        self.rows.append(values + self.fill)

    def write(self) -> None:
        if not self.rows:
            return
        quote = connection.ops.quote_name
        table = quote(self.model._meta.db_table)
        columns = ", ".join(quote(c) for c in self.columns)
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg's own cursor: COPY is not in the DB-API
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in self.rows:
                    copy.write_row(row)
        self.written += len(self.rows)
        self.rows = []


@contextmanager
def without_triggers():
    """A transaction in which no trigger fires: neither django-pghistory's (the change
    history would double the data with "insert" events nobody made) nor those that
    check foreign keys row by row, which took longer than writing the rows. The
    references are checked afterwards in one query per foreign key
    (`dangling_references`). Needs a superuser, as the embedded PostgreSQL and CI have.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        yield
        # Back on for the rest of an outer transaction (a test's, or a caller's).
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")


def dangling_references(models_: Iterable[type[models.Model]]) -> list[str]:
    """The foreign keys of `models_` with a value that refers to no row, as "table.column"."""
    quote = connection.ops.quote_name
    found = []
    with connection.cursor() as cursor:
        for model in models_:
            for fk in model._meta.concrete_fields:
                if not fk.is_relation or not fk.db_constraint:
                    continue
                target = fk.target_field
                child, column = quote(model._meta.db_table), quote(fk.column)
                parent = quote(target.model._meta.db_table)
                key = quote(target.column)
                cursor.execute(
                    f"SELECT 1 FROM {child} c WHERE c.{column} IS NOT NULL AND NOT EXISTS "  # noqa: S608
                    f"(SELECT 1 FROM {parent} p WHERE p.{key} = c.{column}) LIMIT 1"
                )
                if cursor.fetchone():
                    found.append(f"{model._meta.db_table}.{fk.column}")
    return found


# --- Checking and emptying the database ------------------------------------------------------

# What makes a database "hold other data": someone's users, registry or dossiers.
CHECKED = (User, Municipality, Organisation, Client, AccessLogEntry)
# Reference data that migrations load and seeding keeps.
KEPT = (LevelDescription,)
# Besides the project's own apps: logins, MFA devices, sessions, the change history's context.
OTHER_APPS = ("account", "mfa", "sessions", "admin", "axes", "pghistory")


def existing_data() -> list[str]:
    """The checked tables that have rows."""
    return [model._meta.label for model in CHECKED if model._base_manager.exists()]


def emptied_tables() -> list[str]:
    labels = (*settings.PROJECT_APPS, *OTHER_APPS)
    tables = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.app_label in labels and meta.managed and not meta.proxy and model not in KEPT:
            tables.append(meta.db_table)
    return sorted(set(tables))


def empty_database() -> None:
    """Remove everything seeding makes and what hangs off it, and restart the ids."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # Checks still pending in this transaction first: TRUNCATE refuses a table with any.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        names = ", ".join(quote(table) for table in emptied_tables())
        cursor.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")


# --- Cheap fakes ------------------------------------------------------------------------------


class Names:
    """Name pools drawn once from Faker (seeded), then picked with the seeded rng."""

    def __init__(self, seed: int):
        from faker import Faker

        fake = Faker("nl_NL")
        fake.seed_instance(seed)
        self.male = sorted({fake.first_name_male() for _ in range(1500)})
        self.female = sorted({fake.first_name_female() for _ in range(600)})
        self.last = sorted({cases_demo.family_name(fake.last_name()) for _ in range(4000)})
        self.streets = sorted({fake.street_name() for _ in range(1500)})
        cities = sorted({fake.city() for _ in range(5000)})
        random.Random(seed).shuffle(cities)  # noqa: S311 - test data, not security
        self.cities = cities


class BSNs:
    """Valid, distinct BSNs in sequence (the eleven test), no Faker needed."""

    def __init__(self, start: int = 10_000_000):
        self.prefix = start

    def next(self) -> str:
        while True:
            self.prefix += 1
            digits = str(self.prefix).zfill(8)
            check = sum(int(d) * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
            if check < 10:
                return digits + str(check)


@cache
def due(planned_on: date, start: date) -> date:
    return due_date(planned_on, not_before=start)


@cache
def midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=timezone.get_current_timezone())


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """The time on `day` in the project's time zone (cached per day: made millions of times)."""
    return midnight(day) + timedelta(hours=hour, minutes=minute)


# --- The country: municipalities, teams, users, the registry ----------------------------------


@dataclass
class TeamPlan:
    number: int  # 1 is the biggest
    team: Team
    size: int
    region: int
    caseworkers: list[User] = field(default_factory=list)


def sizes(total: int, count: int) -> list[int]:
    """`total` split over `count` places by rank (largest remainders), biggest first."""
    weights = [1 / (rank + SIZE_OFFSET) ** SIZE_EXPONENT for rank in range(count)]
    scale = total / sum(weights)
    shares = [w * scale for w in weights]
    result = [int(s) for s in shares]
    by_remainder = sorted(range(count), key=lambda i: shares[i] - result[i], reverse=True)
    for i in by_remainder[: total - sum(result)]:
        result[i] += 1
    return result


def make_country(clients: int, count: int, names: Names, password: str, totp_secret: str):
    """Municipalities, teams, users with TOTP and the partner registry; returns the
    teams to fill, biggest first, and the registry per region and municipality."""
    municipalities = Municipality.objects.bulk_create(
        Municipality(name=names.cities[n] if n < len(names.cities) else f"Gemeente {n + 1}",
                     cbs_code=f"GM{n + 1:04d}")
        for n in range(count)
    )  # fmt: skip
    plans: list[TeamPlan] = []
    teams = []
    for n, (municipality, size) in enumerate(
        zip(municipalities, sizes(clients, count), strict=True)
    ):
        region = n % max(1, count // REGION_SIZE)
        split = (
            [size]
            if size < TWO_TEAMS_FROM * clients or size < 2
            else [size - size * 2 // 5, size * 2 // 5]
        )
        for part, team_size in enumerate(split):
            name = f"RIO {municipality.name}" + (" Zuid" if part else "")
            teams.append(Team(municipality=municipality, name=name))
            plans.append(TeamPlan(0, teams[-1], team_size, region))
    Team.objects.bulk_create(teams)
    plans.sort(key=lambda p: (-p.size, p.team.pk))
    hashed = make_password(password)  # once: PBKDF2 for every user would take minutes
    users = []
    for number, team_plan in enumerate(plans, 1):
        team_plan.number = number
        letters = ["", "b"] if team_plan.size >= TWO_CASEWORKERS_FROM else [""]
        for letter in letters:
            users.append(User(
                username=f"{PREFIX}rio-{number}{letter}", first_name="RIO",
                last_name=f"{team_plan.team.name} {letter}".strip(), role=User.Role.CASEWORKER,
                team=team_plan.team, is_team_coordinator=letter == "", password=hashed,
                email=f"{PREFIX}rio-{number}{letter}@example.org",
            ))  # fmt: skip
            team_plan.caseworkers.append(users[-1])
    for n, municipality in enumerate(municipalities, 1):
        users.append(User(
            username=f"{PREFIX}manager-{n}", first_name="Manager", last_name=municipality.name,
            role=User.Role.MANAGER, municipality=municipality, password=hashed,
            email=f"{PREFIX}manager-{n}@example.org",
        ))  # fmt: skip
    users.append(User(
        username=f"{PREFIX}admin", first_name="Functioneel", last_name="beheerder",
        role=User.Role.ADMIN, is_staff=True, is_superuser=True, password=hashed,
        email=f"{PREFIX}admin@example.org",
    ))  # fmt: skip
    User.objects.bulk_create(users)
    # One TOTP secret for all seeded users, encrypted as allauth stores it.
    secret = encrypt_mfa_secret(totp_secret)
    Authenticator.objects.bulk_create(
        Authenticator(user=user, type=Authenticator.Type.TOTP, data={"secret": secret})
        for user in users
    )
    registry = make_registry(municipalities, count)
    return plans, registry


@dataclass
class Registry:
    """The organisations serving one team: by kind, with their contact person."""

    by_kind: dict[str, Organisation]
    contacts: dict[int, int]  # organisation id: contact person id
    institutions: tuple[str, ...]  # the region's PIs, by name
    pi: dict[str, int]  # PI name: organisation id
    serving: list[Organisation]


# kind, name, domains; per municipality and per region
LOCAL = (
    (K.MUNICIPALITY, "Gemeente {}, Werk en Inkomen", ["work", "finances"]),
    (K.HOUSING, "Woningcorporatie {}", ["housing"]),
    (K.DEBT_HELP, "Schuldhulp {}", ["finances"]),
)
REGIONAL = (
    (K.PROBATION, "Reclassering regio {}", ["care", "work"]),
    (K.SAFETY_HOUSE, "Zorg- en Veiligheidshuis regio {}", ["care"]),
    (K.MENTAL_HEALTH, "GGZ regio {}", ["care"]),
    (K.LVB_CARE, "LVB-begeleiding regio {}", ["care"]),
    (K.EMPLOYER, "Leerwerkbedrijf regio {}", ["work"]),
    (K.POLICE, "Politie regio {}", []),
    (K.PENITENTIARY, "PI regio {} (Noord)", []),
    (K.PENITENTIARY, "PI regio {} (Zuid)", []),
)


def make_registry(municipalities: list[Municipality], count: int) -> dict:
    regions = max(1, count // REGION_SIZE)
    organisations = []
    for municipality in municipalities:
        for kind, name, domains in LOCAL:
            organisations.append(Organisation(
                name=name.format(municipality.name), kind=kind, domains=domains,
                municipality=municipality, phone="14 0" + municipality.cbs_code[-2:],
            ))  # fmt: skip
    for region in range(regions):
        for kind, name, domains in REGIONAL:
            organisations.append(Organisation(
                name=name.format(region + 1), kind=kind, domains=domains,
                region=f"Regio {region + 1}", phone=f"088-{region + 1:03d}0000",
            ))  # fmt: skip
    organisations.append(Organisation(name="UWV", kind=K.UWV, domains=["work"]))
    Organisation.objects.bulk_create(organisations)
    contacts = ContactPerson.objects.bulk_create(
        ContactPerson(organisation=o, name=f"Contactpersoon {o.name}", role="consulent")
        for o in organisations
    )
    Through = Organisation.region_municipalities.through
    Through.objects.bulk_create(
        Through(organisation_id=o.pk, municipality_id=m.pk)
        for o in organisations
        if o.region
        for n, m in enumerate(municipalities)
        if f"Regio {n % regions + 1}" == o.region
    )
    contact_of = {c.organisation_id: c.pk for c in contacts}
    local = {(o.municipality_id, o.kind): o for o in organisations if o.municipality_id}
    regional: dict[int, list[Organisation]] = {}
    for o in organisations:
        if o.region:
            regional.setdefault(int(o.region.split()[-1]) - 1, []).append(o)
    national = [o for o in organisations if not o.region and not o.municipality_id]
    return {"local": local, "regional": regional, "national": national, "contacts": contact_of}


def registry_for(registry: dict, team_plan: TeamPlan) -> Registry:
    municipality_id = team_plan.team.municipality_id
    serving = [
        *(o for (m, _k), o in registry["local"].items() if m == municipality_id),
        *registry["regional"][team_plan.region],
        *registry["national"],
    ]
    by_kind: dict[str, Organisation] = {}
    for organisation in serving:
        by_kind.setdefault(organisation.kind, organisation)
    pis = [o for o in serving if o.kind == K.PENITENTIARY]
    return Registry(
        by_kind,
        registry["contacts"],
        tuple(o.name for o in pis),
        {o.name: o.pk for o in pis},
        serving,
    )


# --- One team's caseload ----------------------------------------------------------------------


def courses(rng: random.Random, size: int) -> list[tuple[int, history.Course]]:
    """reports.demo.courses in linear time: the same starts over the window, the same
    running share and end reasons drawn in their shares; an ended one too young for
    the reason drawn gets another, and else is cut short as the demo does."""
    if size == 0:
        return []
    ages = [
        history.WINDOW - int((n + rng.random()) * (history.WINDOW - 1) / size) for n in range(size)
    ]
    weights = [next((w for days, w in history.STILL_RUNNING if age < days), 0) for age in ages]
    keys = [rng.random() ** (1 / w) if w else -1 for w in weights]
    order = sorted(range(size), key=lambda n: keys[n], reverse=True)
    running = set(order[: round(size * history.RUNNING_SHARE)])
    shares = [ending[1] for ending in history.ENDINGS]
    found = []
    for n, age in enumerate(ages):
        late = history.late_start(rng)
        if n in running:
            found.append((age, history.draw_course(rng, None, late)))
            continue
        for _attempt in range(6):
            ending = rng.choices(history.ENDINGS, weights=shares)[0]
            course = history.draw_course(rng, ending, late)
            if course.end - course.start < age:
                break
        else:
            end = course.start + age - 1
            inside = course.before_release or end < course.detained
            course = history.Course(course.detained, course.start, end, inside, course.ending)
        found.append((age, course))
    return found


@dataclass
class Caseload:
    """The rows being made, per model, and the running trajectories to sweep."""

    tables: dict[type[models.Model], Rows]
    running: list[int] = field(default_factory=list)

    def __getitem__(self, model) -> Rows:
        return self.tables[model]

    @property
    def buffered(self) -> int:
        return sum(len(t.rows) for t in self.tables.values())


def tables() -> dict[type[models.Model], Rows]:
    """Every table COPY writes, in an order that respects the foreign keys (which
    Django makes deferrable anyway), with the columns each row gives."""
    conference_orgs = CaseConference.organisations.through
    specs = [
        (Client, ["id", "team", "first_name", "last_name", "date_of_birth", "bsn", "bsn_index",
                  "phone", "address_kind", "street", "postcode", "city", "municipality_of_origin",
                  "municipality_of_settlement", "lvb", "strengths", "talents", "dreams",
                  "created_by", "created_at"]),
        (NetworkMember, ["id", "client", "name", "relation", "influence", "phone", "notes"]),
        (Trajectory, ["id", "client", "caseworker", "status", "offences",
                      "penitentiary_institution", "detention_start", "expected_release",
                      "actual_release", "started_on", "ended_on", "end_reason", "end_note",
                      "regie", "age_exception_reason", "created_at"]),
        (DetentionPlace, ["id", "trajectory", "organisation"]),
        (Document, ["id", "client", "trajectory", "title", "kind", "file", "original_name",
                    "content_type", "extension", "size", "uploaded_by", "uploaded_at"]),
        (DJIMessage, ["id", "trajectory", "kind", "received_on", "summary", "release_date",
                      "document", "created_by", "created_at"]),
        (ContactMoment, ["id", "trajectory", "date", "kind", "with_whom", "domains", "regie",
                         "summary", "created_by", "created_at"]),
        (Assessment, ["id", "trajectory", "moment", "date", "note", "created_by", "created_at"]),
        (DomainScore, ["id", "assessment", "domain", "discussed", "score", "not_discussed_reason",
                       "wish", "wish_strength", "note"]),
        (TimelineEvent, ["id", "trajectory", "at", "kind", "title", "text", "by", "contact",
                         "dji_message", "document"]),
        (CaseConference, ["id", "trajectory", "held_on", "regie", "other_attendees",
                          "client_present", "summary", "created_by", "created_at"]),
        (conference_orgs, ["id", "caseconference", "organisation"]),
        (Agreement, ["id", "conference", "text", "organisation", "due_date"]),
        (Goal, ["id", "trajectory", "domain", "text", "wish_strength", "target_date", "status",
                "created_by", "created_at"]),
        (Action, ["id", "goal", "description", "owner", "owner_name", "organisation",
                  "agreement", "due_date", "done_on", "created_at"]),
        (ReadinessItem, ["id", "trajectory", "item", "status", "date", "note", "updated_at"]),
        (ReadinessItemEvent, ["pgh_id", "pgh_created_at", "pgh_label", "pgh_obj", "trajectory",
                              "item", "status", "date"]),
        (PersonalPlan, ["id", "trajectory", "next_appointment", "appointment_place",
                        "message"]),
        (Involvement, ["id", "trajectory", "organisation", "contact_person", "role", "domains",
                       "started_on", "ended_on"]),
        (SharingBasis, ["id", "trajectory", "organisation", "basis", "scope", "valid_from",
                        "valid_until", "withdrawn_on", "note"]),
        (PartnerRequest, ["id", "trajectory", "organisation", "contact_person", "domain",
                          "question", "asked_on", "answered_on", "answer"]),
        (Bottleneck, ["id", "team", "title", "description", "category", "domain", "level",
                      "status", "raised_by", "raised_on", "resolution", "closed_on"]),
        (BottleneckEvent, ["id", "bottleneck", "at", "kind", "change", "note", "by"]),
        (Bottleneck.trajectories.through, ["id", "bottleneck", "trajectory"]),
        (Bottleneck.organisations.through, ["id", "bottleneck", "organisation"]),
        (FollowUpMoment, ["id", "trajectory", "kind", "sequence", "planned_on", "due_on",
                          "status", "done_on", "done_by", "contact", "assessment",
                          "cancelled_on", "created_at"]),
        (AccessLogEntry, ["id", "at", "user", "action", "client_ref", "what", "result",
                          "ip_address"]),
    ]  # fmt: skip
    result = {model: Rows(model, fields) for model, fields in specs}
    with connection.cursor() as cursor:
        for rows in result.values():
            pk = rows.model._meta.pk.column
            cursor.execute(
                f"SELECT COALESCE(MAX({connection.ops.quote_name(pk)}), 0) "  # noqa: S608
                f"FROM {connection.ops.quote_name(rows.model._meta.db_table)}"
            )
            rows.last_id = cursor.fetchone()[0]
    return result


@dataclass
class Context:
    rng: random.Random
    today: date
    names: Names
    bsns: BSNs
    encrypt_bsn: Callable[[str], str]
    storage: object
    pdf: bytes


def seed_team(ctx: Context, load: Caseload, team_plan: TeamPlan, registry: Registry) -> None:
    rng, today = ctx.rng, ctx.today
    team = team_plan.team
    caseworkers = team_plan.caseworkers
    place = history.History(
        team.name, (), team_plan.size, 0, team.municipality.name, (1011, 9999),
        registry.institutions, (), "",
    )  # fmt: skip
    stories = []
    for number, (age, course) in enumerate(courses(rng, team_plan.size)):
        caseworker = caseworkers[1 if number % 3 == 2 and len(caseworkers) > 1 else 0]
        trajectory = history.make_trajectory(rng, place, today, caseworker, age, course)
        trajectory.pk = load[Trajectory].next_id()
        client_id = add_client(ctx, load, team, trajectory, caseworker)
        trajectory.client_id = client_id
        story = history.Story(
            trajectory=trajectory, last_contact=history.last_contact(rng, trajectory, today)
        )
        add_trajectory(load, trajectory)
        add_story(ctx, load, story, registry, client_id)
        if trajectory.is_open:
            load.running.append(trajectory.pk)
        stories.append(story)
    add_bottlenecks(rng, load, team_plan, stories, registry, today)


def add_client(ctx: Context, load: Caseload, team: Team, trajectory: Trajectory, caseworker):
    rng, names = ctx.rng, ctx.names
    age, reason = rng.choice(history.AGES), ""
    if rng.random() < 0.03:
        age, reason = rng.choice(history.AGE_EXCEPTIONS)
    trajectory.age_exception_reason = reason
    start = trajectory.started_on
    born = start.replace(year=start.year - age, day=min(start.day, 28))
    born -= timedelta(days=rng.randint(1, 330))
    female = rng.random() < 0.12
    kind = history.weighted(rng, history.ADDRESS, key=lambda a: a[1])[0]
    bsn = index = ""
    if rng.random() < 0.7:  # only some have a BSN on file
        bsn = ctx.bsns.next()
        bsn, index = ctx.encrypt_bsn(bsn), bsn_rules.blind_index(bsn)
    street = postcode = city = ""
    if kind == Client.AddressKind.ADDRESS:
        street = f"{rng.choice(names.streets)} {rng.randint(1, 240)}"
        letters = "".join(rng.choices(cases_demo.POSTCODE_LETTERS, k=2))
        postcode = f"{rng.randint(1011, 9999)} {letters}"
        city = team.municipality.name
    elif kind == Client.AddressKind.POSTAL:
        street, postcode, city = "Postbus 1", "1000 AA", team.municipality.name
    settled = team.municipality_id if rng.random() < 0.9 else None
    words = cases_demo.WORDS[rng.randrange(len(cases_demo.WORDS))]
    client_id = load[Client].next_id()
    load[Client].add(
        client_id, team.pk, rng.choice(names.female if female else names.male),
        rng.choice(names.last), born, bsn, index, f"06-{rng.randint(10000000, 99999999)}",
        kind, street, postcode, city, team.municipality_id, settled,
        history.weighted(rng, history.LVB, key=lambda x: x[1])[0], *words, caseworker.pk,
        at(start, 12),
    )  # fmt: skip
    for _ in range(rng.choice(NETWORK_SIZES)):
        relation, influence, gender, _family, note = cases_demo.NETWORK[
            rng.choice(list(cases_demo.NETWORK))
        ]
        first = rng.choice(names.female if gender == "f" else names.male)
        load[NetworkMember].add(
            load[NetworkMember].next_id(), client_id, f"{first} {rng.choice(names.last)}",
            relation, influence, f"06-{rng.randint(10000000, 99999999)}", note,
        )  # fmt: skip
    return client_id


def add_trajectory(load: Caseload, t: Trajectory) -> None:
    load[Trajectory].add(
        t.pk, t.client_id, t.caseworker.pk, t.status, t.offences, t.penitentiary_institution,
        t.detention_start, t.expected_release, t.actual_release, t.started_on, t.ended_on,
        t.end_reason, t.end_note, t.regie, t.age_exception_reason, at(t.started_on, 12),
    )  # fmt: skip


def add_story(ctx: Context, load: Caseload, story, registry: Registry, client_id: int) -> None:
    rng, today = ctx.rng, ctx.today
    t = story.trajectory
    cw = t.caseworker.pk
    moments = plan_followup(rng, story, today)
    contacts = plan_contacts(rng, story)
    events = load[TimelineEvent]

    # Status lines, as reports.demo.write_contacts.
    path = [(S.REGISTERED, t.started_on)]
    if t.status != S.REGISTERED:
        path.append((S.DETENTION, t.started_on))
    if t.actual_release:
        path.append((S.AFTERCARE, max(t.actual_release, t.started_on)))
    if t.ended_on:
        path.append((S.CLOSED, t.ended_on))
    for (old, _day), (new, day) in itertools.pairwise(path):
        text = t.end_note if new == S.CLOSED else ""
        title = f"Status: {cases_demo.STATUS_NL[old]} → {cases_demo.STATUS_NL[new]}"
        events.add(events.next_id(), t.pk, at(day, 9), EV.STATUS, title, text, cw, None, None,
                   None)  # fmt: skip

    contact_ids = {}
    for day, (kind, whom, domains, regie, summary) in sorted(contacts.items()):
        pk = contact_ids[day] = load[ContactMoment].next_id()
        load[ContactMoment].add(pk, t.pk, day, kind, whom.split(), domains.split(), regie,
                                summary, cw, at(day, 12))  # fmt: skip
        events.add(events.next_id(), t.pk, at(day, 11), EV.CONTACT,
                   f"Contact: {cases_demo.KIND_NL[kind]}", "", cw, pk, None, None)  # fmt: skip

    add_detention(ctx, load, t, registry, client_id)
    assessments = add_assessments(rng, load, t, story.last_contact)
    measured = {moment: pk for pk, moment, _day in assessments}
    for moment in moments:
        status, done_on = moment[5], moment[6]
        contact = assessment = None
        if status == FS.DONE:
            contact = contact_ids.get(done_on)
            assessment = measured.get(FollowUpMoment.MEASUREMENT.get(moment[1]))
        load[FollowUpMoment].add(
            load[FollowUpMoment].next_id(), t.pk, moment[1], moment[2], moment[3], moment[4],
            status, done_on, cw if status == FS.DONE else None, contact, assessment, moment[7],
            at(t.started_on, 12),
        )  # fmt: skip
    if t.status != S.REGISTERED:
        add_plan(rng, load, t, [day for _pk, _moment, day in assessments], today)
        add_readiness(rng, load, t, today)
    add_partners(rng, load, t, registry, today)
    add_access_log(rng, load, t, client_id, sorted(contacts), moments, assessments)


def plan_followup(rng, story, today: date) -> list[tuple]:
    """reports.demo.plan_followup as tuples: (trajectory, kind, sequence, planned_on,
    due_on, status, done_on, cancelled_on), and the done days among the contact days."""
    t = story.trajectory
    as_planned = t
    if not t.is_open:  # planned as it was while it ran
        as_planned = Trajectory(
            status=S.AFTERCARE if t.actual_release else S.DETENTION,
            started_on=t.started_on, detention_start=t.detention_start,
            expected_release=t.expected_release, actual_release=t.actual_release,
        )  # fmt: skip
    start, end = guidance_start(t), t.ended_on
    last = story.last_contact
    rows = []
    for (kind, sequence), planned_on in sorted(plan(as_planned).items(), key=lambda kv: kv[1]):
        due_on = due(planned_on, start)
        status, done_on, cancelled_on = (FS.CANCELLED if end else FS.OPEN), None, end
        if due_on <= last:
            draw = rng.random()
            if draw < 0.70:
                done_on = due_on + timedelta(days=rng.randint(-5, 7))
            elif draw < 0.87 or (
                end is None and due_on < today - timedelta(days=history.OVERDUE_DAYS)
            ):
                done_on = due_on + timedelta(days=rng.randint(15, 45))
            if done_on:  # not before guidance began (an intake, a late notice)
                done_on = max(done_on, start)
            if done_on and done_on <= last:
                status, cancelled_on = FS.DONE, None
                story.contact_days.add(done_on)
            else:
                done_on = None
        rows.append((t.pk, kind, sequence, planned_on, due_on, status, done_on, cancelled_on))
    return rows


def plan_contacts(rng, story) -> dict[date, tuple]:
    """reports.demo.plan_contacts as tuples: day -> (kind, with whom, domains, regie, summary)."""
    t = story.trajectory
    release = t.actual_release
    days = history.plan_contact_days(rng, story)
    contacts = {}
    for day in days:
        if t.status == S.REGISTERED:
            spec = history.REGISTERED_CONTACT
        elif day == release:
            spec = cases_demo.RELEASE_DAY
        else:
            pool = (
                cases_demo.AFTERCARE_CONTACTS
                if release and day > release
                else cases_demo.DETENTION_CONTACTS
            )
            spec = pool[rng.randrange(len(pool))]
        contacts[day] = spec
    return contacts


def add_detention(ctx: Context, load: Caseload, t: Trajectory, registry: Registry, client_id):
    """The PI in the registry, and the DJI notices of start and end of detention (some
    with a D&R plan as a document), with their timeline lines, as cases.demo."""
    if t.detention_start is None or t.detention_start > ctx.today:
        return
    rng, cw, pi = ctx.rng, t.caseworker.pk, t.penitentiary_institution
    if organisation := registry.pi.get(pi):
        load[DetentionPlace].add(load[DetentionPlace].next_id(), t.pk, organisation)
    notices = [(DJIMessage.Kind.DETENTION_START, "melding begin detentie", t.started_on,
                f"Ingesloten in {pi} op {t.detention_start:%d-%m-%Y}.", None)]  # fmt: skip
    if rng.random() < DOCUMENT_SHARE:
        day = min(ctx.today, t.started_on + timedelta(days=30))
        document = load[Document].next_id()
        name = ctx.storage.save(f"scale/{document}.pdf", ContentFile(ctx.pdf))
        load[Document].add(document, client_id, t.pk, f"D&R-plan {pi}", Document.Kind.DJI, name,
                           "d-r-plan.pdf", "application/pdf", "pdf", len(ctx.pdf), cw,
                           at(day, 11))  # fmt: skip
        load[TimelineEvent].add(load[TimelineEvent].next_id(), t.pk, at(day, 11), EV.DOCUMENT,
                                "Document", "", cw, None, None, document)  # fmt: skip
        notices.append((DJIMessage.Kind.RR_PLAN, "D&R-plan ontvangen", day,
                        "ID-kaart aangevraagd in de PI; huisvesting en inkomen nog open.",
                        document))  # fmt: skip
    if release := t.actual_release:
        day = max(t.started_on, release - timedelta(days=rng.randint(7, 14)))
        notices.append((DJIMessage.Kind.DETENTION_END, "melding einde detentie", day,
                        f"Ontslag uit {pi} op {release:%d-%m-%Y}.", None))  # fmt: skip
    for kind, title, day, summary, document in notices:
        message = load[DJIMessage].next_id()
        load[DJIMessage].add(
            message, t.pk, kind, day, summary,
            release if kind == DJIMessage.Kind.DETENTION_END else None, document, cw, at(day, 8),
        )  # fmt: skip
        load[TimelineEvent].add(load[TimelineEvent].next_id(), t.pk, at(day, 8), EV.DJI,
                                f"DJI: {title}", "", cw, None, message, None)  # fmt: skip


def add_assessments(rng, load: Caseload, t: Trajectory, last: date) -> list[tuple]:
    """reports.demo.write_assessments, plus the "in between" measurements after release
    (`INTERIM`); returns (id, moment, day) per assessment, oldest first."""
    if t.status == S.REGISTERED:
        return []
    release, end, early = t.actual_release, t.ended_on, history.EARLY
    if end is None:
        end, early = last, timedelta(0)
    level, pace = rng.uniform(1.4, 2.6), rng.uniform(0.5, 1.3)
    due_on = {M.T0: min(t.started_on + timedelta(days=7), end)}
    if release and release >= t.started_on:
        due_on[M.RELEASE] = release
    if release:
        for moment, months in ((M.M6, 6), (M.M12, 12), (M.M24, 24)):
            due_on[moment] = release + timedelta(days=round(months * 30.44))
    measured = [
        (moment, min(day, end))
        for moment, day in due_on.items()
        if day - early <= end and rng.random() < (0.95 if moment == M.T0 else 0.85)
    ]
    day = due_on[M.T0] + timedelta(days=INTERIM_INSIDE)
    while day < min(release or end, end):
        if rng.random() < INTERIM_INSIDE_SHARE:
            measured.append((M.INTERIM, day))
        day += timedelta(days=INTERIM_INSIDE)
    day = release and release + timedelta(days=INTERIM_FIRST)
    while day and day <= end:
        if rng.random() < INTERIM_AFTER_SHARE:
            measured.append((M.INTERIM, day))
        day += timedelta(days=INTERIM_AFTER)
    measured.sort(key=lambda pair: pair[1])
    result = []
    gain = 0.0
    now = timezone.now()
    for number, (moment, day) in enumerate(measured, 1):
        setback = t.end_reason == END.NEW_DETENTION and number == len(measured)
        # An "in between" measurement gains a little on the one before it.
        gain = gain + 0.2 if moment == M.INTERIM else history.GAIN[moment]
        pk = load[Assessment].next_id()
        note = history.MOMENT_NOTES.get(moment, "Tussenmeting.")
        if setback:
            note = "Terugval: weer met de oude groep."
        load[Assessment].add(pk, t.pk, moment, day, note, t.caseworker.pk, min(at(day, 14), now))
        scores = []
        for domain in history.DOMAINS:
            value = level + history.DOMAIN_START[domain] + gain * pace + rng.gauss(0, 0.6)
            if setback and domain in ("housing", "work"):
                value -= 1
            score, discussed, reason = min(5, max(1, round(value))), True, ""
            if rng.random() < 0.05:
                score, discussed, reason = None, False, rng.choice(history.NOT_DISCUSSED)
            scores.append([domain, discussed, score, reason, "", None])
        if moment == M.T0:  # wishes on the two lowest-scored domains
            for row in sorted((r for r in scores if r[1]), key=lambda r: r[2])[:2]:
                row[4] = rng.choice(lifedomains_demo.WISHES[row[0]])
                row[5] = rng.randint(3, 5)
        for domain, discussed, score, reason, wish, strength in scores:
            note = lifedomains_demo.NOTES[domain][score - 1] if score and rng.random() < 0.3 else ""
            load[DomainScore].add(load[DomainScore].next_id(), pk, domain, discussed, score,
                                  reason, wish, strength, note)  # fmt: skip
        title = f"Meting {lifedomains_demo.MOMENT_NL[moment]} vastgelegd"
        load[TimelineEvent].add(
            load[TimelineEvent].next_id(), t.pk, min(at(day, 14), now), EV.LIFE_DOMAINS, title,
            "", t.caseworker.pk, None, None, None,
        )  # fmt: skip
        result.append((pk, moment, day))
    return result


@dataclass
class Planned:
    """What lifedomains.demo.goal_status reads of a goal or an action."""

    target_date: date | None = None
    done_on: date | None = None


def add_plan(rng, load: Caseload, t: Trajectory, dates: list[date], today: date) -> None:
    """Goals set at assessments with their actions, as lifedomains.demo.seed_plan, and
    "Mijn plan" for some of the running ones."""
    if not dates:
        return
    end, now = t.ended_on, timezone.now()
    goals = lifedomains_demo.GOALS
    if t.is_open:  # housing first, as in nearly every real plan
        specs = [goals[0], *rng.sample(goals[1:], rng.randint(1, 3))]
        anchors = [dates[0], *reversed(dates[1:])]
    else:
        specs, anchors = rng.sample(goals, 2), dates
    for number, (domain, text, strength, actions) in enumerate(specs):
        anchor = anchors[min(number, len(anchors) - 1)]
        target = anchor + timedelta(days=120 + 30 * number)
        goal = Planned(target_date=min(target, end) if end else target)
        goal_id = load[Goal].next_id()
        made = []
        for description, owner, name, after in actions:
            due_on = anchor + timedelta(days=after)
            if end:
                due_on = min(due_on, end)
            forgotten = (
                owner == Action.Owner.CLIENT and (today - due_on).days < 45 and rng.random() < 0.3
            )
            done = due_on < today and not (forgotten and not end)
            done_on = max(anchor, due_on - timedelta(days=rng.randint(0, 5))) if done else None
            made.append(Planned(done_on=done_on))
            load[Action].add(load[Action].next_id(), goal_id, description, owner, name, None,
                             None, due_on, done_on, min(at(anchor, 15), now))  # fmt: skip
        status = lifedomains_demo.goal_status(t, rng, made, goal, number)
        load[Goal].add(goal_id, t.pk, domain, text, strength, goal.target_date, status,
                       t.caseworker.pk, min(at(anchor, 15), now))  # fmt: skip
    if t.is_open and rng.random() < PERSONAL_PLAN_SHARE:
        day = today + timedelta(days=2 + rng.randrange(4))
        if day.weekday() >= 5:  # not on a Saturday or Sunday
            day += timedelta(days=7 - day.weekday())
        place = "Bezoekzaal (bezoekafspraak)" if t.status == S.DETENTION else "Stadskantoor"
        load[PersonalPlan].add(load[PersonalPlan].next_id(), t.pk, at(day, 10), place,
                               rng.choice(lifedomains_demo.MESSAGES))  # fmt: skip


def add_readiness(rng, load: Caseload, t: Trajectory, today: date) -> None:
    """reports.demo.write_readiness: items with their history, dated the day of each change."""
    release, end, start = t.actual_release, t.ended_on, t.started_on
    if t.is_open:
        release, end = release or t.expected_release, today
    chosen = [*ReadinessItem.BASIC, *(i for i in history.PRACTICAL if rng.random() < 0.5)]
    now = timezone.now()
    dated = (*ReadinessItem.DONE, RS.REFUSED)
    for item in chosen:
        steps = history.readiness_history(rng, item, start, release, end)
        status, day = steps[-1]
        pk = load[ReadinessItem].next_id()
        load[ReadinessItem].add(pk, t.pk, item, status, day if status in dated else None, "",
                                min(at(day, 10), now))  # fmt: skip
        for number, (status, day) in enumerate(steps):
            load[ReadinessItemEvent].add(
                load[ReadinessItemEvent].next_id(), min(at(day, 10 + number), now),
                "insert" if number == 0 else "update", pk, t.pk, item, status,
                day if status in dated else None,
            )  # fmt: skip


def add_partners(rng, load: Caseload, t: Trajectory, registry: Registry, today: date) -> None:
    """reports.demo.write_partners, with the organisations of the team's own region;
    and now and then a case conference with agreements."""
    if rng.random() < 0.15:
        return
    start, ended = t.started_on, t.ended_on
    end = ended or today
    involved = []
    for kind, role, domains, basis, question in rng.sample(history.PARTNER_WORK, rng.randint(1, 3)):
        organisation = registry.by_kind.get(kind)
        if organisation is None:
            continue
        involved.append(organisation)
        contact = registry.contacts.get(organisation.pk)
        began = min(end, start + timedelta(days=rng.randint(0, 60)))
        load[Involvement].add(load[Involvement].next_id(), t.pk, organisation.pk, contact, role,
                              domains, began, ended)  # fmt: skip
        if rng.random() < 0.85:  # the rest: involved without a recorded basis
            until = began + timedelta(days=365) if basis == SharingBasis.Basis.CONSENT else None
            withdrawn = ended if ended and until and until > ended and rng.random() < 0.1 else None
            load[SharingBasis].add(load[SharingBasis].next_id(), t.pk, organisation.pk, basis,
                                   domains, began, until, withdrawn, "")  # fmt: skip
        if rng.random() < 0.7:
            asked = min(end, began + timedelta(days=rng.randint(3, 40)))
            answered = None
            if rng.random() < 0.85:
                answered = asked + timedelta(days=rng.choice((1, 2, 3, 5, 8, 12, 20, 35)))
                if answered > today:
                    answered = None
            answer = "Afspraak gemaakt; bericht volgt per mail." if answered else ""
            load[PartnerRequest].add(load[PartnerRequest].next_id(), t.pk, organisation.pk,
                                     contact, domains[0], question, asked, answered,
                                     answer)  # fmt: skip
    release = t.actual_release
    if release and involved and release <= end and rng.random() < CONFERENCE_SHARE:
        held = min(end, release + timedelta(days=14))
        conference = load[CaseConference].next_id()
        load[CaseConference].add(
            conference, t.pk, held, Regie.PROCESS, "moeder", True,
            "MDO over wonen en inkomen na ontslag.", t.caseworker.pk, at(held, 15),
        )  # fmt: skip
        through = load[CaseConference.organisations.through]
        for organisation in involved[:2]:
            through.add(through.next_id(), conference, organisation.pk)
            load[Agreement].add(
                load[Agreement].next_id(), conference,
                f"{organisation.name} neemt binnen twee weken contact op met de jongere",
                organisation.pk, held + timedelta(days=14),
            )  # fmt: skip


def add_access_log(rng, load, t: Trajectory, client_id, contact_days, moments, assessments):
    """The caseworker's lines about this young person: each contact entered (CREATE)
    after views of the dossier, the timeline now and then, each follow-up moment
    marked done (UPDATE) and each assessment entered (CREATE)."""
    log, cw = load[AccessLogEntry], t.caseworker.pk
    ip = f"10.{cw // 256 % 256}.{cw % 256}.{rng.randint(1, 254)}"
    now = timezone.now()

    def line(day: date, action: str, what: str) -> None:
        moment = at(day, rng.randint(8, 17), rng.randint(0, 59))
        log.add(log.next_id(), min(moment, now), cw, action, client_id, what, "ok", ip)

    for number, day in enumerate(contact_days):
        for _ in range(rng.randint(*VIEWS_PER_CONTACT)):
            line(max(t.started_on, day - timedelta(days=rng.randint(0, 10))), LOG.VIEW, "dossier")
        line(day, LOG.CREATE, "contact")
        if number % 3 == 0:
            line(day, LOG.VIEW, "timeline")
    for moment in moments:
        if moment[5] == FS.DONE:
            line(moment[6], LOG.UPDATE, "follow-up moment")
    for _pk, _moment, day in assessments:
        line(day, LOG.CREATE, "assessment")


def add_bottlenecks(rng, load, team_plan: TeamPlan, stories, registry: Registry, today: date):
    """reports.demo.write_bottlenecks: raised over three years at every level, most
    solved, each blocking a few of the trajectories running then."""
    if not stories:
        return
    bottlenecks, events = load[Bottleneck], load[BottleneckEvent]
    for title, category, domain, level, status, ago, days_open in history.BOTTLENECKS:
        raised_on = today - timedelta(days=ago)
        closed_on = raised_on + timedelta(days=days_open) if days_open is not None else None
        by = rng.choice(team_plan.caseworkers).pk
        pk = bottlenecks.next_id()
        resolution = history.RESOLUTIONS.get(status, "")
        bottlenecks.add(
            pk, team_plan.team.pk, title, f"{title}. Speelt bij meerdere jongeren.", category,
            domain, level, status, by, raised_on, resolution, closed_on,
        )  # fmt: skip
        day = raised_on
        lines = [(day, BottleneckEvent.Kind.RAISED, str(Regie.CASE.label), title)]
        for step in Bottleneck.LEVELS[1 : Bottleneck.LEVELS.index(level) + 1]:
            day += timedelta(days=rng.randint(14, 45))
            note = "Niet op te lossen tussen de professionals; opgeschaald."
            lines.append((day, BottleneckEvent.Kind.ESCALATED, str(Regie(step).label), note))
        if status != Bottleneck.Status.OPEN:
            day = closed_on or max(day, raised_on + timedelta(days=30))
            label = str(Bottleneck.Status(status).label)
            lines.append((day, BottleneckEvent.Kind.STATUS, label, resolution))
        for day, kind, change, note in lines:
            events.add(events.next_id(), pk, at(min(day, today), 15), kind, change, note, by)
        running = [
            s.trajectory.pk
            for s in stories
            if s.trajectory.started_on <= raised_on <= (s.trajectory.ended_on or today)
        ]
        blocked = load[Bottleneck.trajectories.through]
        for trajectory in rng.sample(running, min(len(running), rng.randint(2, 5))):
            blocked.add(blocked.next_id(), pk, trajectory)
        partners = load[Bottleneck.organisations.through]
        for organisation in rng.sample(registry.serving, min(len(registry.serving), 2)):
            partners.add(partners.next_id(), pk, organisation.pk)


# --- The whole run ----------------------------------------------------------------------------


def seed(
    *,
    clients: int,
    password: str,
    totp_secret: str,
    seed: int = 1,
    municipalities: int = MUNICIPALITIES,
    progress: Callable[[str], None] = lambda message: None,
) -> dict[str, int]:
    """Fill the (empty) database; returns the number of rows per table."""
    started = clock.monotonic()
    today = timezone.localdate()
    rng = random.Random(seed)  # noqa: S311 - test data, not security
    names = Names(seed)
    with without_triggers():
        plans, registry = make_country(clients, municipalities, names, password, totp_secret)
    progress(f"{len(plans)} teams in {municipalities} municipalities")
    load = Caseload(tables())
    ctx = Context(
        rng=rng, today=today, names=names, bsns=BSNs(10_000_000 + seed * 1_000_000),
        encrypt_bsn=Client._meta.get_field("bsn").get_prep_value,
        storage=Document._meta.get_field("file").storage,
        pdf=cases_demo.pdf_bytes("D&R-plan"),
    )  # fmt: skip

    def flush() -> None:
        with without_triggers():
            for rows in load.tables.values():
                rows.write()

    done = 0
    for team_plan in plans:
        seed_team(ctx, load, team_plan, registry_for(registry, team_plan))
        done += team_plan.size
        if load.buffered >= FLUSH_ROWS:
            flush()
            progress(f"{done} of {clients} clients written ({clock.monotonic() - started:.0f} s)")
    flush()
    reset_sequences(load.tables)
    if dangling := dangling_references(rows.model for rows in load.tables.values()):
        raise RuntimeError(f"seeded rows refer to rows that do not exist: {dangling}")
    # Kept by the contacts' triggers, which did not fire here.
    Trajectory.objects.recount_last_contact()
    progress(f"rows written in {clock.monotonic() - started:.0f} s; the sweep makes the reminders")
    # The reminders of the running trajectories, as the nightly sweep makes them.
    sweep(today=today, trajectory_ids=load.running)
    return counts()


def reset_sequences(tables: dict) -> None:
    """Ids were given here: move each table's sequence past the highest."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for rows in tables.values():
            table, pk = rows.model._meta.db_table, rows.model._meta.pk.column
            highest = f"MAX({quote(pk)})"
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, %s), "  # noqa: S608 (names from the model)
                f"COALESCE({highest}, 1), {highest} IS NOT NULL) FROM {quote(table)}",
                [table, pk],
            )


def seeded_models() -> list[type[models.Model]]:
    """Every model this module fills, in the order of the report."""
    from followup.models import Notification

    return [
        Municipality, Team, User, Authenticator, Organisation, ContactPerson,
        Organisation.region_municipalities.through, *(rows.model for rows in tables().values()),
        Notification,
    ]  # fmt: skip


def counts() -> dict[str, int]:
    """Rows per seeded table."""
    return {model._meta.label: model._base_manager.count() for model in seeded_models()}
