"""The caseload: the team's young people with what is due, own young people first."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape, strip_tags

from audit.models import AccessLogEntry
from cases.models import Trajectory
from tests.factories import (
    ClientFactory,
    ContactFactory,
    TrajectoryFactory,
    days,
    years_ago,
)

pytestmark = pytest.mark.django_db

CASELOAD = reverse("cases:caseload")
BSN = "123456782"
# Session, user, MFA check, count, team caseworkers, the page of clients, team,
# the caseworker filter's options, the access log line (one for the page, not one per
# row), the inbox's unread count and the session save.
QUERIES = 13


def young_person(team, caseworker, first_name, last_name, *, contact_days_ago=None, **kwargs):
    """A client of `team` with an open trajectory, optionally with a last contact."""
    client_kwargs = {
        key.removeprefix("client__"): value
        for key, value in kwargs.items()
        if key.startswith("client__")
    }
    trajectory_kwargs = {
        key: value for key, value in kwargs.items() if not key.startswith("client__")
    }
    trajectory = TrajectoryFactory(
        client=ClientFactory(
            team=team, first_name=first_name, last_name=last_name, **client_kwargs
        ),
        caseworker=caseworker,
        **trajectory_kwargs,
    )
    if contact_days_ago is not None:
        ContactFactory(trajectory=trajectory, date=days(-contact_days_ago))
    return trajectory.client


def names(response) -> list[str]:
    return [row["client"].last_name for row in response.context["rows"]]


def row_html(content: str, client) -> str:
    """The table row of one client."""
    href = f'href="{reverse("cases:client-detail", args=[client.pk])}"'
    rows = [row for row in re.findall(r"<tr>(.*?)</tr>", content, re.S) if href in row]
    assert len(rows) == 1, f"{client} should be in exactly one row"
    return rows[0]


def cells(row: str) -> list[str]:
    """Age, status, release, last contact, release readiness, next action, caseworker."""
    return re.findall(r"<td>(.*?)</td>", row, re.S)


# --- Order and content of the rows ------------------------------------------------------------


def test_own_young_people_come_first_then_the_rest_of_the_team(
    caseworker_client, team, caseworker, colleague
):
    young_person(team, colleague, "Anna", "Aalders")
    young_person(team, caseworker, "Zeger", "Zwart")
    young_person(team, caseworker, "Mees", "Mulder")

    response = caseworker_client.get(CASELOAD)

    assert response.status_code == 200
    assert names(response) == ["Mulder", "Zwart", "Aalders"]
    content = response.content.decode()
    assert content.index("Mees Mulder") < content.index("Zeger Zwart")
    assert content.index("Zeger Zwart") < content.index("Anna Aalders")


def test_a_row_shows_name_age_status_days_since_release_last_contact_and_caseworker(
    caseworker_client, team, caseworker
):
    rosa = young_person(
        team,
        caseworker,
        "Rosa",
        "Rijnders",
        contact_days_ago=4,
        status=Trajectory.Status.AFTERCARE,
        actual_release=days(-33),
        client__date_of_birth=years_ago(23, days=10),
    )

    response = caseworker_client.get(CASELOAD)

    row = row_html(response.content.decode(), rosa)
    assert "Rosa Rijnders" in row
    age, status, release, last_contact, _readiness, _next_action, _next_moment, who = cells(row)
    assert age.strip() == "23"
    assert 'class="rio-status rio-status--aftercare"' in status
    assert re.search(r"\b33\b", strip_tags(release))
    assert days(-4).strftime("%d-%m-%Y") in last_contact
    assert escape(str(caseworker)) in who
    assert response.context["rows"][0]["days_since_release"] == 33


def test_a_row_shows_days_to_an_expected_release_with_its_date(
    caseworker_client, team, caseworker, colleague
):
    daan = young_person(
        team, colleague, "Daan", "Dekker", contact_days_ago=2, expected_release=days(12)
    )

    response = caseworker_client.get(CASELOAD)

    row = row_html(response.content.decode(), daan)
    age, status, release, last_contact, _readiness, _next_action, _next_moment, who = cells(row)
    assert age.strip() == "21"
    assert 'class="rio-status rio-status--detention"' in status
    release_date = days(12).strftime("%d-%m-%Y")
    assert release_date in release
    assert re.search(r"\b12\b", strip_tags(release).replace(release_date, ""))
    assert days(-2).strftime("%d-%m-%Y") in last_contact
    assert escape(str(colleague)) in who
    assert response.context["rows"][0]["days_to_release"] == 12


def test_no_contact_for_more_than_30_days_is_flagged(caseworker_client, team, caseworker):
    silent = young_person(team, caseworker, "Stijn", "Stil", contact_days_ago=40)
    recent = young_person(team, caseworker, "Rik", "Recent", contact_days_ago=10)

    content = caseworker_client.get(CASELOAD).content.decode()

    assert "rio-flag--no-contact" in row_html(content, silent)
    assert "rio-flag--no-contact" not in row_html(content, recent)


# --- Search and filters -----------------------------------------------------------------------


@pytest.fixture
def three(team, caseworker, colleague):
    """Three young people with different status, caseworker, age, release and contact."""
    return {
        "Aalders": young_person(
            team,
            colleague,
            "Anna",
            "Aalders",
            contact_days_ago=20,
            expected_release=days(50),
            client__date_of_birth=years_ago(25),
        ),
        "Mulder": young_person(
            team,
            caseworker,
            "Mees",
            "Mulder",
            contact_days_ago=2,
            status=Trajectory.Status.AFTERCARE,
            actual_release=days(-30),
            client__date_of_birth=years_ago(19),
        ),
        "Zwart": young_person(
            team,
            caseworker,
            "Zeger",
            "Zwart",
            registered=True,
            expected_release=days(5),
            client__date_of_birth=years_ago(22),
        ),
    }


@pytest.mark.parametrize("query", ["Zwart", "zwa", "Zeger", "zeger zwart"])
def test_search_finds_by_first_or_last_name(caseworker_client, three, query):
    response = caseworker_client.get(CASELOAD, {"q": query})

    assert names(response) == ["Zwart"]
    assert "Zeger Zwart" in response.content.decode()
    assert "Aalders" not in response.content.decode()


BSN_SEARCH = reverse("cases:client-search-bsn")


@pytest.mark.parametrize("typed", [BSN, "1234 56 782", "1234.56.782"])
def test_search_by_the_exact_bsn_opens_the_dossier(
    caseworker_client, team, caseworker, three, typed
):
    bsn_client = young_person(team, caseworker, "Bo", "Burger", client__with_bsn=True)

    response = caseworker_client.post(BSN_SEARCH, {"bsn": typed})

    assert response.status_code == 302
    assert response["Location"] == reverse("cases:client-detail", args=[bsn_client.pk])


def test_a_valid_bsn_nobody_has_finds_nothing(caseworker_client, team, caseworker, three):
    young_person(team, caseworker, "Bo", "Burger", client__with_bsn=True)

    response = caseworker_client.post(BSN_SEARCH, {"bsn": "111222333"}, follow=True)

    assert response.redirect_chain[-1][0] == CASELOAD
    assert "Burger" in response.content.decode()  # the caseload again, not a dossier
    assert len(list(response.context["messages"])) == 1


@pytest.mark.parametrize("partial", ["12345678", "23456782", "6782", "782"])
def test_search_by_part_of_a_bsn_finds_nothing(caseworker_client, team, caseworker, three, partial):
    young_person(team, caseworker, "Bo", "Burger", client__with_bsn=True)

    response = caseworker_client.post(BSN_SEARCH, {"bsn": partial})
    assert response["Location"] == CASELOAD

    response = caseworker_client.get(CASELOAD, {"q": partial})
    assert response.context["rows"] == []
    assert "Burger" not in response.content.decode()


def test_the_bsn_search_only_takes_post(caseworker_client):
    assert caseworker_client.get(BSN_SEARCH, {"bsn": BSN}).status_code == 405


def test_a_bsn_search_is_logged_without_the_bsn(caseworker_client, team, caseworker):
    bsn_client = young_person(team, caseworker, "Bo", "Burger", client__with_bsn=True)

    caseworker_client.post(BSN_SEARCH, {"bsn": BSN})

    entry = AccessLogEntry.objects.get()
    assert entry.action == AccessLogEntry.Action.SEARCH
    assert entry.client_ref == bsn_client.pk
    assert entry.result == "found"
    assert BSN not in entry.what


@pytest.mark.parametrize("params", [{}, {"q": "Burger"}, {"status": "detention"}])
def test_the_bsn_never_appears_in_the_caseload(caseworker_client, team, caseworker, params):
    young_person(team, caseworker, "Bo", "Burger", client__with_bsn=True)

    for headers in ({}, {"HX-Request": "true"}):
        content = caseworker_client.get(CASELOAD, params, headers=headers).content.decode()

        assert "Bo Burger" in content
        assert BSN not in content
        assert "******782" not in content


def test_filter_by_status(caseworker_client, three):
    response = caseworker_client.get(CASELOAD, {"status": Trajectory.Status.AFTERCARE})

    assert names(response) == ["Mulder"]
    assert "Aalders" not in response.content.decode()


def test_filter_by_caseworker(caseworker_client, three, colleague):
    response = caseworker_client.get(CASELOAD, {"caseworker": colleague.pk})

    assert names(response) == ["Aalders"]
    assert "Zwart" not in response.content.decode()


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("", ["Mulder", "Zwart", "Aalders"]),
        ("name", ["Aalders", "Mulder", "Zwart"]),
        ("-name", ["Zwart", "Mulder", "Aalders"]),
        ("age", ["Mulder", "Zwart", "Aalders"]),
        ("release", ["Mulder", "Zwart", "Aalders"]),
        # Never contacted at all is the longest without contact.
        ("contact", ["Zwart", "Aalders", "Mulder"]),
    ],
)
def test_sort_options(caseworker_client, three, sort, expected):
    response = caseworker_client.get(CASELOAD, {"sort": sort})

    assert names(response) == expected
    content = response.content.decode()
    positions = [content.index(f"{three[name].full_name}</a>") for name in expected]
    assert positions == sorted(positions)


# --- Pagination, htmx, logging and queries --------------------------------------------------


def many(team, caseworker, colleague, count: int) -> None:
    for number in range(count):
        young_person(
            team,
            caseworker if number % 2 else colleague,
            f"Voornaam{number:02d}",
            f"Achternaam{number:02d}",
            contact_days_ago=number + 1,
        )


def test_the_caseload_is_paginated_by_25(caseworker_client, settings, team, caseworker, colleague):
    assert settings.CASELOAD_PAGE_SIZE == 25
    many(team, caseworker, colleague, 30)

    first = caseworker_client.get(CASELOAD, {"status": "detention"})
    second = caseworker_client.get(CASELOAD, {"status": "detention", "page": 2})

    assert len(first.context["rows"]) == 25
    assert len(second.context["rows"]) == 5
    assert first.context["page"].paginator.count == 30
    assert len(set(names(first)) | set(names(second))) == 30
    assert 'href="?status=detention&amp;page=2"' in first.content.decode()
    assert 'href="?status=detention&amp;page=1"' in second.content.decode()


def test_an_htmx_request_gets_only_the_results(caseworker_client, three):
    response = caseworker_client.get(CASELOAD, {"q": "Zwart"}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    content = response.content.decode()
    assert content.strip().startswith('<div id="caseload-results"')
    assert "<html" not in content
    assert 'role="search"' not in content
    assert "Zeger Zwart" in content
    assert "Aalders" not in content


@pytest.mark.parametrize("query", ["Zwart", "Zeger"])
def test_a_search_is_logged_without_the_search_text(caseworker_client, caseworker, three, query):
    caseworker_client.get(CASELOAD, {"q": query})

    entry = AccessLogEntry.objects.get()
    assert entry.action == AccessLogEntry.Action.SEARCH
    assert entry.user == caseworker
    assert entry.client_ref is None
    assert query.lower() not in entry.what.lower()
    assert "Zwart" not in entry.what


@pytest.mark.parametrize("count", [3, 30])
def test_the_number_of_queries_does_not_grow_with_the_caseload(
    caseworker_client, team, caseworker, colleague, django_assert_num_queries, count
):
    many(team, caseworker, colleague, count)

    with django_assert_num_queries(QUERIES):
        response = caseworker_client.get(CASELOAD)

    assert len(response.context["rows"]) == min(count, 25)


# --- The latest trajectory, found once per row (issue 13) -------------------------------------


def test_a_row_shows_the_latest_trajectory_not_an_older_one(caseworker_client, team, caseworker):
    """The older trajectory is closed, the latest one is in aftercare with its own
    caseworker and contacts: the row is the latest one's."""
    sam = ClientFactory(team=team, first_name="Sam", last_name="Smit")
    TrajectoryFactory(client=sam, caseworker=caseworker, closed=True, started_on=days(-900))
    latest = TrajectoryFactory(client=sam, caseworker=caseworker, released=True)
    ContactFactory(trajectory=latest, date=days(-45))

    response = caseworker_client.get(CASELOAD)

    [row] = response.context["rows"]
    assert (row["status_code"], row["is_open"]) == (Trajectory.Status.AFTERCARE, True)
    assert row["last_contact"] == days(-45)
    assert row["no_contact_warning"] is True
    assert row["days_since_release"] == 30


def test_a_young_person_without_a_trajectory_is_listed_under_all(caseworker_client, team):
    ClientFactory(team=team, first_name="Nina", last_name="Nooit")

    assert caseworker_client.get(CASELOAD).context["rows"] == []
    [row] = caseworker_client.get(CASELOAD, {"status": "all"}).context["rows"]
    assert (row["client"].last_name, row["status_code"], row["is_open"]) == ("Nooit", "", False)
    assert row["last_contact"] is None


def test_the_latest_trajectory_is_looked_up_once_in_the_caseloads_query(
    caseworker_client, three, django_assert_num_queries
):
    """Each column once searched for the latest trajectory again: about twelve times a
    row, which priced the query above PostgreSQL's JIT threshold at national size."""
    with django_assert_num_queries(QUERIES) as queries:
        caseworker_client.get(CASELOAD, {"sort": "contact"})

    [page] = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT "cases_client"."id"') and "LIMIT" in q["sql"]
    ]
    assert page.count('ORDER BY U0."started_on" DESC') == 1
