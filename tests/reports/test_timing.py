"""Indicator 3, starting on time, against figures worked out by hand.

The period is 2025. Counted are the trajectories released in it. "Contact" is a
contact moment with the young person; a partner meeting alone is not.

| | team | detention | guidance | released | first contact (days) | T0 |
| --- | --- | --- | --- | --- | --- | --- |
| P1 | Dordrecht | 2025-01-01 | 2025-01-05 | 2025-04-01 | 2025-01-11 (10) | 2025-01-20 |
| P2 | Dordrecht | 2025-02-01 | 2025-02-01 | 2025-06-01 | 2025-02-21 (20) [1] | release day |
| P3 | Dordrecht | 2025-03-01 | 2025-03-10 | 2025-08-01 | 2025-03-31 (30) | 2025-03-15 |
| P4 | Dordrecht | 2025-04-01 | on the release day | 2025-09-01 | 2025-09-01 (153) | |
| P5 | Dordrecht | 2025-05-01 | 2025-05-02 | 2025-10-01 | 2025-05-06 (5) [2] | 2025-05-10 |
| P6 | Dordrecht | unknown | 2025-06-01 | 2025-07-01 | none | 2025-06-10 |
| P7 | Dordrecht | 2025-06-01 | 2025-06-05 | 2025-11-01 | none [3] | 2025-06-20 |
| R1 | Rotterdam | 2025-03-01 | 2025-02-20 | 2025-05-01 | 2025-02-25 (-4) | 2025-03-05 |
| R2 | Rotterdam | 2025-01-01 | 2025-01-10 | 2025-04-01 | 2025-03-02 (60) | |
| R3 | Rotterdam | 2025-02-01 | 2025-02-01 | 2025-12-31 | 2025-05-02 (90) | |

[1] with a partner; a meeting with the partner alone on 3 February does not count.
[2] with the young person and the network. [3] only a contact with the network (2 June).

Not counted: released on 2024-12-31, on 2026-01-01, or not yet.

| figure | Dordrecht | the Netherlands |
| --- | --- | --- |
| released in 2025 | 7 | 10 |
| guidance started before release | 6 (all but P4): 86% | 9: 90% |
| T0 before release | 5 (P1 P3 P5 P6 P7): 71% | 6 (and R1): 60% |
| median days, over | 5, 10, 20, 30, 153: 20, over 5 | and -4, 60, 90: (20 + 30) / 2 = 25, over 8 |
"""

import datetime

import pytest
from django.utils import translation

from cases.models import ContactMoment, Trajectory
from lifedomains.models import Assessment
from reports import indicators
from reports.indicators import Period, Scope, timing
from tests.factories import ContactFactory, TrajectoryFactory

pytestmark = pytest.mark.django_db

D = datetime.date
YEAR = Period(start=D(2025, 1, 1), end=D(2025, 12, 31))
CLIENT, PARTNER, NETWORK = (
    ContactMoment.With.CLIENT,
    ContactMoment.With.PARTNER,
    ContactMoment.With.NETWORK,
)


def released(team, *, detention, guidance, release, contacts=(), t0=None):
    trajectory = TrajectoryFactory(
        client__team=team,
        status=Trajectory.Status.AFTERCARE,
        detention_start=detention,
        started_on=guidance,
        expected_release=None,
        actual_release=release,
    )
    for day, with_whom in contacts:
        ContactFactory(trajectory=trajectory, date=day, with_whom=with_whom)
    if t0 is not None:
        Assessment.objects.create(trajectory=trajectory, moment=Assessment.Moment.T0, date=t0)
    return trajectory


@pytest.fixture
def released_2025(team, other_team):
    found = {
        "P1": released(
            team,
            detention=D(2025, 1, 1),
            guidance=D(2025, 1, 5),
            release=D(2025, 4, 1),
            contacts=[(D(2025, 2, 1), [CLIENT]), (D(2025, 1, 11), [CLIENT])],
            t0=D(2025, 1, 20),
        ),
        "P2": released(
            team,
            detention=D(2025, 2, 1),
            guidance=D(2025, 2, 1),
            release=D(2025, 6, 1),
            contacts=[(D(2025, 2, 3), [PARTNER]), (D(2025, 2, 21), [CLIENT, PARTNER])],
            t0=D(2025, 6, 1),
        ),
        "P3": released(
            team,
            detention=D(2025, 3, 1),
            guidance=D(2025, 3, 10),
            release=D(2025, 8, 1),
            contacts=[(D(2025, 3, 31), [CLIENT])],
            t0=D(2025, 3, 15),
        ),
        "P4": released(
            team,
            detention=D(2025, 4, 1),
            guidance=D(2025, 9, 1),
            release=D(2025, 9, 1),
            contacts=[(D(2025, 9, 1), [CLIENT])],
        ),
        "P5": released(
            team,
            detention=D(2025, 5, 1),
            guidance=D(2025, 5, 2),
            release=D(2025, 10, 1),
            contacts=[(D(2025, 5, 6), [NETWORK, CLIENT])],
            t0=D(2025, 5, 10),
        ),
        "P6": released(
            team, detention=None, guidance=D(2025, 6, 1), release=D(2025, 7, 1), t0=D(2025, 6, 10)
        ),
        "P7": released(
            team,
            detention=D(2025, 6, 1),
            guidance=D(2025, 6, 5),
            release=D(2025, 11, 1),
            contacts=[(D(2025, 6, 2), [NETWORK])],
            t0=D(2025, 6, 20),
        ),
        "R1": released(
            other_team,
            detention=D(2025, 3, 1),
            guidance=D(2025, 2, 20),
            release=D(2025, 5, 1),
            contacts=[(D(2025, 2, 25), [CLIENT])],
            t0=D(2025, 3, 5),
        ),
        "R2": released(
            other_team,
            detention=D(2025, 1, 1),
            guidance=D(2025, 1, 10),
            release=D(2025, 4, 1),
            contacts=[(D(2025, 3, 2), [CLIENT])],
        ),
        "R3": released(
            other_team,
            detention=D(2025, 2, 1),
            guidance=D(2025, 2, 1),
            release=D(2025, 12, 31),
            contacts=[(D(2025, 5, 2), [CLIENT])],
        ),
    }
    # Released just outside the period, or not at all: none of them counts.
    for release in (D(2024, 12, 31), D(2026, 1, 1)):
        released(
            team,
            detention=D(2024, 6, 1),
            guidance=D(2024, 6, 2),
            release=release,
            contacts=[(D(2024, 6, 3), [CLIENT])],
            t0=D(2024, 6, 4),
        )
    not_yet = TrajectoryFactory(
        client__team=team, detention_start=D(2025, 1, 1), started_on=D(2025, 1, 2)
    )
    ContactFactory(trajectory=not_yet, date=D(2025, 1, 3))
    return found


def test_the_figures_are_counted_for_the_scope_and_the_country(released_2025, municipality):
    assert timing.counts(Scope(municipality=municipality), YEAR) == {
        "released": (7, 10),
        "started_before": (6, 9),
        "t0_before": (5, 6),
        "measured": (5, 8),
        "median": (20.0, 25.0),
    }


def test_the_tables_show_shares_and_the_median(released_2025, municipality):
    with translation.override("nl"):
        dashboard = indicators.dashboard(Scope(municipality=municipality), YEAR)
        shares = dashboard.table("timing")
        median = dashboard.table("first-contact")
        shown = [(row.label, str(row.own), str(row.national)) for row in shares.rows]
        # The rest of the country is R1 R2 R3 of Rotterdam: too few to show the national
        # share or median beside Dordrecht's (they are counted above, and shown to Rotterdam).
        assert shown == [
            ("Begeleiding gestart vóór ontslag", "86%", "–"),
            ("T0-meting vóór ontslag", "71%", "–"),
        ]
        assert [(row.label, str(row.own), str(row.national)) for row in median.rows] == [
            ("Mediaan aantal dagen", "20", "–"),
        ]
    assert shares.columns == ("Dordrecht", "Nederland")
    assert shares.chart_data()["datasets"][0]["data"] == [85.71, 71.43]
    assert not median.chart


def test_over_fewer_than_five_young_people_nothing_is_shown(released_2025, other_municipality):
    # Rotterdam: R1 R2 R3 only.
    dashboard = indicators.dashboard(Scope(municipality=other_municipality), YEAR)
    assert [(row.own, str(row.national)) for row in dashboard.table("timing").rows] == [
        ("–", "90%"),
        ("–", "60%"),
    ]
    assert dashboard.table("first-contact").rows[0].own == "–"


def test_a_share_of_one_to_four_young_people_shows_less_than_five(team, municipality):
    # Six released, guidance of only two started before release: 2 of 6 shows "<5".
    for index in range(6):
        release = D(2025, 6, 1)
        released(
            team,
            detention=D(2025, 1, 1),
            guidance=D(2025, 2, 1) if index < 2 else release,
            release=release,
        )
    table = indicators.dashboard(Scope(municipality=municipality), YEAR).table("timing")
    assert [str(row.own) for row in table.rows] == ["<5", "0%"]
    assert table.chart_data()["datasets"][0]["data"] == [None, 0]


def test_the_whole_country_is_one_column(released_2025):
    with translation.override("nl"):
        table = indicators.dashboard(Scope(), YEAR).table("timing")
    assert table.columns == ("Nederland",)
    assert [str(row.own) for row in table.rows] == ["90%", "60%"]
