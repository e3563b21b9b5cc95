"""The pseudonymised research export: functional admins only, one row per trajectory
started in the period, no personal data, no dates, unlinkable between exports.

The rows of Dordrecht in 2025 are `year_2025`'s trajectories started in 2025
(tests/reports/conftest.py): A B D F I J K L. Their age bands at the start,
from the conftest's table, in the bands of the dashboard:

| band | trajectories |
| --- | --- |
| 18_20 | A (18), B (20), K (20) |
| 21_23 | J (21) |
| 24_27 | D (24), F (27) |
| outside | I (28), L (17) |

One trajectory worked out by hand (`worked`), released on 1 June 2025:

| date | what | days from release |
| --- | --- | --- |
| 15 January 2025 | detention started | 16 (rest of January) + 28 + 31 + 30 + 31 + 1 = -137 |
| 1 February 2025 | guidance started | 28 + 31 + 30 + 31 = -120 |
| 5 February 2025 | a meeting with a partner only: not a contact with the young person | |
| 10 February 2025 | first contact with the young person | -120 + 9 = -111 |
| 1 December 2025 | ended (completed) | 30 + 31 + 31 + 30 + 31 + 30 = 183 |
"""

import csv
import datetime
import hashlib
import hmac
import io
import re
from collections import Counter

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings

from audit.models import AccessLogEntry
from cases.models import ContactMoment, Trajectory
from lifedomains.domains import Domain
from lifedomains.models import Assessment, DomainScore, ReadinessItem
from reports import research
from tests.factories import ClientFactory, ContactFactory, TrajectoryFactory, UserFactory
from tests.reports.conftest import FILTER_INPUT, long_date

pytestmark = pytest.mark.django_db

D = datetime.date
CSV = reverse("reports:research-export", args=["csv"])
XLSX = reverse("reports:research-export", args=["xlsx"])


def dordrecht_2025(municipality) -> dict:
    return {"year": "2025", "municipality": municipality.pk}


def read(response) -> list[dict]:
    content = b"".join(response.streaming_content)
    assert content.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


@pytest.fixture
def worked(team, caseworker):
    trajectory = TrajectoryFactory(
        client__team=team,
        caseworker=caseworker,
        status=Trajectory.Status.CLOSED,
        detention_start=D(2025, 1, 15),
        started_on=D(2025, 2, 1),
        expected_release=D(2025, 6, 1),
        actual_release=D(2025, 6, 1),
        ended_on=D(2025, 12, 1),
        end_reason=Trajectory.EndReason.COMPLETED,
        offences=[Trajectory.Offence.BURGLARY, Trajectory.Offence.VIOLENCE],
        client__lvb="yes",
    )
    ContactFactory(
        trajectory=trajectory, date=D(2025, 2, 5), with_whom=[ContactMoment.With.PARTNER]
    )
    ContactFactory(trajectory=trajectory, date=D(2025, 2, 10))
    ContactFactory(trajectory=trajectory, date=D(2025, 3, 10))
    t0 = Assessment.objects.create(trajectory=trajectory, moment="t0", date=D(2025, 2, 10))
    DomainScore.objects.create(assessment=t0, domain=Domain.HOUSING, score=2)
    DomainScore.objects.create(
        assessment=t0, domain=Domain.ADMIN, discussed=False, not_discussed_reason="Geen tijd"
    )
    release = Assessment.objects.create(trajectory=trajectory, moment="release", date=D(2025, 6, 1))
    DomainScore.objects.create(assessment=release, domain=Domain.HOUSING, score=4)
    interim = Assessment.objects.create(trajectory=trajectory, moment="interim", date=D(2025, 7, 1))
    DomainScore.objects.create(assessment=interim, domain=Domain.HOUSING, score=5)
    return trajectory


# --- Who may export ---------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", ["caseworker_client", "manager_client"])
@pytest.mark.parametrize("target", [CSV, XLSX])
def test_only_a_functional_admin_may_export(request, fixture, target):
    assert request.getfixturevalue(fixture).get(target).status_code == 404


def test_the_dashboard_links_the_research_export_for_admins_only(admin_client):
    assert (
        'href="/reports/research.csv?"'
        in admin_client.get(reverse("reports:index")).content.decode()
    )


def test_the_dashboard_does_not_link_it_for_managers(manager_client):
    assert "/reports/research" not in manager_client.get(reverse("reports:index")).content.decode()


def test_a_bad_filter_gives_the_page_with_a_dutch_error(admin_client):
    response = admin_client.get(CSV, {"year": "twee"})
    assert response.status_code == 400
    assert "Voer een geheel getal in." in response.content.decode()


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(FILTER_INPUT)
def test_random_filter_input_never_gives_a_server_error(admin_client, query):
    response = admin_client.get(CSV, query)
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert b"".join(response.streaming_content).startswith("\ufeffpseudonym".encode())


# --- The rows ---------------------------------------------------------------------------------


def test_one_row_per_trajectory_started_in_the_period_with_the_dashboards_age_bands(
    admin_client, year_2025, municipality
):
    response = admin_client.get(CSV, dordrecht_2025(municipality))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "rio-onderzoek-dordrecht-2025-01-01-2025-12-31.csv" in response["Content-Disposition"]
    rows = read(response)
    assert len(rows) == 8
    assert list(rows[0]) == list(research.HEADER)
    assert Counter(row["age_band"] for row in rows) == {
        "18_20": 3,
        "21_23": 1,
        "24_27": 2,
        "outside": 2,
    }
    assert Counter(row["lvb"] for row in rows) == {"unknown": 5, "yes": 1, "suspected": 1, "no": 1}
    assert Counter(row["end_reason"] for row in rows) == {"": 7, "moved": 1}
    # A: robbery and violence; B: none recorded; the other six the factory's street robbery.
    assert sum(int(row["offence_street_robbery"]) for row in rows) == 6
    assert sum(int(row["offence_robbery"]) for row in rows) == 1
    assert sum(int(row["offence_violence"]) for row in rows) == 1
    assert (
        sum(
            1
            for row in rows
            if not any(int(row[f"offence_{o}"]) for o in Trajectory.Offence.values)
        )
        == 1
    )
    # The whole country: M of Rotterdam as well.
    assert len(read(admin_client.get(CSV, {"year": "2025"}))) == 9


def test_days_are_counted_from_the_release_by_hand(admin_client, worked, municipality):
    (row,) = read(admin_client.get(CSV, dordrecht_2025(municipality)))
    assert row["days_detention_start"] == "-137"
    assert row["days_guidance_start"] == "-120"
    assert row["days_first_contact"] == "-111"
    assert row["days_end"] == "183"
    assert row["end_reason"] == "completed"
    assert row["lvb"] == "yes"
    assert (row["offence_burglary"], row["offence_violence"], row["offence_robbery"]) == (
        "1",
        "1",
        "0",
    )


def test_days_are_empty_before_release(admin_client, year_2025, municipality):
    rows = read(admin_client.get(CSV, dordrecht_2025(municipality)))
    # A, I, K, L are registered and B, J in detention: six not released in 2025's rows.
    unreleased = [row for row in rows if row["days_guidance_start"] == ""]
    assert len(unreleased) == 6
    for row in unreleased:
        assert row["days_detention_start"] == row["days_end"] == ""
        assert [row[f"ready_on_release_{item}"] for item in ReadinessItem.BASIC] == [""] * 5


def test_scores_per_moment_and_domain_with_not_discussed_as_its_own_value(
    admin_client, worked, municipality
):
    (row,) = read(admin_client.get(CSV, dordrecht_2025(municipality)))
    assert row["score_t0_housing"] == "2"
    assert row["score_t0_admin"] == "not_discussed"
    assert row["score_t0_care"] == ""
    # The release moment's score, not the later interim one.
    assert row["score_release_housing"] == "4"
    assert row["score_m6_housing"] == ""
    scored = [name for name in research.HEADER if name.startswith("score_")]
    assert len(scored) == 25


def test_readiness_is_as_it_stood_on_the_day_of_release(admin_client, team, municipality):
    today = timezone.localdate()
    trajectory = TrajectoryFactory(
        client__team=team, released=True, actual_release=today, started_on=today
    )
    ReadinessItem.objects.create(trajectory=trajectory, item="housing", status="arranged")
    ReadinessItem.objects.create(trajectory=trajectory, item="debts", status="not_needed")
    ReadinessItem.objects.create(trajectory=trajectory, item="income", status="in_progress")
    (row,) = read(admin_client.get(CSV, {"municipality": municipality.pk}))
    assert {item: row[f"ready_on_release_{item}"] for item in ReadinessItem.BASIC} == {
        "id_document": "0",
        "housing": "1",
        "income": "0",
        "debts": "1",
        "care": "0",
    }


def test_the_xlsx_has_numbers_as_numbers_and_no_formula(admin_client, worked, municipality):
    response = admin_client.get(XLSX, dordrecht_2025(municipality))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["data", "about"]
    header, row = list(book["data"].iter_rows(values_only=True))
    found = dict(zip(header, row, strict=True))
    assert found["days_detention_start"] == -137
    assert found["score_t0_housing"] == 2
    assert found["score_t0_admin"] == "not_discussed"
    assert found["ready_on_release_housing"] == 0
    about = {line[0]: line[1] for line in book["about"].iter_rows(values_only=True) if line[1]}
    assert about["Regels"] == 1
    assert about["Welke trajecten"] == "Dordrecht"
    for sheet in book.worksheets:
        assert not [cell for line in sheet.iter_rows() for cell in line if cell.data_type == "f"]


# --- Pseudonyms -------------------------------------------------------------------------------


def test_pseudonyms_differ_between_two_exports(admin_client, year_2025, municipality):
    first = read(admin_client.get(CSV, dordrecht_2025(municipality)))
    second = read(admin_client.get(CSV, dordrecht_2025(municipality)))
    first_names = {row["pseudonym"] for row in first}
    assert len(first_names) == 8
    assert first_names.isdisjoint(row["pseudonym"] for row in second)


def test_a_pseudonym_is_the_keyed_hmac_of_the_trajectory_under_a_fresh_key(
    admin_client, worked, municipality, monkeypatch
):
    keys = []

    def token_bytes(length):
        keys.append(bytes(range(length)))
        return keys[-1]

    monkeypatch.setattr(research.secrets, "token_bytes", token_bytes)
    (row,) = read(admin_client.get(CSV, dordrecht_2025(municipality)))
    expected = hmac.new(keys[0], str(worked.pk).encode(), hashlib.sha256).hexdigest()
    assert keys == [bytes(range(32))]
    assert row["pseudonym"] == expected
    # Within one export the same trajectory always gets the same pseudonym.
    assert research.pseudonym(keys[0], worked.pk) == expected
    assert str(worked.pk) not in row.values()


# --- No personal data -------------------------------------------------------------------------


def test_no_personal_data_reaches_the_research_export(admin_client, team, municipality):
    worker = UserFactory(username="werker-x", first_name="Wendy", last_name="Werkster", team=team)
    people = [
        ClientFactory(team=team, with_bsn=True, street="Geheimstraat 1", strengths="Geheimtalent"),
        *ClientFactory.create_batch(5, team=team, dreams="Geheime droom"),
    ]
    for person in people:
        trajectory = TrajectoryFactory(
            client=person, caseworker=worker, end_note="Geheime notitie", released=True
        )
        ContactFactory(trajectory=trajectory, summary="Geheim gesprek")
    searched = [
        "Geheimstraat",
        "Geheimtalent",
        "Geheime droom",
        "Geheime notitie",
        "Geheim gesprek",
        "123456782",
        "Wendy",
        "Werkster",
        "werker-x",
        team.name,
        "PI Dordrecht",
    ]
    for person in people:
        born = person.date_of_birth
        searched += [
            person.first_name,
            person.last_name,
            born.isoformat(),
            born.strftime("%d-%m-%Y"),
            long_date(born),
        ]
    csv_text = b"".join(admin_client.get(CSV, {"municipality": municipality.pk}).streaming_content)
    book = openpyxl.load_workbook(
        io.BytesIO(admin_client.get(XLSX, {"municipality": municipality.pk}).content)
    )
    data = [str(cell) for line in book["data"].iter_rows(values_only=True) for cell in line]
    for content in (csv_text.decode("utf-8-sig"), "\n".join(data)):
        assert content.count("\n") >= 6
        for text in searched:
            assert not re.search(rf"\b{re.escape(text)}\b", content), text
        # No date at all in the rows: every moment is a number of days.
        assert not re.search(r"\d{4}-\d{2}-\d{2}|\d{2}-\d{2}-\d{4}", content)


# --- The log and the queries ------------------------------------------------------------------


def test_every_export_is_logged_with_its_number_of_rows(
    admin_client, admin_user, year_2025, municipality
):
    read(admin_client.get(CSV, dordrecht_2025(municipality)))
    admin_client.get(XLSX, {"year": "2025"})
    entries = AccessLogEntry.objects.filter(user=admin_user).order_by("pk")
    assert [(entry.action, entry.what, entry.client_ref) for entry in entries] == [
        ("export", "research export csv, 8 rows", None),
        ("export", "research export xlsx, 9 rows", None),
    ]


def add_measured(team, size: int) -> None:
    for trajectory in TrajectoryFactory.create_batch(size, client__team=team, released=True):
        ContactFactory(trajectory=trajectory)
        ReadinessItem.objects.create(trajectory=trajectory, item="housing", status="arranged")
        for moment in ("t0", "release"):
            assessment = Assessment.objects.create(trajectory=trajectory, moment=moment)
            for domain in Domain.values:
                DomainScore.objects.create(assessment=assessment, domain=domain, score=3)


@pytest.mark.parametrize("size", [3, 30])
def test_the_research_query_count_does_not_grow(
    admin_client, team, municipality, size, django_assert_num_queries
):
    add_measured(team, size)
    # session, user, TOTP check, the chosen municipality, the count, the access log line,
    # the session save (with its savepoint and its release), and the rows: one query, read
    # through a cursor while the file streams.
    with django_assert_num_queries(10):
        response = admin_client.get(CSV, {"municipality": municipality.pk})
        rows = read(response)
    assert len(rows) == size
    with django_assert_num_queries(10):
        response = admin_client.get(XLSX, {"municipality": municipality.pk})
    assert response.status_code == 200
