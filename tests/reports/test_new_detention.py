"""Indicator 7, new detention registered by the RIO, against figures worked out by hand.

Today is 15 June 2026; the period is 2025, so everything is counted as registered
on 31 December 2025. The five release years shown are 2021 to 2025; 2021, 2022
and 2023 are complete (the follow-up of 31 December 2023 ends on 31 December
2025), 2024 and 2025 are not. "New" is a trajectory ended with new detention.

| | team | released | ended | counts for its year on 31-12-2025 |
| --- | --- | --- | --- | --- |
| N1 | Dordrecht | 2023-03-10 | new, 2025-03-09 (24 months less a day) | yes |
| N2 | Dordrecht | 2023-03-10 | new, 2025-03-10 (24 months to the day) | yes |
| N3 | Dordrecht | 2023-03-10 | new, 2025-03-11 (24 months and a day) | no |
| N4 | Dordrecht | 2023-12-31 | new, 2025-12-31 (to the day, the last day counted) | yes |
| N5 | Dordrecht | 2023-05-01 | new, 2024-01-15 | yes |
| N6 | Dordrecht | 2023-06-01 | new, 2024-06-01 | yes |
| O1 | Dordrecht | 2023-02-01 | moved away, 2023-09-01 | no: released only |
| O2 | Dordrecht | 2023-04-01 | completed, 2025-04-01 | no |
| O3 | Dordrecht | 2023-11-01 | completed, 2025-11-01 | no |
| O4 | Dordrecht | 2023-09-15 | still in aftercare | no |
| R1 | Rotterdam | 2023-05-05 | new, 2024-05-05 | yes (national) |
| R2 | Rotterdam | 2023-06-06 | completed, 2025-06-06 | no |
| R3 | Rotterdam | 2023-07-07 | new, 2023-12-01 | yes (national) |
| P1 | Dordrecht | 2022-02-01 | new, 2023-02-01 | yes |
| P2 | Dordrecht | 2022-03-01 | completed, 2024-03-01 | no |
| X1 | Dordrecht | 2024-02-01 | new, 2025-06-01 | yes (so far) |
| X2 | Dordrecht | 2024-03-01 | new, 2026-01-10 (after the period) | not yet |
| X3-X5 | Dordrecht | 2024-04-01 | still in aftercare | no |
| Y1 | Rotterdam | 2025-03-01 | still in aftercare | no |
| Z1 | Dordrecht | (not released) | in detention | not in any year |

So 2023: Dordrecht 10 released, 5 new (50%); the country 13 released, 7 new (54%).
2022: 2 released, 1 new: too few for a share. 2024: 5 released, 1 new so far.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from cases.models import Trajectory
from reports import indicators
from reports.indicators import Period, Scope, detention
from tests.factories import TrajectoryFactory
from tests.reports.test_dashboard import URL, rows

pytestmark = pytest.mark.django_db

D = datetime.date
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
YEAR = Period(start=D(2025, 1, 1), end=D(2025, 12, 31))
NEW = Trajectory.EndReason.NEW_DETENTION


@pytest.fixture
def today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 15, 12, 0, tzinfo=AMSTERDAM), tick=False)
    return D(2026, 6, 15)


def released(team, caseworker, letter, on, ended=None, reason=NEW):
    closed = ended is not None
    return TrajectoryFactory(
        client__team=team,
        client__first_name=f"Jongere{letter}",
        caseworker=caseworker,
        status=Trajectory.Status.CLOSED if closed else Trajectory.Status.AFTERCARE,
        detention_start=on - datetime.timedelta(days=200),
        started_on=on - datetime.timedelta(days=150),
        expected_release=None,
        actual_release=on,
        ended_on=ended,
        end_reason=reason if closed else "",
    )


@pytest.fixture
def cohorts(today, team, other_team, caseworker, other_caseworker):
    def dordrecht(letter, on, ended=None, reason=NEW):
        return released(team, caseworker, letter, on, ended, reason)

    def rotterdam(letter, on, ended=None, reason=NEW):
        return released(other_team, other_caseworker, letter, on, ended, reason)

    dordrecht("N1", D(2023, 3, 10), D(2025, 3, 9))
    dordrecht("N2", D(2023, 3, 10), D(2025, 3, 10))
    dordrecht("N3", D(2023, 3, 10), D(2025, 3, 11))
    dordrecht("N4", D(2023, 12, 31), D(2025, 12, 31))
    dordrecht("N5", D(2023, 5, 1), D(2024, 1, 15))
    dordrecht("N6", D(2023, 6, 1), D(2024, 6, 1))
    dordrecht("O1", D(2023, 2, 1), D(2023, 9, 1), Trajectory.EndReason.MOVED)
    dordrecht("O2", D(2023, 4, 1), D(2025, 4, 1), Trajectory.EndReason.COMPLETED)
    dordrecht("O3", D(2023, 11, 1), D(2025, 11, 1), Trajectory.EndReason.COMPLETED)
    dordrecht("O4", D(2023, 9, 15))
    rotterdam("R1", D(2023, 5, 5), D(2024, 5, 5))
    rotterdam("R2", D(2023, 6, 6), D(2025, 6, 6), Trajectory.EndReason.COMPLETED)
    rotterdam("R3", D(2023, 7, 7), D(2023, 12, 1))
    dordrecht("P1", D(2022, 2, 1), D(2023, 2, 1))
    dordrecht("P2", D(2022, 3, 1), D(2024, 3, 1), Trajectory.EndReason.COMPLETED)
    dordrecht("X1", D(2024, 2, 1), D(2025, 6, 1))
    dordrecht("X2", D(2024, 3, 1), D(2026, 1, 10))
    for letter in ("X3", "X4", "X5"):
        dordrecht(letter, D(2024, 4, 1))
    rotterdam("Y1", D(2025, 3, 1))
    TrajectoryFactory(client__team=team, caseworker=caseworker, expected_release=None)


def test_each_year_counts_new_detention_within_24_months_of_release(cohorts, municipality):
    found = detention.counts(Scope(municipality=municipality), D(2025, 12, 31))
    assert found == {
        2021: {"released_own": 0, "released_all": 0, "new_own": 0, "new_all": 0},
        2022: {"released_own": 2, "released_all": 2, "new_own": 1, "new_all": 1},
        # N1 N2 N4 N5 N6, not N3 (a day late); the country adds R1 and R3.
        2023: {"released_own": 10, "released_all": 13, "new_own": 5, "new_all": 7},
        # X1; X2 only ended after the period.
        2024: {"released_own": 5, "released_all": 5, "new_own": 1, "new_all": 1},
        2025: {"released_own": 0, "released_all": 1, "new_own": 0, "new_all": 0},
    }


def test_only_complete_years_get_a_share(cohorts, municipality):
    with translation.override("nl"):
        dashboard = indicators.dashboard(Scope(municipality=municipality), YEAR)
        table = dashboard.table("new-detention")
        assert table.columns == ("Dordrecht", "Nederland")
        assert [(row.label, str(row.own), str(row.national)) for row in table.rows] == [
            ("2021", "–", "–"),
            ("2022", "–", "–"),  # 2 released: too few for a share
            ("2023", "50%", "–"),  # 5 of 10; the country's 7 of 13 would give away 2 of 3
            ("2024", "nog niet compleet", "nog niet compleet"),
            ("2025", "nog niet compleet", "nog niet compleet"),
        ]
        assert "31 december 2025" in table.explanation
        assert "WODC" in table.explanation
        # The chart draws the shares, with a gap where there is none.
        assert table.chart_data()["datasets"][0]["data"] == [None, None, 50.0, None, None]


def test_the_numbers_so_far_are_shown_suppressed_and_marked(cohorts, municipality):
    with translation.override("nl"):
        dashboard = indicators.dashboard(Scope(municipality=municipality), YEAR)
        table = dashboard.table("new-detention-counts")
        assert table.columns == (
            "Dordrecht: vrijgelaten",
            "Dordrecht: nieuwe detentie",
            "Nederland: vrijgelaten",
            "Nederland: nieuwe detentie",
        )
        assert [(row.label, row.cells) for row in table.rows] == [
            ("2021", (0, 0, 0, 0)),
            ("2022", ("<5", "<5", "<5", "<5")),
            ("2023", (10, 5, "verborgen", "verborgen")),  # the rest: 3 released, 2 new
            ("2024 (tot nu toe)", (5, "<5", 5, "<5")),
            ("2025 (tot nu toe)", (0, 0, "<5", 0)),
        ]
        assert not table.chart


def test_a_period_ending_mid_year_counts_what_was_registered_by_then(cohorts, municipality):
    half_year = Period(start=D(2025, 1, 1), end=D(2025, 6, 30))
    found = detention.counts(Scope(municipality=municipality), detention.reference_day(half_year))
    # By 30 June 2025: N1 N2 N5 N6, not yet N4; 2023 is not complete until 31 December.
    assert found[2023] == {"released_own": 10, "released_all": 13, "new_own": 4, "new_all": 6}
    with translation.override("nl"):
        table = indicators.dashboard(Scope(municipality=municipality), half_year).table(
            "new-detention"
        )
    assert [row.label for row in table.rows] == ["2021", "2022", "2023", "2024", "2025"]
    assert [str(row.own) for row in table.rows[2:]] == ["nog niet compleet"] * 3


def test_a_period_ending_after_today_counts_until_today(cohorts, today):
    period = Period(start=D(2026, 1, 1), end=D(2026, 12, 31))
    assert detention.reference_day(period) == today
    found = detention.counts(Scope(), today)
    assert sorted(found) == [2022, 2023, 2024, 2025, 2026]
    # X2 is now registered too.
    assert found[2024]["new_all"] == 2


@pytest.mark.parametrize(
    ("day", "complete"),
    [(D(2025, 12, 30), False), (D(2025, 12, 31), True), (D(2026, 1, 1), True)],
)
def test_a_year_is_complete_once_its_last_days_follow_up_has_ended(day, complete):
    assert detention.follow_up_complete(2023, day) is complete


@pytest.mark.parametrize(
    ("ended", "counted"), [(D(2026, 2, 27), 1), (D(2026, 2, 28), 1), (D(2026, 3, 1), 0)]
)
def test_the_24_months_after_a_leap_day_end_on_28_february(today, team, caseworker, ended, counted):
    released(team, caseworker, "L", D(2024, 2, 29), ended)
    assert detention.counts(Scope(), today)[2024]["new_all"] == counted


def test_the_whole_country_has_one_column(cohorts):
    dashboard = indicators.dashboard(Scope(), YEAR)
    assert len(dashboard.table("new-detention").columns) == 1
    assert len(dashboard.table("new-detention-counts").columns) == 2
    assert dashboard.table("new-detention-counts").rows[2].cells == (13, 7)


def test_the_page_shows_new_detention_per_year_of_release(cohorts, manager_client):
    content = manager_client.get(URL, {"year": "2025"}).content.decode()
    assert rows(content, "new-detention")[2] == ["2023", "50%", "–"]
    assert rows(content, "new-detention")[3] == ["2024", "nog niet compleet", "nog niet compleet"]
    assert rows(content, "new-detention-counts")[3] == [
        "2024 (tot nu toe)",
        "5",
        "&lt;5",
        "5",
        "&lt;5",
    ]
    assert "JongereN1" not in content


@pytest.mark.parametrize(
    ("released", "new", "shown"),
    [(10, 5, (10, 5)), (7, 5, (7, "verborgen")), (7, 2, (7, "<5")), (3, 1, ("<5", "<5"))],
)
def test_released_minus_new_detention_gives_nobody_away(released, new, shown):
    figure = {"released_own": released, "new_own": new}
    with translation.override("nl"):
        cells = tuple(str(cell) for cell in detention.released_and_new(figure, "own"))
    assert cells == tuple(str(cell) for cell in shown)
