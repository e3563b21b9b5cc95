"""The dashboard's tables as CSV and XLSX: who may download, what the file holds, and that
no spreadsheet runs a name as a formula (BI-4).

The figures are those of `year_2025` (tests/reports/conftest.py) that
test_dashboard.py checks on the page: the file says what the page says.
"""

import csv
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings

from audit.models import AccessLogEntry
from reports.exports import FORMULA_START, neutralised, number_format, sheet_titles
from reports.exports import Sheet as FileSheet
from reports.indicators import Measure
from tests.factories import TeamFactory, TrajectoryFactory, UserFactory
from tests.reports.conftest import FILTER_INPUT

pytestmark = pytest.mark.django_db

YEAR_2025 = {"year": "2025"}
PERIOD = "1 januari 2025 tot en met 31 december 2025"
DANGEROUS = ["=", "+", "-", "@", "\t", "\r"]


def url(key: str, extension: str) -> str:
    return reverse("reports:table-export", args=[key, extension])


def csv_rows(response) -> list[list[str]]:
    content = response.content
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def workbook(response) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(response.content))


def cells(sheet) -> list:
    return [cell for row in sheet.iter_rows() for cell in row]


def table_part(rows: list[list], header: str) -> list[list]:
    """The rows from the table's header row on (below the lines about the file)."""
    start = next(index for index, row in enumerate(rows) if row and row[0] == header)
    return rows[start:]


def values(sheet) -> list[list]:
    """Each row's values, without the empty cells openpyxl pads a short row with."""
    found = []
    for row in sheet.iter_rows(values_only=True):
        row = list(row)
        while row and row[-1] is None:
            row.pop()
        found.append(row)
    return found


# --- What the file holds --------------------------------------------------------------------


def test_the_csv_says_what_the_page_says_with_period_scope_and_marks(manager_client, year_2025):
    response = manager_client.get(url("status", "csv"), YEAR_2025)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="rio-status-dordrecht-2025-01-01-2025-12-31.csv"'
    )
    rows = csv_rows(response)
    assert rows[0] == ["Trajecten naar status aan het eind van de periode"]
    about = {row[0]: row[1] for row in rows if len(row) == 2}
    assert about["Periode"] == PERIOD
    assert about["Welke trajecten"] == "Dordrecht"
    assert about["Vergeleken met"] == "Nederland"
    assert about["<5"].startswith("1 tot en met 4 jongeren")
    assert "verborgen" in about
    assert "–" in about
    assert re.fullmatch(r"\d{1,2} \w+ \d{4} \d{2}:\d{2}", about["Gemaakt op"])
    # Exactly the page's cells (test_dashboard.py): a "<5" stays "<5", never the number.
    assert table_part(rows, "Groep") == [
        ["Groep", "Dordrecht", "Nederland"],
        ["Aanmelding", "<5", "verborgen"],
        ["In detentie", "<5", "<5"],
        ["Nazorg", "<5", "<5"],
        ["Afgesloten", "<5", "<5"],
        ["Totaal", "10", "verborgen"],
    ]


def test_the_csv_shows_hidden_cells_and_means_as_the_page_does(manager_client, year_2025):
    rows = csv_rows(manager_client.get(url("caseworkers", "csv"), YEAR_2025))
    body = table_part(rows, "RIO")
    assert sorted(row[1] for row in body[1:-1]) == ["<5", "verborgen"]
    assert body[-1] == ["Totaal", "9"]
    rows = csv_rows(manager_client.get(url("caseworker-mean", "csv"), YEAR_2025))
    # Dutch decimal comma, as on the page.
    # (the country's is not shown: its rest beside Dordrecht is one young person)
    assert table_part(rows, "Groep")[1:] == [["Gemiddeld per RIO", "4,5", "–"]]


def test_the_xlsx_has_counts_as_numbers_and_marks_as_text(manager_client, year_2025):
    response = manager_client.get(url("status", "xlsx"), YEAR_2025)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = workbook(response)["status"]
    rows = values(sheet)
    assert rows[0] == ["Trajecten naar status aan het eind van de periode"]
    assert ["Periode", PERIOD] in rows
    assert ["Welke trajecten", "Dordrecht"] in rows
    assert table_part(rows, "Groep") == [
        ["Groep", "Dordrecht", "Nederland"],
        ["Aanmelding", "<5", "verborgen"],
        ["In detentie", "<5", "<5"],
        ["Nazorg", "<5", "<5"],
        ["Afgesloten", "<5", "<5"],
        ["Totaal", 10, "verborgen"],
    ]
    total = next(row for row in sheet.iter_rows() if row[0].value == "Totaal")
    assert [cell.data_type for cell in total] == ["s", "n", "s"]


def test_the_xlsx_has_a_mean_as_its_rounded_value_with_a_number_format(manager_client, year_2025):
    sheet = workbook(manager_client.get(url("caseworker-mean", "xlsx"), YEAR_2025)).active
    row = next(row for row in sheet.iter_rows() if row[0].value == "Gemiddeld per RIO")
    # 9 open trajectories over 2 caseworkers; the country's 10 over 3 is not shown.
    assert [cell.value for cell in row[1:]] == [4.5, "–"]
    assert row[1].number_format == "0.0"


def test_a_share_keeps_its_unit_in_the_number_format():
    assert number_format(Measure(45.0, unit="%")) == '0"%"'
    assert number_format(Measure(3.25, digits=1)) == "0.0"
    assert number_format(Measure(12.0, digits=2, unit=" dagen")) == '0.00" dagen"'


def test_the_whole_dashboard_is_one_workbook_with_a_sheet_per_table(manager_client, year_2025):
    response = manager_client.get(reverse("reports:dashboard-export"), YEAR_2025)
    assert response.status_code == 200
    book = workbook(response)
    assert book.sheetnames[:3] == ["status", "started", "ended"]
    assert "settlement" in book.sheetnames
    assert table_part(values(book["started"]), "Groep")[1:] == [
        ["Gestart in de periode", 8, "verborgen"]
    ]
    for sheet in book.worksheets:
        assert ["Periode", PERIOD] in values(sheet)


def test_sheet_titles_are_short_unique_and_allowed():
    sheets = [FileSheet("a" * 40, []), FileSheet("a" * 40, []), FileSheet("x/y[1]", [])]
    assert sheet_titles(sheets) == ["a" * 31, "a" * 29 + "-2", "x-y-1-"]


def test_the_links_beside_each_table_keep_the_filter(manager_client, year_2025, team):
    content = manager_client.get(reverse("reports:index"), {"year": "2025", "team": team.pk})
    content = content.content.decode()
    query = f"?year=2025&amp;team={team.pk}"
    assert f'href="/reports/export/status.csv{query}"' in content
    assert f'href="/reports/export/status.xlsx{query}"' in content
    assert f'href="/reports/export.xlsx{query}"' in content
    # The research export is for functional admins.
    assert "/reports/research" not in content


# --- Who may download -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target", [url("status", "csv"), url("status", "xlsx"), reverse("reports:dashboard-export")]
)
@pytest.mark.parametrize("fixture", ["caseworker_client", "other_caseworker_client"])
def test_caseworker_gets_404(request, fixture, target):
    assert request.getfixturevalue(fixture).get(target).status_code == 404


def test_admin_downloads_the_whole_country(admin_client, year_2025):
    rows = csv_rows(admin_client.get(url("started", "csv"), YEAR_2025))
    about = {row[0]: row[1] for row in rows if len(row) == 2}
    assert about["Welke trajecten"] == "Nederland"
    assert "Vergeleken met" not in about
    assert table_part(rows, "Groep") == [["Groep", "Nederland"], ["Gestart in de periode", "9"]]


def test_manager_of_rotterdam_cannot_export_dordrecht(client, year_2025, municipality):
    rotterdam = year_2025["M"].client.team.municipality
    client.force_login(UserFactory(manager=True, municipality=rotterdam))
    response = client.get(url("started", "csv"), {**YEAR_2025, "municipality": municipality.pk})
    rows = csv_rows(response)
    # The form has no municipality for a manager: the choice is ignored, the file is Rotterdam's.
    assert ["Welke trajecten", "Rotterdam"] in rows
    assert table_part(rows, "Groep")[1:] == [["Gestart in de periode", "<5", "9"]]
    assert "Dordrecht" not in response.content.decode("utf-8-sig")


def test_manager_cannot_export_a_team_of_another_municipality(
    manager_client, year_2025, other_team
):
    response = manager_client.get(url("started", "csv"), {**YEAR_2025, "team": other_team.pk})
    assert response.status_code == 400
    assert "Selecteer een geldige keuze" in response.content.decode()


def test_an_unknown_table_is_404(manager_client):
    assert manager_client.get(url("no-such-table", "csv")).status_code == 404


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ({"start": "2025-06-01", "end": "2025-01-01"}, "De einddatum ligt voor de begindatum."),
        ({"year": "twee"}, "Voer een geheel getal in."),
        ({"quarter": "2"}, "Kies het jaar van dit kwartaal."),
    ],
)
def test_a_bad_filter_gives_the_page_with_a_dutch_error(manager_client, query, error):
    for target in (url("started", "csv"), reverse("reports:dashboard-export")):
        response = manager_client.get(target, query)
        assert response.status_code == 400
        assert response["Content-Type"].startswith("text/html")
        assert error in response.content.decode()


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(FILTER_INPUT)
def test_random_filter_input_never_gives_a_server_error(admin_client, query):
    assert admin_client.get(url("started", "csv"), query).status_code in (200, 400)


def test_every_download_is_logged(manager_client, manager, year_2025):
    manager_client.get(url("started", "csv"), YEAR_2025)
    manager_client.get(url("status", "xlsx"), YEAR_2025)
    manager_client.get(reverse("reports:dashboard-export"), YEAR_2025)
    entries = AccessLogEntry.objects.filter(user=manager).order_by("pk")
    assert [(entry.action, entry.what, entry.client_ref) for entry in entries] == [
        ("export", "dashboard export started csv", None),
        ("export", "dashboard export status xlsx", None),
        ("export", "dashboard export all xlsx", None),
    ]


# --- Formulas (BI-4) --------------------------------------------------------------------------


@pytest.mark.parametrize("start", DANGEROUS)
def test_text_starting_a_formula_is_neutralised(start):
    assert start in FORMULA_START
    assert neutralised(f"{start}HYPERLINK(1)") == f"'{start}HYPERLINK(1)"
    assert neutralised(f"\x01{start}1+1") == f"'{start}1+1"
    assert neutralised("Jan de Vries") == "Jan de Vries"
    assert neutralised("<5") == "<5"


@pytest.mark.parametrize("start", DANGEROUS)
def test_a_team_name_starting_a_formula_is_text_in_both_files(admin_client, municipality, start):
    name = f'{start}HYPERLINK("https://example.org","klik")'
    team = TeamFactory(name=name, municipality=municipality)
    TrajectoryFactory.create_batch(6, client__team=team)
    query = {"municipality": municipality.pk, "team": team.pk}

    rows = csv_rows(admin_client.get(url("started", "csv"), query))
    about = {row[0]: row[1] for row in rows if len(row) == 2}
    assert about["Welke trajecten"] == f"'{name} (Dordrecht)"
    assert table_part(rows, "Groep")[0] == ["Groep", f"'{name} (Dordrecht)", "Nederland"]
    # No cell of the file starts a formula.
    assert not [cell for row in rows for cell in row if cell.startswith(FORMULA_START)]

    for target in (url("started", "xlsx"), reverse("reports:dashboard-export")):
        book = workbook(admin_client.get(target, query))
        for sheet in book.worksheets:
            found = cells(sheet)
            assert not [cell for cell in found if cell.data_type == "f"]
            texts = [cell.value for cell in found if isinstance(cell.value, str)]
            assert not [text for text in texts if text.startswith(FORMULA_START)]
            named = [text for text in texts if "HYPERLINK" in text]
            assert named
            # The scope's name heads columns and fills the metadata: quoted where it starts
            # a cell ("Verandering sinds T0: =..." starts with no formula).
            # (a tab or CR is dropped as a control character before that)
            if start.isprintable():
                assert any(text.startswith(f"'{start}") for text in named)


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_a_caseworker_name_starting_a_formula_is_text(manager_client, team, start):
    worker = UserFactory(username="formule", team=team, first_name=f"{start}cmd|' /C calc'!A0")
    TrajectoryFactory.create_batch(5, client__team=team, caseworker=worker)
    rows = csv_rows(manager_client.get(url("caseworkers", "csv")))
    labels = [row[0] for row in table_part(rows, "RIO")]
    assert f"'{start}cmd|' /C calc'!A0 {worker.last_name}" in labels
    sheet = workbook(manager_client.get(url("caseworkers", "xlsx"))).active
    label = next(cell for cell in cells(sheet) if "calc" in str(cell.value))
    assert label.data_type == "s"
    assert label.value == f"'{start}cmd|' /C calc'!A0 {worker.last_name}"


# --- No client data ---------------------------------------------------------------------------


def test_no_client_data_reaches_any_export(client, personal_data):
    for user in (personal_data.manager, personal_data.admin):
        client.force_login(user)
        page = client.get(reverse("reports:index")).content.decode()
        keys = sorted(set(re.findall(r'href="/reports/export/([-\w]+)\.csv', page)))
        assert len(keys) >= 10
        texts = []
        for key in keys:
            texts.append(client.get(url(key, "csv")).content.decode("utf-8-sig"))
            for sheet in workbook(client.get(url(key, "xlsx"))).worksheets:
                texts += [str(cell.value) for cell in cells(sheet) if cell.value is not None]
        for sheet in workbook(client.get(reverse("reports:dashboard-export"))).worksheets:
            texts += [str(cell.value) for cell in cells(sheet) if cell.value is not None]
        content = "\n".join(texts)
        assert "werker-d" in content  # the caseworkers table was searched
        personal_data.assert_absent_from(content)


# --- Queries ----------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [3, 30])
def test_the_export_query_count_does_not_grow(
    manager_client, team, other_team, size, django_assert_num_queries
):
    TrajectoryFactory.create_batch(size, client__team=team)
    TrajectoryFactory.create_batch(size, client__team=other_team, closed=True)
    # As the dashboard page (test_dashboard.py: 22) less the teams to choose from, which
    # only the page's form shows: every indicator's queries, the access log line, and the
    # session save (with its savepoint).
    for target in (
        url("status", "csv"),
        url("status", "xlsx"),
        reverse("reports:dashboard-export"),
    ):
        with django_assert_num_queries(21):
            response = manager_client.get(target)
        assert response.status_code == 200
