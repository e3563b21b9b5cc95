"""Each indicator against the figures worked out by hand in conftest.py (the year 2025)."""

import datetime

import pytest
from django.utils import timezone, translation

from cases.models import Trajectory, age_on
from reports import indicators
from reports.indicators import AgeAtStart, Period, Scope
from tests.factories import TrajectoryFactory

pytestmark = pytest.mark.django_db

YEAR = Period(start=datetime.date(2025, 1, 1), end=datetime.date(2025, 12, 31))


def counted(scope, period=YEAR):
    return indicators.counts(scope, indicators.cells(period))


def test_status_at_the_end_of_the_period_is_read_from_the_dates(year_2025, municipality):
    status = counted(Scope(municipality=municipality))["status"]
    # (Dordrecht, the Netherlands): A I K L registered (M in Rotterdam), B C J in detention
    # (C released only in 2026), D F in aftercare (F closed only in 2026), E closed in 2025;
    # G starts after and H ended before the period.
    assert status == {
        "registered": (4, 5),
        "detention": (3, 3),
        "aftercare": (2, 2),
        "closed": (1, 1),
    }


def test_on_today_the_status_from_the_dates_is_the_stored_status(year_2025):
    today = timezone.localdate()
    status = counted(Scope(), Period(start=today, end=today))["status"]
    stored = {
        key: Trajectory.objects.filter(status=key, ended_on__isnull=True).count()
        + Trajectory.objects.filter(status=key, ended_on__gte=today).count()
        for key in Trajectory.Status.values
    }
    assert {key: own for key, (own, _all) in status.items()} == stored


def test_a_step_not_yet_recorded_keeps_the_stored_status(team):
    """Detention started four days ago but the RIO has not recorded the step yet: the
    caseload says registered, and so does the dashboard, today and on every day before;
    once recorded, the days from the detention's start count as detention."""
    today = timezone.localdate()
    started = today - datetime.timedelta(days=10)
    detained = today - datetime.timedelta(days=4)
    trajectory = TrajectoryFactory(
        client__team=team,
        status=Trajectory.Status.REGISTERED,
        started_on=started,
        detention_start=detained,
        expected_release=today + datetime.timedelta(days=100),
    )

    def status_on(day):
        found = counted(Scope(), Period(start=day, end=day))["status"]
        return [key for key, (own, _all) in found.items() if own]

    assert status_on(today) == ["registered"]
    assert status_on(detained) == ["registered"]
    Trajectory.objects.filter(pk=trajectory.pk).update(status=Trajectory.Status.DETENTION)
    assert status_on(today) == ["detention"]
    assert status_on(detained) == ["detention"]
    assert status_on(detained - datetime.timedelta(days=1)) == ["registered"]


def test_started_and_ended_in_the_period(year_2025, municipality):
    found = counted(Scope(municipality=municipality))
    assert found["started"] == {"started": (8, 9)}
    assert found["ended"] == {
        "completed": (1, 1),
        "moved": (0, 0),
        "new_detention": (0, 0),
        "stopped_by_client": (0, 0),
        "deceased": (0, 0),
        "other": (0, 0),
    }


def test_age_bands_are_exact_around_birthdays(year_2025, municipality):
    # A 18 and B 20 and K 20 (born 29 February); J 21 (M 21 in Rotterdam); D 24 and
    # F 27; I 28 and L 17 are outside the target group.
    assert counted(Scope(municipality=municipality))["age"] == {
        "18_20": (3, 3),
        "21_23": (1, 2),
        "24_27": (2, 2),
        "outside": (2, 2),
    }


def test_age_in_the_database_agrees_with_age_on(year_2025):
    rows = Trajectory.objects.annotate(age=AgeAtStart()).values_list(
        "age", "client__date_of_birth", "started_on"
    )
    assert [age for age, _born, _started in rows] == [
        age_on(born, started) for _age, born, started in rows
    ]


def test_offences_count_each_trajectory_under_each_of_its_offences(year_2025, municipality):
    assert counted(Scope(municipality=municipality))["offences"] == {
        "robbery": (1, 1),
        "street_robbery": (6, 7),
        "burglary": (0, 0),
        "violence": (1, 1),
        "other": (0, 0),
        "none": (1, 1),
    }


def test_lvb_and_address_of_the_trajectories_started(year_2025, municipality):
    found = counted(Scope(municipality=municipality))
    assert found["lvb"] == {"unknown": (5, 6), "no": (1, 1), "suspected": (1, 1), "yes": (1, 1)}
    assert found["address"] == {"address": (6, 7), "postal": (1, 1), "none": (1, 1)}


def table_of(dashboard, key):
    return dashboard.table(key)


def cells(table):
    return [(row.label, row.own, row.national) for row in table.rows]


def test_municipality_of_settlement_names_only_where_the_young_people_go(
    year_2025, municipality, other_municipality
):
    with translation.override("nl"):
        dordrecht = indicators.dashboard(Scope(municipality=municipality), YEAR)
        rotterdam = indicators.dashboard(Scope(municipality=other_municipality), YEAR)
    # Dordrecht: A B to Dordrecht (and M from Rotterdam), D to Rotterdam, five unknown;
    # one cell below 5 per column hides the next-smallest too.
    assert cells(table_of(dordrecht, "settlement")) == [
        ("Dordrecht", "<5", "<5"),
        ("Rotterdam", "<5", "<5"),
        ("Niet vastgelegd", 5, 5),
    ]
    # Rotterdam's one young person goes to Dordrecht; the rest of the country in one row,
    # hidden because the 3 going to Dordrecht are.
    assert cells(table_of(rotterdam, "settlement")) == [
        ("Dordrecht", "<5", "<5"),
        ("Andere gemeenten", 0, "verborgen"),
    ]
    assert table_of(rotterdam, "settlement").total.national == 9


def test_open_trajectories_per_caseworker_today(year_2025, municipality, caseworker, colleague):
    with translation.override("nl"):
        dashboard = indicators.dashboard(Scope(municipality=municipality), YEAR)
    table = table_of(dashboard, "caseworkers")
    # Today's open ones: A B C I J K L of the caseworker, D G of the colleague; 2 is
    # below 5, so 7 is hidden too, and the total of 9 is shown.
    by_name = {row.label: row.own for row in table.rows}
    assert by_name == {str(caseworker): "verborgen", str(colleague): "<5"}
    assert table.total.own == 9
    assert len(table.columns) == 1
    mean = table_of(dashboard, "caseworker-mean").rows[0]
    # 9 open over 2 caseworkers; the country adds M of the Rotterdam caseworker: 10 over
    # 3, not shown because the rest of the country is one young person.
    assert (str(mean.own), str(mean.national)) == ("4,5", "–")


def test_a_mean_over_fewer_than_five_young_people_is_not_shown(year_2025, other_municipality):
    dashboard = indicators.dashboard(Scope(municipality=other_municipality), YEAR)
    mean = table_of(dashboard, "caseworker-mean").rows[0]
    assert mean.own == "–"


def test_a_team_counts_only_its_own_trajectories(year_2025, other_team):
    found = counted(Scope(municipality=other_team.municipality, team=other_team))
    assert found["started"] == {"started": (1, 9)}
    assert found["status"]["registered"] == (1, 5)


def test_another_municipality_does_not_count_dordrecht(year_2025, other_municipality):
    found = counted(Scope(municipality=other_municipality))
    assert found["started"] == {"started": (1, 9)}
    assert found["status"] == {
        "registered": (1, 5),
        "detention": (0, 3),
        "aftercare": (0, 2),
        "closed": (0, 1),
    }


def test_the_whole_country_counts_every_municipality(year_2025):
    found = counted(Scope())
    assert found["started"] == {"started": (9, 9)}
    assert all(own == national for table in found.values() for own, national in table.values())


@pytest.mark.parametrize(
    ("today", "start"),
    [
        (datetime.date(2026, 12, 2), datetime.date(2025, 12, 3)),
        (datetime.date(2028, 2, 29), datetime.date(2027, 3, 1)),
        (datetime.date(2026, 1, 1), datetime.date(2025, 1, 2)),
    ],
)
def test_the_default_period_is_the_twelve_months_ending_today(today, start):
    assert Period.last_twelve_months(today) == Period(start=start, end=today)
