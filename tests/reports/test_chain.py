"""Indicator 8, the chain, against figures worked out by hand.

Today is 15 June 2026, the period 2025, the scope the municipality of Dordrecht
(two teams: RIO Dordrecht and Dordrecht-Zuid); Rotterdam counts only nationally.

Bottlenecks (level, category, status today, raised → closed, days):

| | team | level | category | status | raised → closed | in the figures |
| --- | --- | --- | --- | --- | --- | --- |
| b1-b3 | Dordrecht | casus | capacity | open | | open |
| b4 | Dordrecht | proces | regulation | on the agenda | | on the agenda |
| b5 | Dordrecht | casus | capacity | resolved | 2025-01-01 → 01-11 (10) | resolved |
| b6 | Dordrecht | casus | capacity | resolved | 2025-02-01 → 02-21 (20) | resolved |
| b7 | Dordrecht | casus | capacity | resolved | 2025-03-01 → 03-31 (30) | resolved |
| b8 | Dordrecht | casus | capacity | resolved | 2025-04-01 → 05-11 (40) | resolved |
| b9 | Dordrecht | casus | capacity | resolved | 2024-12-01 → 2025-03-11 (100) | resolved |
| b10 | Dordrecht | bestuurlijk | funding | resolved | 2025-06-01 → 06-08 (7) | resolved |
| b11 | Dordrecht | casus | capacity | resolved | closed 2026-01-05 | after the period |
| b12 | Dordrecht | casus | capacity | resolved | closed 2024-12-31 | before the period |
| b13 | Dordrecht | casus | capacity | cannot be resolved | closed 2025-07-01 | not resolved |
| b14 | Dordrecht-Zuid | casus | collaboration | open | | open |
| b15-b16 | Rotterdam | bestuurlijk | information | open | | national only |
| b17 | Rotterdam | proces | other | resolved | 2025-01-01 → 01-03 (2) | national only |

By level, Dordrecht: open 4 / 0 / 0, on the agenda 0 / 1 / 0, resolved 5 / 0 / 1;
median days casus 30 (10 20 30 40 100), all six 25 (between 20 and 30).
The country: open 4 / 0 / 2, resolved 5 / 1 / 1, median of all seven 20.

Requests answered in 2025 (days from question to answer): Reclassering 1 2 3 4 10
(Dordrecht) and 20 (Rotterdam); housing 7 (Dordrecht); UWV 5 (Rotterdam). Not
counted: answered 2024-12-31, answered 2026-01-02, not answered.

Legal bases today of the partners involved in open trajectories: see
`test_partners_without_a_valid_basis_are_counted_by_state`.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from lifedomains.domains import Regie
from partners.models import Bottleneck, Involvement, Organisation, PartnerRequest, SharingBasis
from reports import indicators
from reports.indicators import Period, Scope, chain
from tests.factories import TeamFactory, TrajectoryFactory
from tests.reports.test_dashboard import URL, rows

pytestmark = pytest.mark.django_db

D = datetime.date
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
YEAR = Period(start=D(2025, 1, 1), end=D(2025, 12, 31))
TODAY = D(2026, 6, 15)
S = Bottleneck.Status
C = Bottleneck.Category


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 15, 12, 0, tzinfo=AMSTERDAM), tick=False)


def cells(table):
    return [(row.label, *(str(cell) for cell in row.cells)) for row in table.rows]


def total(table):
    return tuple(str(cell) for cell in table.total.cells)


# --- Bottlenecks -------------------------------------------------------------------------------


def bottleneck(team, level, category, status=S.OPEN, raised=None, closed=None):
    return Bottleneck.objects.create(
        team=team,
        title="Wachtlijst voor Jan Jansen",
        description="Geheime omschrijving",
        category=category,
        level=level,
        status=status,
        raised_on=raised or D(2025, 1, 1),
        closed_on=closed,
        resolution="Geheime oplossing" if closed else "",
    )


@pytest.fixture
def south(municipality):
    return TeamFactory(name="Dordrecht-Zuid", municipality=municipality)


@pytest.fixture
def bottlenecks(team, south, other_team):
    for _ in range(3):
        bottleneck(team, Regie.CASE, C.CAPACITY)
    bottleneck(team, Regie.PROCESS, C.REGULATION, S.SCHEDULED)
    for raised, closed in [
        (D(2025, 1, 1), D(2025, 1, 11)),
        (D(2025, 2, 1), D(2025, 2, 21)),
        (D(2025, 3, 1), D(2025, 3, 31)),
        (D(2025, 4, 1), D(2025, 5, 11)),
        (D(2024, 12, 1), D(2025, 3, 11)),
    ]:
        bottleneck(team, Regie.CASE, C.CAPACITY, S.RESOLVED, raised, closed)
    bottleneck(team, Regie.ADMINISTRATIVE, C.FUNDING, S.RESOLVED, D(2025, 6, 1), D(2025, 6, 8))
    bottleneck(team, Regie.CASE, C.CAPACITY, S.RESOLVED, D(2025, 11, 1), D(2026, 1, 5))
    bottleneck(team, Regie.CASE, C.CAPACITY, S.RESOLVED, D(2024, 11, 1), D(2024, 12, 31))
    bottleneck(team, Regie.CASE, C.CAPACITY, S.UNSOLVABLE, D(2025, 1, 1), D(2025, 7, 1))
    bottleneck(south, Regie.CASE, C.COLLABORATION)
    for _ in range(2):
        bottleneck(other_team, Regie.ADMINISTRATIVE, C.INFORMATION)
    bottleneck(other_team, Regie.PROCESS, C.OTHER, S.RESOLVED, D(2025, 1, 1), D(2025, 1, 3))


def test_bottlenecks_by_level_open_today_and_resolved_in_the_period(bottlenecks, municipality):
    with translation.override("nl"):
        table = indicators.dashboard(Scope(municipality=municipality), YEAR).table(
            "bottlenecks-level"
        )
    assert table.columns == (
        "Open vandaag, Dordrecht",
        "Open vandaag, Nederland",
        "Geagendeerd vandaag, Dordrecht",
        "Geagendeerd vandaag, Nederland",
        "Opgelost in de periode, Dordrecht",
        "Opgelost in de periode, Nederland",
        "Mediaan dagen tot opgelost, Dordrecht",
        "Mediaan dagen tot opgelost, Nederland",
    )
    # Open: 4 of Dordrecht, all casus, is below 5; resolved: the 1 bestuurlijk hides the
    # 5 casus too. The medians over 5 or more only: casus 30, all six 25, all seven 20.
    assert cells(table) == [
        ("Casus", "<5", "<5", "0", "0", "verborgen", "5", "30,0", "30,0"),
        ("Proces", "0", "0", "<5", "<5", "0", "<5", "–", "–"),
        ("Bestuurlijk", "0", "<5", "0", "0", "<5", "<5", "–", "–"),
    ]
    # The rest of the country (2 open, 1 resolved) is too small to show its totals and
    # median beside ours.
    assert total(table) == ("<5", "verborgen", "<5", "<5", "6", "verborgen", "25,0", "–")
    # The chart draws the counts of the scope.
    assert [dataset["label"] for dataset in table.chart_data()["datasets"]] == [
        "Open vandaag, Dordrecht",
        "Geagendeerd vandaag, Dordrecht",
        "Opgelost in de periode, Dordrecht",
    ]


def test_bottlenecks_by_category(bottlenecks, municipality):
    with translation.override("nl"):
        table = indicators.dashboard(Scope(municipality=municipality), YEAR).table(
            "bottlenecks-category"
        )
    assert [row[:3] + row[5:] for row in cells(table)] == [
        ("Samenwerking", "<5", "<5", "0", "0", "–", "–"),
        ("Regelgeving", "0", "0", "0", "0", "–", "–"),
        # Resolved: the 1 of funding hides the 5 of capacity, as by level.
        ("Capaciteit", "<5", "<5", "verborgen", "5", "30,0", "30,0"),
        ("Financiering", "0", "0", "<5", "<5", "–", "–"),
        ("Informatiedeling", "0", "<5", "0", "0", "–", "–"),
        ("Overig", "0", "0", "0", "<5", "–", "–"),
    ]


def test_a_team_counts_only_the_bottlenecks_it_raised(bottlenecks, municipality, team, south):
    found = chain.bottleneck_counts(Scope(municipality=municipality, team=south), YEAR)
    assert found["level"][Regie.CASE]["open_own"] == 1
    assert found["level"][None]["resolved_own"] == 0
    found = chain.bottleneck_counts(Scope(municipality=municipality, team=team), YEAR)
    assert found["level"][Regie.CASE]["open_own"] == 3
    assert found["level"][None]["resolved_own"] == 6
    assert found["level"][None]["days_own"] == 25.0
    assert found["level"][None]["open_all"] == 6


def test_the_national_scope_has_one_column_per_figure(bottlenecks):
    table = indicators.dashboard(Scope(), YEAR).table("bottlenecks-level")
    assert len(table.columns) == 4
    assert [str(cell) for cell in table.total.cells] == ["6", "<5", "7", "20,0"]


# --- Requests to partners ----------------------------------------------------------------------


@pytest.fixture
def requests(team, other_team, caseworker, other_caseworker):
    reclassering = Organisation.objects.create(name="Reclassering", kind="probation")
    housing = Organisation.objects.create(name="Woonkracht10", kind="housing")
    uwv = Organisation.objects.create(name="UWV", kind="uwv")
    ours = TrajectoryFactory(client__team=team, caseworker=caseworker, expected_release=None)
    theirs = TrajectoryFactory(
        client__team=other_team, caseworker=other_caseworker, expected_release=None
    )

    def ask(trajectory, organisation, asked, days=None):
        answered = None if days is None else asked + datetime.timedelta(days=days)
        PartnerRequest.objects.create(
            trajectory=trajectory,
            organisation=organisation,
            domain="housing",
            question="Geheime vraag",
            asked_on=asked,
            answered_on=answered,
            answer="Geheim antwoord" if answered else "",
        )

    for days in (1, 2, 3, 4, 10):
        ask(ours, reclassering, D(2025, 3, 1), days)
    ask(ours, housing, D(2025, 5, 1), 7)
    ask(theirs, reclassering, D(2025, 5, 1), 20)
    ask(theirs, uwv, D(2025, 6, 1), 5)
    ask(ours, reclassering, D(2024, 12, 20), 11)  # answered 2024-12-31
    ask(ours, reclassering, D(2025, 12, 30), 3)  # answered 2026-01-02
    ask(ours, housing, D(2025, 6, 1))  # not answered


def test_requests_answered_in_the_period_per_kind_of_organisation(requests, municipality):
    with translation.override("nl"):
        table = indicators.dashboard(Scope(municipality=municipality), YEAR).table(
            "partner-requests"
        )
    # Only the kinds that answered anywhere. Dordrecht's 1 housing request hides its 5
    # Reclassering requests; their median is 3, that of all six 3.5 (between 3 and 4).
    # The country: 1 2 3 4 10 20 → 3.5; all eight with 5 and 7 → 4.5.
    assert cells(table) == [
        # The country's 6 and its median would give away the one request elsewhere.
        ("Reclassering", "verborgen", "verborgen", "3,0", "–"),
        ("Woningcorporatie", "<5", "<5", "–", "–"),
        ("UWV", "0", "<5", "–", "–"),
    ]
    assert total(table) == ("6", "verborgen", "3,5", "–")


# --- Legal bases for sharing -------------------------------------------------------------------


@pytest.fixture
def involvements(team, other_team, caseworker, other_caseworker):
    """Today is 15 June 2026 and a basis expires soon within 30 days (until 15 July)."""
    ours = [
        TrajectoryFactory(client__team=team, caseworker=caseworker, expected_release=None)
        for _ in range(3)
    ]
    theirs = TrajectoryFactory(
        client__team=other_team, caseworker=other_caseworker, expected_release=None
    )
    closed = TrajectoryFactory(client__team=team, caseworker=caseworker, closed=True)
    made = iter(range(100))

    def partner(trajectory, *bases, **involvement):
        organisation = Organisation.objects.create(name=f"Partner {next(made)}", kind="other")
        Involvement.objects.create(
            trajectory=trajectory,
            organisation=organisation,
            role="begeleider",
            started_on=involvement.get("started_on", D(2026, 1, 1)),
            ended_on=involvement.get("ended_on"),
        )
        for basis in bases:
            SharingBasis.objects.create(
                trajectory=trajectory,
                organisation=organisation,
                basis=SharingBasis.Basis.CONSENT,
                scope=["care"],
                **{"valid_from": D(2026, 1, 1), **basis},
            )
        return organisation

    for index in range(5):
        partner(ours[index % 3], {})  # valid, no end
    partner(ours[0], {"valid_until": D(2026, 7, 16)})  # valid: 31 days left
    partner(  # an expired basis beside a valid one: valid
        ours[1], {"valid_from": D(2025, 1, 1), "valid_until": D(2025, 12, 31)}, {}
    )
    partner(ours[0], {"valid_until": D(2026, 7, 15)})  # expires soon: 30 days left
    partner(ours[1], {"valid_until": D(2026, 6, 15)})  # expires soon: the last day
    partner(ours[2], {"valid_from": D(2026, 6, 16)})  # not yet valid
    partner(ours[0], {"valid_until": D(2026, 6, 14)})  # expired yesterday
    partner(ours[1], {"valid_until": D(2026, 3, 1)}, {"valid_until": D(2026, 5, 1)})  # expired
    partner(ours[2], {"withdrawn_on": D(2026, 6, 15)})  # withdrawn today
    for index in range(5):
        partner(ours[index % 3])  # no basis
    # A basis for another partner on the same trajectory does not count for this one.
    elsewhere = partner(ours[0])
    SharingBasis.objects.create(
        trajectory=ours[1], organisation=elsewhere, basis="consent", scope=["care"]
    )
    partner(theirs)  # no basis, Rotterdam
    # Not counted: no longer involved, not yet involved, a closed trajectory.
    partner(ours[2], ended_on=D(2026, 6, 14))
    partner(ours[2], started_on=D(2026, 6, 16))
    partner(closed, started_on=closed.started_on)


def test_partners_without_a_valid_basis_are_counted_by_state(involvements, municipality):
    with translation.override("nl"):
        table = indicators.dashboard(Scope(municipality=municipality), YEAR).table("sharing-bases")
    assert cells(table) == [
        ("Geldig", "7", "7"),
        ("Verloopt binnenkort", "<5", "<5"),
        ("Nog niet geldig", "<5", "<5"),
        ("Verlopen", "<5", "<5"),
        ("Ingetrokken", "<5", "<5"),
        # Rotterdam's one partner without a basis is the rest of the country: hidden.
        ("Geen grondslag vastgelegd", "6", "verborgen"),
    ]
    assert total(table) == ("19", "verborgen")


# --- The page ----------------------------------------------------------------------------------


def test_the_page_shows_the_chain_without_any_title_or_text(
    manager_client, bottlenecks, requests, involvements
):
    content = manager_client.get(URL, {"year": "2025"}).content.decode()
    assert rows(content, "bottlenecks-level")[0] == [
        "Casus",
        "&lt;5",
        "&lt;5",
        "0",
        "0",
        "verborgen",
        "5",
        "30,0",
        "30,0",
    ]
    assert rows(content, "bottlenecks-category")[-1][0] == "Totaal"
    assert rows(content, "partner-requests")[0][0] == "Reclassering"
    assert rows(content, "sharing-bases")[-1] == ["Totaal", "19", "verborgen"]
    for secret in ("Jan Jansen", "Geheim", "Partner 1"):
        assert secret not in content
