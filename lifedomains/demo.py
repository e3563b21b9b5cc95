"""Demo life-domain data: assessments, plans and release checklists that tell a story.

Runs after cases.demo has rebuilt the demo teams' trajectories. Everything here
follows from each trajectory's own dates and status, not from its position in
cases.demo.SHAPES: which moments were measured (T0 in detention, at release,
+6/+12/+24 months), their scores (MOMENTS), a plan drawn from GOALS and a
release checklist from CHECKLISTS. Randomness comes from a random.Random seeded
per team and trajectory order and all dates are relative to today, so running
it again gives the same rows.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

import pgtrigger
from django.db.models import DateTimeField, ExpressionWrapper, F, Value
from django.db.models.functions import Least
from django.utils import timezone

from cases.models import Client, TimelineEvent, Trajectory
from lifedomains.domains import Domain as D
from lifedomains.models import (
    Action,
    Assessment,
    DomainScore,
    Goal,
    PersonalPlan,
    ReadinessItem,
    ReadinessItemEvent,
)
from partners.models import Organisation

M = Assessment.Moment
OWN = Action.Owner
ITEM = ReadinessItem.Item
RS = ReadinessItem.Status
END = Trajectory.EndReason

TEAMS = {  # team: (housing corporation, where the RIO meets the young person)
    "RIO Dordrecht": ("Woonkracht10", "Stadskantoor, Spuiboulevard 300"),
    "RIO Rotterdam": ("Woonstad Rotterdam", "Stadswinkel, Coolsingel 40"),
}
DOMAINS = (D.HOUSING, D.ADMIN, D.CARE, D.FINANCES, D.WORK)  # the order of every score string

# moment, days after release (None: shortly after the start), lowest and highest
# score per domain in DOMAINS order, note. Scores rise with time since release.
MOMENTS = (
    (M.T0, None, "11211", "23422", "Eerste meting in de PI, samen met de jongere ingevuld."),
    (M.RELEASE, 0, "22212", "23422", "Meting op de dag van ontslag."),
    (M.INTERIM, 75, "23223", "24433",
     "Tussenmeting: regelzaken en inkomen gaan vooruit, woning nog niet."),
    (M.M6, 182, "34323", "34433", "Zes maanden na ontslag."),
    (M.M12, 365, "34334", "45434", "Een jaar na ontslag: duidelijk verschil met de T0."),
    (M.M24, 730, "44334", "55545", "Eindmeting na twee jaar, samen teruggekeken."),
)  # fmt: skip
EARLY = 14  # a moment may be measured up to two weeks before it is due
MOMENT_NL = {
    M.T0: "T0", M.RELEASE: "bij ontslag", M.INTERIM: "tussentijds", M.M6: "+6 maanden",
    M.M12: "+12 maanden", M.M24: "+24 maanden",
}  # fmt: skip

# A short note per domain for scores 1..5.
NOTES = {
    D.HOUSING: ("Geen slaapplek na ontslag", "Slaapt tijdelijk bij familie",
                "Ingeschreven bij de woningcorporatie, urgentie loopt",
                "Eigen kamer met huurcontract", "Eigen woning, betaalt zelf de huur"),
    D.ADMIN: ("Geen ID, geen DigiD", "ID-kaart aangevraagd", "ID en bankrekening, DigiD nog niet",
              "Alles geregeld, post met hulp van zus", "Regelt de post helemaal zelf"),
    D.CARE: ("Blowt dagelijks, wil geen hulp", "Geen huisarts, slaapt slecht", "Wachtlijst GGZ",
             "Gesprekken bij de GGZ lopen", "Geen zorg meer nodig"),
    D.FINANCES: ("Schulden onbekend, brieven ongeopend", "Schulden bij CJIB en zorgverzekeraar",
                 "Schulden in schuldhulp", "Regeling loopt, budget lukt", "Geen schulden meer"),
    D.WORK: ("Geen inkomen na ontslag", "Uitkering aangevraagd", "Uitkering loopt, zoekt werk",
             "Werkt, contract voor een jaar", "Vast contract"),
}  # fmt: skip
# What the young person wants, in their own words.
WISHES = {
    D.HOUSING: ("Een eigen kamer", "Niet meer op de bank bij mijn moeder", "Samenwonen"),
    D.ADMIN: ("Mijn rijbewijs halen", "Mijn ID-kaart terug", "Zelf mijn post regelen"),
    D.CARE: ("Beter slapen", "Stoppen met blowen", "Elke week naar de sportschool"),
    D.FINANCES: ("Geen schulden meer bij het CJIB", "Sparen voor een scooter",
                 "Zelf mijn geld regelen"),
    D.WORK: ("Werken in een garage", "Mijn mbo-diploma halen", "Een vaste baan"),
}  # fmt: skip

# domain, goal in the young person's words, wish strength, actions:
# (what, owner, name, days after the goal was set). A network owner's name is a
# relation, completed with the client's own network member of that relation.
GOALS = (
    (D.HOUSING, "Ik wil een eigen kamer", 5, (
        ("Inschrijven als woningzoekende", OWN.CLIENT, "", 14),
        ("Tot die tijd thuis slapen afspreken", OWN.NETWORK, "moeder", 7))),
    (D.ADMIN, "Ik wil mijn rijbewijs halen", 4, (
        ("Theorie oefenen met de app", OWN.CLIENT, "", 30),
        ("Uitzoeken of de gemeente lessen betaalt", OWN.CASEWORKER, "", 21))),
    (D.FINANCES, "Geen schulden meer bij het CJIB", 5, (
        ("Alle brieven van het CJIB verzamelen", OWN.CLIENT, "", 7),
        ("Aanmelden bij de schuldhulpverlening", OWN.CASEWORKER, "", 14),
        ("Betalingsregeling voorstellen aan het CJIB", OWN.PARTNER, "Stichting Schuldhulp", 45))),
    (D.WORK, "Ik wil automonteur worden", 5, (
        ("Proefdag in de garage", OWN.NETWORK, "oom", 21),
        ("Intake voor een BBL-opleiding", OWN.PARTNER, "UWV", 40))),
    (D.CARE, "Elke week naar de sportschool", 3, (
        ("Sportpas aanvragen bij de gemeente", OWN.CASEWORKER, "", 10),
        ("Samen een trainingsschema maken", OWN.NETWORK, "voetbaltrainer", 20))),
    (D.WORK, "Vanaf de eerste dag geld hebben", 4, (
        ("Aanvraag uitkering klaarzetten", OWN.CASEWORKER, "", 10),
        ("Besluit op de aanvraag uitkering", OWN.PARTNER, "Werk en Inkomen gemeente", 28))),
)  # fmt: skip
# Added to the housing goal of an open trajectory, due a month after release;
# still waiting for the corporation until half a year after release.
URGENCY = ("Besluit op de urgentieaanvraag", OWN.PARTNER, 30, 182)

# Release checklists: (item, status, days after the anchor or None, note). An
# "arranged" item dated in the future is still "in progress" today.
CHECKLISTS = {
    "soon": (  # in detention, release within three weeks; anchor: T0
        (ITEM.ID_DOCUMENT, RS.ARRANGED, 30, "Nieuwe ID-kaart opgehaald door de MMD'er"),
        (ITEM.HOUSING, RS.IN_PROGRESS, None, "Urgentie aangevraagd; moeder twijfelt"),
        (ITEM.INCOME, RS.NEEDED, None, "Uitkering pas aan te vragen na ontslag"),
        (ITEM.DEBTS, RS.IN_PROGRESS, None, "Schulden worden in beeld gebracht"),
        (ITEM.CARE, RS.ARRANGED, 45, "Huisarts bekend, zorgverzekering loopt door"),
        (ITEM.DIGID, RS.IN_PROGRESS, None, ""),
        (ITEM.BANK_ACCOUNT, RS.ARRANGED, 60, ""),
    ),
    "detention": (  # anchor: T0
        (ITEM.ID_DOCUMENT, RS.ARRANGED, 30, "Aangevraagd via de PI"),
        (ITEM.HOUSING, RS.NEEDED, None, "Nog geen slaapplek na ontslag"),
        (ITEM.CARE, RS.ARRANGED, 20, "Zorgverzekering gecontroleerd"),
        (ITEM.BRP, RS.IN_PROGRESS, None, "Briefadres aangevraagd bij de gemeente"),
        (ITEM.CJIB, RS.NEEDED, None, ""),
    ),
    "released": (  # anchor: the day of release
        (ITEM.ID_DOCUMENT, RS.ARRANGED, -40, ""),
        (ITEM.HOUSING, RS.ARRANGED, -3, "Slaapt de eerste weken bij familie"),
        (ITEM.INCOME, RS.ARRANGED, 28, "Uitkering startte pas vier weken na ontslag"),
        (ITEM.DEBTS, RS.ARRANGED, 45, "Aangemeld bij de schuldhulpverlening"),
        (ITEM.CARE, RS.ARRANGED, -10, ""),
        (ITEM.BRP, RS.ARRANGED, 1, "Ingeschreven op de dag na ontslag"),
        (ITEM.DIGID, RS.ARRANGED, 14, ""),
        (ITEM.BANK_ACCOUNT, RS.NOT_NEEDED, None, "Had al een rekening"),
        (ITEM.HEALTH_INSURANCE, RS.ARRANGED, -20, ""),
    ),
}  # fmt: skip
REFUSED_DEBTS = (ITEM.DEBTS, RS.REFUSED, 0, "Wil geen schuldhulp: 'dat regel ik zelf wel'")

MESSAGES = (  # "Mijn plan": short sentences, simple words
    "Je doet het goed. We gaan samen je ID-kaart regelen.",
    "Neem je brieven mee. Dan kijken we er samen naar.",
    "Je hebt nu geld van de gemeente. Nu gaan we praten over werk.",
)


def seed() -> None:
    trajectories = Trajectory.objects.filter(client__team__name__in=TEAMS)
    for model in (Assessment, Goal, ReadinessItem, PersonalPlan):
        model.objects.filter(trajectory__in=trajectories).delete()  # scores, actions cascade
    TimelineEvent.objects.filter(
        trajectory__in=trajectories, kind=TimelineEvent.Kind.LIFE_DOMAINS
    ).delete()
    ordered = trajectories.select_related("client__team", "caseworker").order_by(
        "client__team__name", "client_id", "started_on", "pk"
    )
    index_in_team: dict[str, int] = {}
    for trajectory in ordered:
        team = trajectory.client.team.name
        index = index_in_team[team] = index_in_team.get(team, -1) + 1
        if not trajectory.contacts.exists():
            continue  # just registered: first contact still due, nothing measured yet
        rng = random.Random(f"{team}:{index}")  # noqa: S311 - demo data, not security
        dates = seed_assessments(trajectory, rng)
        seed_plan(trajectory, rng, dates, TEAMS[team][0])
        seed_checklist(trajectory)
        if trajectory.is_open and (trajectory.client.lvb != Client.LVB.NO or index % 4 == 0):
            seed_personal_plan(trajectory, index, TEAMS[team][1])
    # Entered on their own day, in the afternoon (but never later than now).
    afternoon = ExpressionWrapper(F("date") + timedelta(hours=14), output_field=DateTimeField())
    Assessment.objects.filter(trajectory__in=trajectories).update(
        created_at=Least(afternoon, Value(timezone.now()))
    )
    date_checklist_history(trajectories)


def date_checklist_history(trajectories) -> None:
    """Date each checklist item's first history event on the day it happened.

    The history triggers stamp an event with the moment it is written (today), so
    the checklist "as it stood on the day of release" would look untouched. An item
    counts from its own date (the day it was arranged), or else from a week into
    guidance, when the checklist was first gone through.
    """
    items = ReadinessItem.objects.filter(trajectory__in=trajectories)
    day_of = {
        pk: day or started_on + timedelta(days=7)
        for pk, day, started_on in items.values_list("pk", "date", "trajectory__started_on")
    }
    events = list(
        ReadinessItemEvent.objects.filter(pgh_obj_id__in=day_of, pgh_label="insert").only(
            "pk", "pgh_obj"
        )
    )
    for event in events:
        event.pgh_created_at = at(day_of[event.pgh_obj_id], 11)
    with pgtrigger.ignore(ReadinessItemEvent.APPEND_ONLY):
        ReadinessItemEvent.objects.bulk_update(events, ["pgh_created_at"], batch_size=1000)


def measured_moments(trajectory: Trajectory) -> list[tuple[tuple, date]]:
    """The moments measured so far, with their dates."""
    limit = trajectory.ended_on or days(0)
    release = trajectory.actual_release
    t0 = min(trajectory.started_on + timedelta(days=7), release or limit, limit)
    measured = [(MOMENTS[0], t0)]
    for spec in MOMENTS[1:]:
        due = release and release + timedelta(days=spec[1])
        if due and due - timedelta(days=EARLY) <= limit:
            measured.append((spec, min(due, limit)))
    return measured


def seed_assessments(trajectory: Trajectory, rng: random.Random) -> list[date]:
    measured = measured_moments(trajectory)
    for number, ((moment, _after, low, high, note), day) in enumerate(measured, 1):
        setback = trajectory.end_reason == END.NEW_DETENTION and number == len(measured)
        if setback:
            note = "Terugval: weer met de oude groep, werk kwijt."
        assessment = Assessment.objects.create(
            trajectory=trajectory, moment=moment, date=day, note=note,
            created_by=trajectory.caseworker,
        )  # fmt: skip
        scores = []
        for position, domain in enumerate(DOMAINS):
            score = rng.randint(int(low[position]), int(high[position]))
            if setback and domain in (D.HOUSING, D.WORK):
                score = max(1, score - 1)
            row = DomainScore(assessment=assessment, domain=domain, score=score)
            if reason := not_discussed(trajectory, moment, domain):
                row.discussed, row.score, row.not_discussed_reason = False, None, reason
            elif rng.random() < 0.6:
                row.note = NOTES[domain][score - 1]
            scores.append(row)
        # Wishes on two of the three lowest-scored domains.
        lowest = sorted((row for row in scores if row.discussed), key=lambda row: row.score)
        for row in rng.sample(lowest[:3], 2):
            row.wish, row.wish_strength = rng.choice(WISHES[row.domain]), rng.randint(3, 5)
        DomainScore.objects.bulk_create(scores)
        TimelineEvent.objects.create(
            trajectory=trajectory, at=at(day, 14), kind=TimelineEvent.Kind.LIFE_DOMAINS,
            title=f"Meting {MOMENT_NL[moment]} vastgelegd", by=trajectory.caseworker,
        )  # fmt: skip
    return [day for _spec, day in measured]


def not_discussed(trajectory: Trajectory, moment: str, domain: str) -> str:
    """The reason a domain was left out of an assessment, or "" when it was scored."""
    if moment == M.T0 and domain == D.CARE and trajectory.client.lvb == Client.LVB.SUSPECTED:
        return "Jongere wilde er nog niet over praten"
    stopped = trajectory.end_reason == END.STOPPED_BY_CLIENT
    if stopped and moment == M.INTERIM and domain == D.FINANCES:
        return "Gesprek afgebroken; wilde het niet over geld hebben"
    return ""


def seed_plan(trajectory: Trajectory, rng: random.Random, dates: list[date], corporation: str):
    """Goals set at assessments: the first at T0; in an open trajectory the next ones at
    the newest assessments, in a closed one at the assessments after T0."""
    today, end = days(0), trajectory.ended_on
    if trajectory.is_open:  # housing first, as in nearly every real plan
        specs = [GOALS[0], *rng.sample(GOALS[1:], rng.randint(1, 3))]
        anchors = [dates[0], *reversed(dates[1:])]
    else:
        specs, anchors = rng.sample(GOALS, 2), dates
    for number, (domain, text, strength, actions) in enumerate(specs):
        anchor = anchors[min(number, len(anchors) - 1)]
        target = anchor + timedelta(days=120 + 30 * number)
        goal = Goal.objects.create(
            trajectory=trajectory, domain=domain, text=text, wish_strength=strength,
            target_date=min(target, end) if end else target, created_by=trajectory.caseworker,
        )  # fmt: skip
        rows = []
        for description, owner, name, after in actions:
            due = anchor + timedelta(days=after)
            if end:
                due = min(due, end)
            # Now and then the young person has not yet done a recent action of theirs.
            forgotten = owner == OWN.CLIENT and (today - due).days < 45 and rng.random() < 0.3
            done = due < today and not (forgotten and not end)
            done_on = max(anchor, due - timedelta(days=rng.randint(0, 5))) if done else None
            if owner == OWN.NETWORK:
                name = network_name(trajectory, name)
            rows.append(Action(goal=goal, description=description, owner=owner,
                               owner_name=name, due_date=due, done_on=done_on))  # fmt: skip
        release = trajectory.release_date
        if domain == D.HOUSING and trajectory.is_open and release:
            description, owner, after, waiting = URGENCY
            due = release + timedelta(days=after)
            done_on = due + timedelta(days=30) if (today - release).days >= waiting else None
            partner = Organisation.objects.filter(name=corporation).first()
            rows.append(Action(goal=goal, description=description, owner=owner,
                               owner_name=corporation, due_date=due, done_on=done_on,
                               organisation=partner))  # fmt: skip
        Action.objects.bulk_create(rows)
        goal.status = goal_status(trajectory, rng, rows, goal, number)
        Goal.objects.filter(pk=goal.pk).update(status=goal.status)


def goal_status(trajectory, rng, actions, goal, number) -> str:
    all_done = all(action.done_on for action in actions)
    if not trajectory.is_open:
        if trajectory.end_reason == END.COMPLETED or number == 0:
            return Goal.Status.ACHIEVED if all_done else Goal.Status.STOPPED
        return Goal.Status.STOPPED
    if all_done and goal.target_date < days(0):
        return Goal.Status.ACHIEVED
    return Goal.Status.ADJUSTED if number and rng.random() < 0.2 else Goal.Status.OPEN


def network_name(trajectory: Trajectory, relation: str) -> str:
    """ "oom" becomes "oom Ahmed" when the client's network has an uncle."""
    member = trajectory.client.network.filter(relation=relation).first()
    return f"{relation} {member.name.split()[0]}" if member else relation


def seed_checklist(trajectory: Trajectory) -> None:
    release = trajectory.actual_release
    if release:
        key, anchor = "released", release
    else:
        to_release = trajectory.days_to_release()
        key = "soon" if to_release is not None and to_release <= 21 else "detention"
        anchor = min(trajectory.started_on + timedelta(days=7), days(0))
    rows = []
    for spec in CHECKLISTS[key]:
        if spec[0] == ITEM.DEBTS and trajectory.end_reason == END.STOPPED_BY_CLIENT:
            spec = REFUSED_DEBTS
        item, status, after, note = spec
        day = None if after is None else anchor + timedelta(days=after)
        if day and day > days(0):
            status, day = RS.IN_PROGRESS, None
        rows.append(ReadinessItem(trajectory=trajectory, item=item, status=status, date=day,
                                  note=note))  # fmt: skip
    ReadinessItem.objects.bulk_create(rows)


def seed_personal_plan(trajectory: Trajectory, index: int, office: str) -> None:
    day = days(2 + index % 4)
    if day.weekday() >= 5:  # not on a Saturday or Sunday
        day += timedelta(days=7 - day.weekday())
    in_detention = trajectory.status == Trajectory.Status.DETENTION
    PersonalPlan.objects.create(
        trajectory=trajectory,
        next_appointment=timezone.make_aware(datetime.combine(day, time(10))),
        # No prison name on the young person's own plan: just where to go.
        appointment_place="Bezoekzaal (bezoekafspraak)" if in_detention else office,
        message=MESSAGES[0 if trajectory.client.lvb == Client.LVB.YES else index % 3],
    )


def days(offset: int) -> date:
    return timezone.localdate() + timedelta(days=offset)


def at(day: date, hour: int) -> datetime:
    return min(timezone.make_aware(datetime.combine(day, time(hour))), timezone.now())
