"""Bottlenecks (knelpunten): raised by a team, escalated casus → proces → bestuurlijk,
with an append-only history."""

import pytest
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, ProgrammingError, transaction
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import translation

from cases.locking import ConflictError
from lifedomains.domains import Regie
from partners.models import Bottleneck, BottleneckEvent, Organisation
from tests.factories import TrajectoryFactory, days
from tests.pages import page_form

pytestmark = pytest.mark.django_db

LIST = reverse("partners:bottleneck-list")
CREATE = reverse("partners:bottleneck-create")
L = Regie
S = Bottleneck.Status

# Session, user, MFA check, count, team, the organisation filter's options, the page of
# bottlenecks, their organisations, the access log line, the inbox's unread count, and
# the session save (savepoint, update, release).
LIST_QUERIES = 13


@pytest.fixture
def trajectory(team, caseworker):
    return TrajectoryFactory(
        client__team=team,
        client__first_name="Anouk",
        client__last_name="Aarts",
        caseworker=caseworker,
    )


@pytest.fixture
def housing(municipality):
    return Organisation.objects.create(
        name="Woonkracht10", kind="housing", domains=["housing"], municipality=municipality
    )


@pytest.fixture
def uwv():
    return Organisation.objects.create(name="UWV", kind="uwv", domains=["work"])


def raise_bottleneck(team, by, **extra) -> Bottleneck:
    bottleneck = Bottleneck.objects.create(
        team=team,
        title=extra.pop("title", "Wachtlijst beschermd wonen"),
        description=extra.pop("description", "Negen maanden wachten op een plek."),
        category=extra.pop("category", Bottleneck.Category.CAPACITY),
        raised_by=by,
        raised_on=extra.pop("raised_on", days(-10)),
        **extra,
    )
    BottleneckEvent.objects.create(bottleneck=bottleneck, kind=BottleneckEvent.Kind.RAISED, by=by)
    return bottleneck


@pytest.fixture
def bottleneck(team, caseworker):
    return raise_bottleneck(team, caseworker)


def detail(bottleneck) -> str:
    return reverse("partners:bottleneck-detail", args=[bottleneck.pk])


def escalate(client_, bottleneck, **data):
    return client_.post(
        reverse("partners:bottleneck-escalate", args=[bottleneck.pk]), data, follow=True
    )


def change_status(client_, bottleneck, **data):
    return client_.post(
        reverse("partners:bottleneck-status", args=[bottleneck.pk]), data, follow=True
    )


def message_levels(response) -> list[int]:
    return [message.level for message in response.context["messages"]]


def snapshot(bottleneck) -> tuple:
    fresh = Bottleneck.objects.get(pk=bottleneck.pk)
    return (
        fresh.level,
        fresh.status,
        fresh.resolution,
        fresh.closed_on,
        fresh.version,
        list(fresh.events.values_list("pk", flat=True)),
    )


# --- Raising a bottleneck ----------------------------------------------------------------------


def bottleneck_data(**extra) -> dict:
    return {
        "title": "Uitkering start pas na vier weken",
        "description": "De eerste maand na ontslag zonder geld.",
        "category": Bottleneck.Category.REGULATION,
        "domain": "finances",
        "raised_on": days(-2).isoformat(),
        **extra,
    }


def test_raising_a_bottleneck_saves_it_for_the_team_with_one_event(
    caseworker_client, team, caseworker, trajectory, uwv
):
    response = caseworker_client.post(
        CREATE, bottleneck_data(organisations=[uwv.pk], trajectories=[trajectory.pk])
    )

    bottleneck = Bottleneck.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail(bottleneck)
    assert bottleneck.team == team
    assert bottleneck.raised_by == caseworker
    assert bottleneck.raised_on == days(-2)
    assert (bottleneck.level, bottleneck.status) == (L.CASE, S.OPEN)
    assert list(bottleneck.organisations.all()) == [uwv]
    assert list(bottleneck.trajectories.all()) == [trajectory]
    event = bottleneck.events.get()
    assert event.kind == BottleneckEvent.Kind.RAISED
    assert event.by == caseworker
    assert event.note == "De eerste maand na ontslag zonder geld."


def test_posting_team_level_status_or_resolution_is_ignored(
    caseworker_client, team, other_team, caseworker, other_caseworker
):
    response = caseworker_client.post(
        CREATE,
        bottleneck_data(
            team=other_team.pk,
            level=L.ADMINISTRATIVE,
            status=S.RESOLVED,
            resolution="Al opgelost",
            closed_on=days(0).isoformat(),
            raised_by=other_caseworker.pk,
            version=7,
        ),
    )

    assert response.status_code == 302
    bottleneck = Bottleneck.objects.get()
    assert bottleneck.team == team
    assert bottleneck.raised_by == caseworker
    assert (bottleneck.level, bottleneck.status) == (L.CASE, S.OPEN)
    assert bottleneck.resolution == ""
    assert bottleneck.closed_on is None
    assert bottleneck.version == 1


def test_a_bottleneck_raised_in_the_future_is_a_form_error(caseworker_client):
    response = caseworker_client.post(CREATE, bottleneck_data(raised_on=days(1).isoformat()))

    assert response.status_code == 200
    assert page_form(response).has_error("raised_on")
    assert not Bottleneck.objects.exists()
    assert not BottleneckEvent.objects.exists()


def test_editing_a_bottleneck_saves_its_fields_and_links(
    caseworker_client, bottleneck, trajectory, uwv
):
    response = caseworker_client.post(
        reverse("partners:bottleneck-update", args=[bottleneck.pk]),
        bottleneck_data(
            title="Aangepaste titel",
            organisations=[uwv.pk],
            trajectories=[trajectory.pk],
            version=bottleneck.version,
        ),
    )

    assert response.status_code == 302
    bottleneck.refresh_from_db()
    assert bottleneck.title == "Aangepaste titel"
    assert bottleneck.version == 2
    assert list(bottleneck.organisations.all()) == [uwv]
    assert list(bottleneck.trajectories.all()) == [trajectory]
    assert (bottleneck.level, bottleneck.status) == (L.CASE, S.OPEN)


def test_editing_a_bottleneck_keeps_the_links_the_form_does_not_show(
    caseworker_client, team, other_team, caseworker, bottleneck, trajectory
):
    closed_since = TrajectoryFactory(client__team=team, caseworker=caseworker, closed=True)
    of_another_team = TrajectoryFactory(client__team=other_team)
    bottleneck.trajectories.set([trajectory, closed_since, of_another_team])
    url = reverse("partners:bottleneck-update", args=[bottleneck.pk])

    offered = page_form(caseworker_client.get(url)).fields["trajectories"].queryset
    response = caseworker_client.post(
        url,
        bottleneck_data(
            title="Alleen de titel", trajectories=[trajectory.pk], version=bottleneck.version
        ),
    )

    assert list(offered) == [trajectory]
    assert response.status_code == 302
    bottleneck.refresh_from_db()
    assert bottleneck.title == "Alleen de titel"
    assert set(bottleneck.trajectories.all()) == {trajectory, closed_since, of_another_team}

    response = caseworker_client.post(
        url, bottleneck_data(title="Alleen de titel", version=bottleneck.version)
    )

    assert response.status_code == 302
    assert set(bottleneck.trajectories.all()) == {closed_since, of_another_team}


def test_editing_a_bottleneck_with_a_stale_version_gives_409(caseworker_client, bottleneck):
    Bottleneck.objects.filter(pk=bottleneck.pk).update(version=2, title="Door een collega")

    response = caseworker_client.post(
        reverse("partners:bottleneck-update", args=[bottleneck.pk]),
        bottleneck_data(title="Mijn versie", version=1),
    )

    assert response.status_code == 409
    bottleneck.refresh_from_db()
    assert bottleneck.title == "Door een collega"


# --- Escalation ---------------------------------------------------------------------------------


def test_escalation_goes_one_level_at_a_time(caseworker_client, caseworker, bottleneck):
    response = escalate(caseworker_client, bottleneck, to=L.PROCESS, note="Naar het ketenoverleg.")

    assert message_levels(response) == [messages.SUCCESS]
    bottleneck.refresh_from_db()
    assert bottleneck.level == L.PROCESS
    escalated = bottleneck.events.get(kind=BottleneckEvent.Kind.ESCALATED)
    assert escalated.note == "Naar het ketenoverleg."
    assert escalated.by == caseworker

    escalate(caseworker_client, bottleneck, to=L.ADMINISTRATIVE, note="Naar de wethouder.")

    bottleneck.refresh_from_db()
    assert bottleneck.level == L.ADMINISTRATIVE
    assert list(
        bottleneck.events.filter(kind=BottleneckEvent.Kind.ESCALATED).values_list("note", flat=True)
    ) == ["Naar het ketenoverleg.", "Naar de wethouder."]
    assert bottleneck.events.count() == 3


def test_skipping_the_process_level_without_a_reason_is_refused(caseworker_client, bottleneck):
    before = snapshot(bottleneck)

    response = escalate(
        caseworker_client, bottleneck, to=L.ADMINISTRATIVE, note="Meteen naar boven."
    )

    assert response.status_code == 200
    assert message_levels(response) == [messages.ERROR]
    assert snapshot(bottleneck) == before


def test_skipping_the_process_level_with_a_reason_works(caseworker_client, bottleneck):
    response = escalate(
        caseworker_client,
        bottleneck,
        to=L.ADMINISTRATIVE,
        note="Meteen naar boven.",
        skip_reason="Het procesoverleg is pas over drie maanden.",
    )

    assert message_levels(response) == [messages.SUCCESS]
    bottleneck.refresh_from_db()
    assert bottleneck.level == L.ADMINISTRATIVE
    event = bottleneck.events.get(kind=BottleneckEvent.Kind.ESCALATED)
    assert "Meteen naar boven." in event.note
    assert "Het procesoverleg is pas over drie maanden." in event.note


@pytest.mark.parametrize("to", [L.CASE, L.PROCESS], ids=["down", "sideways"])
def test_escalating_down_or_sideways_is_refused(caseworker_client, team, caseworker, to):
    bottleneck = raise_bottleneck(team, caseworker, level=L.PROCESS)
    before = snapshot(bottleneck)

    response = escalate(caseworker_client, bottleneck, to=to, note="Terug naar af.")

    assert message_levels(response) == [messages.ERROR]
    assert snapshot(bottleneck) == before


@pytest.mark.parametrize("to", [L.CASE, L.PROCESS], ids=["down", "sideways"])
def test_the_model_refuses_to_escalate_down_or_sideways(team, caseworker, to):
    bottleneck = raise_bottleneck(team, caseworker, level=L.PROCESS)

    with pytest.raises(ValidationError):
        bottleneck.escalate(to=to, by=caseworker, note="Terug.")

    assert snapshot(bottleneck)[0] == L.PROCESS
    assert bottleneck.events.count() == 1


def test_a_closed_bottleneck_cannot_be_escalated(caseworker_client, team, caseworker):
    bottleneck = raise_bottleneck(
        team, caseworker, status=S.RESOLVED, resolution="Opgelost.", closed_on=days(-1)
    )
    before = snapshot(bottleneck)

    response = escalate(caseworker_client, bottleneck, to=L.PROCESS, note="Toch hoger.")

    assert message_levels(response) == [messages.ERROR]
    assert snapshot(bottleneck) == before


def test_a_concurrent_change_makes_an_escalation_a_conflict(
    caseworker_client, caseworker, bottleneck
):
    """The second of two people escalating the same bottleneck gets a conflict (RF-4)."""
    stale = Bottleneck.objects.get(pk=bottleneck.pk)
    escalate(caseworker_client, bottleneck, to=L.PROCESS, note="Eerste.")

    with pytest.raises(ConflictError):
        stale.escalate(to=L.PROCESS, by=caseworker, note="Tweede.")

    assert snapshot(bottleneck)[0] == L.PROCESS
    assert bottleneck.events.filter(kind=BottleneckEvent.Kind.ESCALATED).count() == 1


# --- Status ----------------------------------------------------------------------------------


def test_status_goes_from_open_to_scheduled_to_resolved(caseworker_client, caseworker, bottleneck):
    change_status(caseworker_client, bottleneck, to=S.SCHEDULED, note="Op de agenda van 3 juni.")

    bottleneck.refresh_from_db()
    assert bottleneck.status == S.SCHEDULED
    assert bottleneck.closed_on is None

    response = change_status(
        caseworker_client,
        bottleneck,
        to=S.RESOLVED,
        note="Besproken.",
        resolution="Briefadres via de PI-verklaring.",
    )

    assert message_levels(response) == [messages.SUCCESS]
    bottleneck.refresh_from_db()
    assert bottleneck.status == S.RESOLVED
    assert bottleneck.resolution == "Briefadres via de PI-verklaring."
    assert bottleneck.closed_on == days(0)
    notes = list(
        bottleneck.events.filter(kind=BottleneckEvent.Kind.STATUS).values_list("note", flat=True)
    )
    assert notes[0] == "Op de agenda van 3 juni."
    assert "Besproken." in notes[1]
    assert "Briefadres via de PI-verklaring." in notes[1]
    assert bottleneck.events.filter(by=caseworker).count() == 3


@pytest.mark.parametrize("closed", [S.RESOLVED, S.UNSOLVABLE])
def test_reopening_clears_closed_on_and_resolution(caseworker_client, team, caseworker, closed):
    bottleneck = raise_bottleneck(
        team, caseworker, status=closed, resolution="Dacht het.", closed_on=days(-3)
    )

    response = change_status(caseworker_client, bottleneck, to=S.OPEN, note="Speelt weer.")

    assert message_levels(response) == [messages.SUCCESS]
    bottleneck.refresh_from_db()
    assert bottleneck.status == S.OPEN
    assert bottleneck.closed_on is None
    assert bottleneck.resolution == ""
    assert bottleneck.events.filter(kind=BottleneckEvent.Kind.STATUS).get().note == "Speelt weer."


@pytest.mark.parametrize("closing", [S.RESOLVED, S.UNSOLVABLE])
def test_closing_without_a_resolution_is_refused(caseworker_client, bottleneck, closing):
    before = snapshot(bottleneck)

    response = change_status(caseworker_client, bottleneck, to=closing, resolution="  ")

    assert message_levels(response) == [messages.ERROR]
    assert snapshot(bottleneck) == before


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (S.OPEN, S.OPEN),
        (S.SCHEDULED, S.SCHEDULED),
        (S.RESOLVED, S.SCHEDULED),
        (S.RESOLVED, S.UNSOLVABLE),
        (S.UNSOLVABLE, S.RESOLVED),
    ],
)
def test_a_status_change_outside_the_transitions_is_refused(
    caseworker_client, team, caseworker, start, to
):
    assert to not in Bottleneck.TRANSITIONS[start]
    closed = start in Bottleneck.CLOSED_STATUSES
    bottleneck = raise_bottleneck(
        team,
        caseworker,
        status=start,
        resolution="Afgerond." if closed else "",
        closed_on=days(-1) if closed else None,
    )
    before = snapshot(bottleneck)

    response = change_status(caseworker_client, bottleneck, to=to, resolution="Opnieuw.")

    assert message_levels(response) == [messages.ERROR]
    assert snapshot(bottleneck) == before


@pytest.mark.parametrize(
    ("start", "to"),
    [(start, to) for start, targets in Bottleneck.TRANSITIONS.items() for to in targets],
)
def test_every_allowed_transition_writes_exactly_one_event(team, caseworker, start, to):
    closed = start in Bottleneck.CLOSED_STATUSES
    bottleneck = raise_bottleneck(
        team,
        caseworker,
        status=start,
        resolution="Afgerond." if closed else "",
        closed_on=days(-1) if closed else None,
    )

    bottleneck.change_status(to=to, by=caseworker, note="Notitie.", resolution="Besluit.")

    fresh = Bottleneck.objects.get(pk=bottleneck.pk)
    assert fresh.status == to
    assert (fresh.closed_on is not None) is (to in Bottleneck.CLOSED_STATUSES)
    event = fresh.events.get(kind=BottleneckEvent.Kind.STATUS)
    assert event.note.startswith("Notitie.")


# --- Append-only history and database rules ----------------------------------------------------


def test_bottleneck_events_cannot_be_updated(bottleneck):
    event = bottleneck.events.get()
    event.note = "Achteraf aangepast"

    with pytest.raises(ProgrammingError), transaction.atomic():
        event.save()
    with pytest.raises(ProgrammingError), transaction.atomic():
        BottleneckEvent.objects.filter(pk=event.pk).update(note="Achteraf aangepast")

    assert BottleneckEvent.objects.get(pk=event.pk).note == ""


def test_the_database_refuses_a_closed_bottleneck_without_resolution(bottleneck):
    with (
        pytest.raises(IntegrityError, match="bottleneck_closed_has_resolution"),
        transaction.atomic(),
    ):
        Bottleneck.objects.filter(pk=bottleneck.pk).update(status=S.RESOLVED, closed_on=days(0))


def test_the_database_refuses_a_closed_bottleneck_without_closed_on(bottleneck):
    with (
        pytest.raises(IntegrityError, match="bottleneck_closed_has_resolution"),
        transaction.atomic(),
    ):
        Bottleneck.objects.filter(pk=bottleneck.pk).update(
            status=S.UNSOLVABLE, resolution="Niet op te lossen."
        )


def test_the_database_refuses_an_open_bottleneck_with_closed_on(bottleneck):
    with (
        pytest.raises(IntegrityError, match="bottleneck_closed_has_resolution"),
        transaction.atomic(),
    ):
        Bottleneck.objects.filter(pk=bottleneck.pk).update(closed_on=days(0))


# --- The list -----------------------------------------------------------------------------------


@pytest.fixture
def register(team, caseworker, housing, uwv):
    """Five bottlenecks covering every filter."""
    rows = {
        "open": raise_bottleneck(team, caseworker, title="Open casus", raised_on=days(-30)),
        "scheduled": raise_bottleneck(
            team,
            caseworker,
            title="Geagendeerd proces",
            level=L.PROCESS,
            status=S.SCHEDULED,
            category=Bottleneck.Category.FUNDING,
            raised_on=days(-20),
        ),
        "administrative": raise_bottleneck(
            team,
            caseworker,
            title="Bestuurlijk open",
            level=L.ADMINISTRATIVE,
            category=Bottleneck.Category.REGULATION,
            raised_on=days(-12),
        ),
        "resolved": raise_bottleneck(
            team,
            caseworker,
            title="Opgelost",
            status=S.RESOLVED,
            resolution="Geregeld.",
            closed_on=days(-5),
            raised_on=days(-40),
        ),
        "unsolvable": raise_bottleneck(
            team,
            caseworker,
            title="Onoplosbaar",
            status=S.UNSOLVABLE,
            resolution="Landelijke regel.",
            closed_on=days(-2),
            raised_on=days(-50),
        ),
    }
    rows["open"].organisations.add(housing)
    rows["scheduled"].organisations.add(housing, uwv)
    rows["resolved"].organisations.add(uwv)
    return rows


def listed(client_, **params) -> list[str]:
    response = client_.get(LIST, params)
    assert response.status_code == 200
    return [bottleneck.title for bottleneck in response.context["page"]]


def test_the_list_hides_closed_bottlenecks_by_default_oldest_first(caseworker_client, register):
    assert listed(caseworker_client) == ["Open casus", "Geagendeerd proces", "Bestuurlijk open"]


def test_the_list_filters_by_status(caseworker_client, register):
    assert listed(caseworker_client, status="all") == [
        "Onoplosbaar",
        "Opgelost",
        "Open casus",
        "Geagendeerd proces",
        "Bestuurlijk open",
    ]
    assert listed(caseworker_client, status=S.RESOLVED) == ["Opgelost"]
    assert listed(caseworker_client, status=S.UNSOLVABLE) == ["Onoplosbaar"]
    assert listed(caseworker_client, status=S.SCHEDULED) == ["Geagendeerd proces"]
    assert listed(caseworker_client, status=S.OPEN) == ["Open casus", "Bestuurlijk open"]


def test_the_list_filters_by_level_category_and_organisation(
    caseworker_client, register, housing, uwv
):
    assert listed(caseworker_client, level=L.PROCESS) == ["Geagendeerd proces"]
    assert listed(caseworker_client, level=L.ADMINISTRATIVE) == ["Bestuurlijk open"]
    assert listed(caseworker_client, level=L.CASE) == ["Open casus"]
    assert listed(caseworker_client, category=Bottleneck.Category.REGULATION) == [
        "Bestuurlijk open"
    ]
    assert listed(caseworker_client, organisation=housing.pk) == [
        "Open casus",
        "Geagendeerd proces",
    ]
    assert listed(caseworker_client, organisation=uwv.pk, status="all") == [
        "Opgelost",
        "Geagendeerd proces",
    ]
    assert listed(caseworker_client, level=L.CASE, status="all") == [
        "Onoplosbaar",
        "Opgelost",
        "Open casus",
    ]


def test_an_unknown_filter_value_shows_the_default_list(caseworker_client, register):
    assert listed(caseworker_client, status="kapot", level="nergens") == [
        "Open casus",
        "Geagendeerd proces",
        "Bestuurlijk open",
    ]


def test_the_list_shows_the_age_in_days(caseworker_client, register):
    content = caseworker_client.get(LIST, {"status": "all"}).content.decode()

    with translation.override("nl"):
        for age in (30, 20, 12):
            assert (
                translation.ngettext("%(days)s day", "%(days)s days", age) % {"days": age}
                in content
            )
        # A closed bottleneck's age stops at the day it was closed: 40 - 5 days.
        assert translation.ngettext("%(days)s day", "%(days)s days", 35) % {"days": 35} in content
    assert register["resolved"].age_in_days() == 35


def test_htmx_filter_returns_only_the_results(caseworker_client, register):
    response = caseworker_client.get(LIST, {"level": L.PROCESS}, headers={"HX-Request": "true"})

    content = response.content.decode()
    assert content.strip().startswith('<div id="bottleneck-results"')
    assert "<html" not in content
    assert "Geagendeerd proces" in content
    assert "Open casus" not in content


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_query_count_does_not_grow(
    caseworker_client, team, caseworker, housing, uwv, django_assert_num_queries, count
):
    for number in range(count):
        bottleneck = raise_bottleneck(team, caseworker, title=f"Knelpunt {number}")
        bottleneck.organisations.add(housing, uwv)

    with django_assert_num_queries(LIST_QUERIES):
        response = caseworker_client.get(LIST)

    assert len(response.context["page"]) == count


# --- Where a bottleneck shows --------------------------------------------------------------------


def test_the_dossier_of_a_linked_trajectory_lists_the_bottleneck(
    caseworker_client, bottleneck, trajectory
):
    bottleneck.trajectories.add(trajectory)

    response = caseworker_client.get(reverse("cases:client-detail", args=[trajectory.client_id]))

    content = response.content.decode()
    assert f'href="{detail(bottleneck)}"' in content
    assert "Wachtlijst beschermd wonen" in content


def test_the_dossier_of_an_unlinked_trajectory_does_not_list_the_bottleneck(
    caseworker_client, bottleneck, trajectory
):
    response = caseworker_client.get(reverse("cases:client-detail", args=[trajectory.client_id]))

    assert f'href="{detail(bottleneck)}"' not in response.content.decode()


def test_a_colleague_of_the_same_team_sees_and_changes_the_bottleneck(colleague, bottleneck):
    browser = HttpClient()
    browser.force_login(colleague)

    assert browser.get(detail(bottleneck)).status_code == 200
    escalate(browser, bottleneck, to=L.PROCESS, note="Ik neem het mee.")

    bottleneck.refresh_from_db()
    assert bottleneck.level == L.PROCESS
    assert bottleneck.events.get(kind=BottleneckEvent.Kind.ESCALATED).by == colleague


# --- BI-3: free text is escaped ------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_free_text_is_escaped_on_the_list_and_the_detail(caseworker_client, team, caseworker):
    bottleneck = raise_bottleneck(
        team, caseworker, title=f"Titel {SCRIPT}", description=f"Omschrijving {SCRIPT}"
    )
    change_status(
        caseworker_client, bottleneck, to=S.RESOLVED, note=SCRIPT, resolution=f"Besluit {SCRIPT}"
    )
    bottleneck.refresh_from_db()
    assert bottleneck.resolution == f"Besluit {SCRIPT}"

    for page in (
        caseworker_client.get(LIST, {"status": "all"}),
        caseworker_client.get(detail(bottleneck)),
    ):
        content = page.content.decode()
        assert SCRIPT not in content
        assert ESCAPED in content
    detail_content = caseworker_client.get(detail(bottleneck)).content.decode()
    # Title, description, resolution and the history note: each escaped.
    assert detail_content.count(ESCAPED) >= 4
