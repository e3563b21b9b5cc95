"""The managers' dashboard through HTTP: who sees what, suppression, no client data."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings

from audit.models import AccessLogEntry
from cases.models import Trajectory
from lifedomains.models import Assessment, ReadinessItem
from partners.models import Bottleneck, Involvement, Organisation, PartnerRequest, SharingBasis
from tests.factories import (
    ContactFactory,
    TeamFactory,
    TrajectoryFactory,
    UserFactory,
)
from tests.reports.conftest import FILTER_INPUT, long_date

pytestmark = pytest.mark.django_db

URL = reverse("reports:index")
YEAR_2025 = {"year": "2025"}


def table_html(content: str, key: str) -> str:
    return re.search(rf'<table class="rio-table" id="{key}".*?</table>', content, re.S).group(0)


def rows(content: str, key: str) -> list[list[str]]:
    """The text of each body and footer row of one table."""
    found = []
    for row in re.findall(r"<tr>(.*?)</tr>", table_html(content, key), re.S):
        cells = [
            re.sub(r"\s+", " ", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        found.append(cells)
    return found[1:]


def test_manager_sees_their_municipality_beside_the_country(manager_client, year_2025):
    response = manager_client.get(URL, YEAR_2025)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Cijfers voor Dordrecht, 1 januari 2025 tot en met 31 december 2025." in content
    assert '<th scope="col">Nederland</th>' in content
    # The rest of the country is only M (Rotterdam): 8 of 9 beside the national 9 would
    # give M away, so where the rest is 1 to 4 the national figure is hidden.
    assert rows(content, "started") == [["Gestart in de periode", "8", "verborgen"]]
    assert rows(content, "status") == [
        ["Aanmelding", "&lt;5", "verborgen"],
        ["In detentie", "&lt;5", "&lt;5"],
        ["Nazorg", "&lt;5", "&lt;5"],
        ["Afgesloten", "&lt;5", "&lt;5"],
        ["Totaal", "10", "verborgen"],
    ]


def test_the_country_is_shown_where_the_rest_of_it_is_five_or_more(
    manager_client, year_2025, other_team
):
    for day in range(5):
        TrajectoryFactory(
            client__team=other_team,
            started_on=datetime.date(2025, 6, 1 + day),
            status=Trajectory.Status.REGISTERED,
            detention_start=None,
            expected_release=None,
        )
    content = manager_client.get(URL, YEAR_2025).content.decode()
    # M and these five: the rest of the country is 6.
    assert rows(content, "started") == [["Gestart in de periode", "8", "14"]]
    assert rows(content, "status")[0] == ["Aanmelding", "&lt;5", "10"]


def test_every_id_on_the_page_is_unique_and_the_contents_link_to_each_indicator(
    manager_client, year_2025
):
    content = manager_client.get(URL, YEAR_2025).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', content)
    assert len(ids) == len(set(ids))
    sections = re.findall(r'<section class="rio-section" id="([^"]+)"', content)
    assert len(sections) == 8
    for section in sections:
        assert f'href="#{section}"' in content


def test_the_page_shows_starting_on_time_and_readiness_on_the_day_of_release(
    manager_client, year_2025
):
    content = manager_client.get(URL, YEAR_2025).content.decode()
    assert (
        '<h2 class="utrecht-heading-2" id="indicator-timing-heading">Op tijd begonnen</h2>'
        in content
    )
    assert '<h2 class="utrecht-heading-2" id="indicator-release-readiness-heading">' in content
    # Of the year's data only D (Dordrecht) and F were released in 2025: too few to show.
    assert rows(content, "timing") == [
        ["Begeleiding gestart vóór ontslag", "–", "–"],
        ["T0-meting vóór ontslag", "–", "–"],
    ]
    assert rows(content, "first-contact") == [["Mediaan aantal dagen", "–", "–"]]
    assert rows(content, "release-readiness")[-1] == ["Alle vijf basisvoorwaarden", "–", "–"]
    assert len(rows(content, "readiness-six-months")) == 6
    assert "Van de trajecten waarvan de jongere in de periode uit detentie is ontslagen" in content
    for key in ("timing", "release-readiness", "readiness-six-months"):
        assert f'id="{key}-chart"' in content
    assert 'id="first-contact-chart"' not in content


def test_manager_of_another_municipality_does_not_count_dordrecht(
    client, year_2025, other_municipality
):
    client.force_login(UserFactory(manager=True, municipality=other_municipality))
    content = client.get(URL, YEAR_2025).content.decode()
    assert "Cijfers voor Rotterdam" in content
    # Rotterdam has only M; Dordrecht's trajectories count in the national column only.
    assert rows(content, "started") == [["Gestart in de periode", "&lt;5", "9"]]
    assert rows(content, "status")[-1] == ["Totaal", "&lt;5", "11"]
    assert "RIO Dordrecht" not in content


def test_manager_chooses_a_team_of_their_municipality(manager_client, year_2025, team):
    content = manager_client.get(URL, {**YEAR_2025, "team": team.pk}).content.decode()
    assert "Cijfers voor RIO Dordrecht (Dordrecht)" in content
    assert rows(content, "started") == [["Gestart in de periode", "8", "verborgen"]]


def test_manager_cannot_choose_a_team_of_another_municipality(
    manager_client, year_2025, other_team
):
    response = manager_client.get(URL, {**YEAR_2025, "team": other_team.pk})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Selecteer een geldige keuze" in content
    assert '<table class="rio-table"' not in content


def test_manager_cannot_choose_another_municipality(manager_client, year_2025, other_municipality):
    content = manager_client.get(
        URL, {**YEAR_2025, "municipality": other_municipality.pk}
    ).content.decode()
    assert "Cijfers voor Dordrecht" in content
    assert 'name="municipality"' not in content


def test_admin_sees_the_whole_country_by_default(admin_client, year_2025):
    content = admin_client.get(URL, YEAR_2025).content.decode()
    assert "Cijfers voor Nederland" in content
    # One column: the whole country is not compared with itself.
    assert rows(content, "started") == [["Gestart in de periode", "9"]]
    assert table_html(content, "started").count('<th scope="col">Nederland</th>') == 1


def test_admin_chooses_a_municipality(admin_client, year_2025, other_municipality):
    content = admin_client.get(
        URL, {**YEAR_2025, "municipality": other_municipality.pk}
    ).content.decode()
    assert "Cijfers voor Rotterdam" in content
    assert rows(content, "started") == [["Gestart in de periode", "&lt;5", "9"]]


def test_admin_chooses_a_team_only_with_its_municipality(
    admin_client, year_2025, team, other_municipality
):
    content = admin_client.get(URL, {**YEAR_2025, "team": team.pk}).content.decode()
    assert "Kies eerst de gemeente van dit team." in content
    content = admin_client.get(
        URL, {**YEAR_2025, "team": team.pk, "municipality": other_municipality.pk}
    ).content.decode()
    assert "Dit team hoort niet bij de gekozen gemeente." in content


@pytest.mark.parametrize("fixture", ["caseworker_client", "other_caseworker_client"])
def test_caseworker_gets_404(request, fixture):
    assert request.getfixturevalue(fixture).get(URL).status_code == 404


def test_small_numbers_are_shown_as_less_than_five_and_one_more_is_hidden(
    manager_client, year_2025
):
    content = manager_client.get(URL, YEAR_2025).content.decode()
    caseworkers = rows(content, "caseworkers")
    # 7 and 2 open trajectories: 2 is below 5, so 7 is hidden as well; the total stays.
    assert sorted(row[1] for row in caseworkers[:-1]) == ["&lt;5", "verborgen"]
    assert caseworkers[-1] == ["Totaal", "9"]
    # The country adds one young person of Rotterdam: too few to show its mean beside ours.
    assert rows(content, "caseworker-mean") == [["Gemiddeld per RIO", "4,5", "–"]]


def test_no_client_data_reaches_the_dashboard(client, personal_data):
    for user in (personal_data.manager, personal_data.admin):
        client.force_login(user)
        content = client.get(URL).content.decode()
        assert '<table class="rio-table"' in content
        personal_data.assert_absent_from(content)


def test_every_view_of_the_dashboard_is_logged(manager_client, manager):
    manager_client.get(URL)
    manager_client.get(URL, {"year": "x"})
    entries = AccessLogEntry.objects.filter(user=manager)
    assert [(entry.action, entry.what, entry.client_ref) for entry in entries] == [
        ("view", "dashboard", None),
        ("view", "dashboard", None),
    ]


def chain_facts(trajectories) -> None:
    """Per trajectory a partner with a legal basis, an answered request, a bottleneck."""
    for trajectory in trajectories:
        partner = Organisation.objects.create(name=f"Partner {trajectory.pk}", kind="probation")
        Involvement.objects.create(trajectory=trajectory, organisation=partner, role="begeleider")
        SharingBasis.objects.create(
            trajectory=trajectory, organisation=partner, basis="consent", scope=["care"]
        )
        PartnerRequest.objects.create(
            trajectory=trajectory,
            organisation=partner,
            domain="housing",
            question="Vraag",
            asked_on=trajectory.started_on,
            answered_on=trajectory.started_on,
            answer="Antwoord",
        )
        Bottleneck.objects.create(
            team=trajectory.client.team, title="Knelpunt", description="Tekst", category="other"
        )


@pytest.mark.parametrize("size", [3, 30])
def test_the_dashboard_query_count_does_not_grow(
    manager_client, team, other_team, size, django_assert_num_queries
):
    chain_facts(TrajectoryFactory.create_batch(size, client__team=team))
    TrajectoryFactory.create_batch(size, client__team=other_team, closed=True)
    # Released in the period, with contacts, a T0 and a checklist with its history.
    for trajectory in TrajectoryFactory.create_batch(size, client__team=team, released=True):
        ContactFactory.create_batch(2, trajectory=trajectory)
        Assessment.objects.create(
            trajectory=trajectory, moment=Assessment.Moment.T0, date=trajectory.started_on
        )
        for item in ReadinessItem.BASIC:
            ReadinessItem.objects.create(
                trajectory=trajectory, item=item, status=ReadinessItem.Status.ARRANGED
            )
    # session, user, TOTP check, the municipality, the teams to choose from, the counts,
    # the caseworkers, their mean, the municipalities of settlement, starting on time,
    # readiness on and after the day of release, the life-domain scores, the follow-up
    # moments, the contacts after release, new detention per year of release, the
    # bottlenecks, the requests to partners, the legal bases of the partners involved,
    # the access log line, and the session save (with its savepoint).
    with django_assert_num_queries(22):
        response = manager_client.get(URL)
    assert response.status_code == 200


@pytest.mark.parametrize("size", [3, 30])
def test_the_admin_dashboard_query_count_does_not_grow(
    admin_client, municipality, size, django_assert_num_queries
):
    for team in TeamFactory.create_batch(2, municipality=municipality):
        chain_facts(TrajectoryFactory.create_batch(size, client__team=team))
    # As the manager's, less the manager's municipality, plus the municipalities to choose
    # from and the chosen one.
    with django_assert_num_queries(23):
        response = admin_client.get(URL, {"municipality": municipality.pk})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ({"start": "2025-06-01", "end": "2025-01-01"}, "De einddatum ligt voor de begindatum."),
        ({"start": "1899-01-01"}, "Kies een datum van 1 januari 2000 tot en met"),
        ({"end": "9999-12-31"}, "Kies een datum van 1 januari 2000 tot en met"),
        ({"start": "31-02-2025"}, "Voer een geldige datum in."),
        ({"year": "1999"}, "Zorg ervoor dat deze waarde minstens 2000 is."),
        ({"year": "99999999999999999999"}, "Zorg ervoor dat deze waarde hoogstens"),
        ({"year": "twee"}, "Voer een geheel getal in."),
        ({"quarter": "2"}, "Kies het jaar van dit kwartaal."),
        ({"quarter": "5", "year": "2025"}, "Selecteer een geldige keuze"),
        ({"year": "2025", "start": "2025-01-01"}, "Kies een jaar of twee datums, niet allebei."),
        ({"team": "abc"}, "Selecteer een geldige keuze"),
    ],
)
def test_bad_filters_give_a_dutch_error(manager_client, query, error):
    response = manager_client.get(URL, query)
    assert response.status_code == 200
    assert error in response.content.decode()


def test_a_quarter_and_a_free_range_choose_the_period(manager_client, year_2025):
    content = manager_client.get(URL, {"year": "2025", "quarter": "1"}).content.decode()
    assert "1 januari 2025 tot en met 31 maart 2025" in content
    # A B D K started in the first quarter.
    assert rows(content, "started") == [["Gestart in de periode", "&lt;5", "&lt;5"]]
    content = manager_client.get(URL, {"start": "2025-01-01", "end": "2025-12-31"}).content.decode()
    assert rows(content, "started") == [["Gestart in de periode", "8", "verborgen"]]


def test_the_default_period_is_the_last_twelve_months(manager_client):
    today = timezone.localdate()
    try:
        start = today.replace(year=today.year - 1) + datetime.timedelta(days=1)
    except ValueError:  # 29 February: a year back is 28 February
        start = today.replace(year=today.year - 1, day=28) + datetime.timedelta(days=1)
    content = manager_client.get(URL).content.decode()
    assert f"Cijfers voor Dordrecht, {long_date(start)} tot en met {long_date(today)}." in content


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(FILTER_INPUT)
def test_random_filter_input_never_gives_a_server_error(admin_client, query):
    assert admin_client.get(URL, query).status_code == 200
