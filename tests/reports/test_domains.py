"""Indicator 5, the five life domains over two years, against figures worked out by hand.

The period is 2025. Housing and work scores of the fixed moments (nd: not
discussed); the other three domains score 3 throughout:

| | team | T0 (housing / work) | 12 months, in 2025 (housing / work) |
| --- | --- | --- | --- |
| P1 | Dordrecht | 2024: 1 / 2 | 3 / 3 (and "in between" in 2025: not counted) |
| P2 | Dordrecht | 2024: 2 / 2 | 2 / 3 |
| P3 | Dordrecht | 2024: 2 / 2 | 4 / 3 |
| P4 | Dordrecht | 2024: 1 / 2 | 3 / 3 |
| P5 | Dordrecht | 2024: 3 / 2 | 5 / 3 |
| P6 | Dordrecht | 2024: nd / 2 | 4 / 3 |
| P7 | Dordrecht | none | 4 / 4 |
| P8 | Dordrecht | 2024: 2 / 2 | nd / 4 |
| P9 | Dordrecht | 2024: 1 / 3 | 6 months on 31-12-2024 and 24 months on 1-1-2026: outside |
| Q1 | Dordrecht | 2025: 2 / 2 | |
| R1 | Rotterdam | 2024: 1 / 3 | 1 / 3 |

Housing at 12 months, Dordrecht: scores 2 (P2), 3 3 (P1 P4), 4 4 4 (P3 P6 P7), 5 (P5);
P8 not discussed; 8 measured. With a T0 score on housing: P1 to P5 (P6's T0 did not
discuss housing, P7 has no T0, P8 did not discuss it now): 5, changes +2 0 +2 +2 +2, mean
1.6. The country adds R1 (change 0): 6, mean 8/6 = 1.3.

Work at 12 months, Dordrecht: six 3s and two 4s: the 2 is below 5, so the 6 is hidden too.
With a T0: all but P7, 7, changes six times +1 and +2 (P8), mean 8/7 = 1.1; the country adds
R1 (0): 8/8 = 1.0.

T0 in 2025: only Q1.
"""

import datetime

import pytest
from django.utils import translation

from lifedomains.domains import Domain
from reports.indicators import Period, Scope, domains
from tests.factories import TrajectoryFactory
from tests.lifedomains.test_assessments import make_assessment
from tests.reports.test_dashboard import URL, YEAR_2025, rows

pytestmark = pytest.mark.django_db

D = datetime.date
YEAR = Period(start=D(2025, 1, 1), end=D(2025, 12, 31))
ND = None
T0_DAY, M12_DAY = D(2024, 1, 10), D(2025, 2, 1)

# letter: (Dordrecht?, T0 housing/work or None, m12 housing/work or None)
PEOPLE = {
    "P1": (True, (1, 2), (3, 3)),
    "P2": (True, (2, 2), (2, 3)),
    "P3": (True, (2, 2), (4, 3)),
    "P4": (True, (1, 2), (3, 3)),
    "P5": (True, (3, 2), (5, 3)),
    "P6": (True, (ND, 2), (4, 3)),
    "P7": (True, None, (4, 4)),
    "P8": (True, (2, 2), (ND, 4)),
    "R1": (False, (1, 3), (1, 3)),
}


def scores(housing, work) -> dict:
    return {
        Domain.HOUSING: housing,
        Domain.ADMIN: 3,
        Domain.CARE: 3,
        Domain.FINANCES: 3,
        Domain.WORK: work,
    }


@pytest.fixture
def measured(team, other_team):
    made = {}
    for letter, (dordrecht, t0, m12) in PEOPLE.items():
        trajectory = TrajectoryFactory(client__team=team if dordrecht else other_team)
        if t0:
            make_assessment(trajectory, "t0", T0_DAY, scores(*t0))
        make_assessment(trajectory, "m12", M12_DAY, scores(*m12))
        made[letter] = trajectory
    make_assessment(made["P1"], "interim", D(2025, 6, 1), scores(5, 5))
    p9 = TrajectoryFactory(client__team=team)
    make_assessment(p9, "t0", T0_DAY, scores(1, 3))
    make_assessment(p9, "m6", D(2024, 12, 31), scores(5, 5))
    make_assessment(p9, "m24", D(2026, 1, 1), scores(5, 5))
    make_assessment(TrajectoryFactory(client__team=team), "t0", D(2025, 3, 1), scores(2, 2))
    return made


def tables(scope, period=YEAR) -> dict:
    with translation.override("nl"):
        (section,) = domains.sections(scope, period)
    return {table.key: table for table in section.tables}


def cells(table) -> dict[str, tuple]:
    return {row.label: tuple(str(cell) for cell in row.cells) for row in table.rows}


NOTHING = ("0", "0", "0", "0", "0", "0", "0", "0", "–", "–")


def test_housing_counts_scores_apart_from_not_discussed_and_pairs_with_t0(measured, municipality):
    housing = tables(Scope(municipality=municipality))["domain-housing"]
    assert housing.columns == (
        "1",
        "2",
        "3",
        "4",
        "5",
        "Niet besproken",
        "Gemeten",
        "Met T0",
        "Verandering sinds T0: Dordrecht",
        "Verandering sinds T0: Nederland",
    )
    assert cells(housing) == {
        # Q1's T0 is the one in 2025; T0 has no change of its own.
        "T0 – intake": ("0", "<5", "0", "0", "0", "0", "<5", "–", "–", "–"),
        "Bij ontslag": NOTHING,
        # P9's measurements at 6 and 24 months are outside 2025.
        "6 maanden na ontslag": NOTHING,
        # 7 scored, 5 with a T0: the 2 without one could be worked out, so "Met T0" is
        # hidden; the country adds only R1, too few to show its mean beside ours.
        "12 maanden na ontslag": ("0", "<5", "<5", "<5", "<5", "<5", "8", "verborgen", "1,6", "–"),
        "24 maanden na ontslag": NOTHING,
    }


def test_one_small_score_hides_the_next_smallest_in_its_row(measured, municipality):
    work = tables(Scope(municipality=municipality))["domain-work"]
    assert cells(work)["12 maanden na ontslag"] == (
        "0",
        "0",
        "verborgen",
        "<5",
        "0",
        "0",
        "8",
        "verborgen",  # 8 scored, 7 with a T0: P7 alone has none
        "1,1",
        "–",  # the country adds only R1
    )


def test_a_mean_change_over_fewer_than_five_is_not_shown(measured, other_municipality):
    housing = tables(Scope(municipality=other_municipality))["domain-housing"]
    # Rotterdam has only R1: one score of 1, no mean of its own, the country's beside it.
    assert cells(housing)["12 maanden na ontslag"] == (
        "<5",
        "0",
        "0",
        "0",
        "0",
        "0",
        "<5",
        "<5",
        "–",
        "1,3",
    )


def test_the_country_has_one_change_column(measured):
    housing = tables(Scope())["domain-housing"]
    assert housing.columns[-2:] == ("Met T0", "Verandering sinds T0: Nederland")
    assert cells(housing)["12 maanden na ontslag"] == (
        "<5",
        "<5",
        "<5",
        "<5",
        "<5",
        "<5",
        "9",
        "verborgen",  # 8 scored, 6 with a T0
        "1,3",
    )


def test_every_domain_has_a_table_and_the_chart_draws_the_mean_change(measured, municipality):
    found = tables(Scope(municipality=municipality))
    assert list(found) == [f"domain-{domain}" for domain in Domain.values]
    care = found["domain-care"]
    # Everyone scores 3 on care, at T0 too: 8 measured, 7 with a T0, no change.
    assert cells(care)["12 maanden na ontslag"] == (
        "0",
        "0",
        "8",
        "0",
        "0",
        "0",
        "8",
        "verborgen",
        "0,0",
        "–",
    )
    chart = found["domain-housing"].chart_data()
    assert [dataset["label"] for dataset in chart["datasets"]] == [
        "Verandering sinds T0: Dordrecht",
        "Verandering sinds T0: Nederland",
    ]
    assert chart["datasets"][0]["data"] == [None, None, None, 1.6, None]


def test_the_domains_are_counted_in_one_query(measured, municipality, django_assert_num_queries):
    with django_assert_num_queries(1):
        domains.sections(Scope(municipality=municipality), YEAR)


def test_the_dashboard_shows_the_domain_tables(manager_client, measured):
    content = manager_client.get(URL, YEAR_2025).content.decode()
    assert "De vijf leefgebieden" in content
    assert rows(content, "domain-housing")[3] == [
        "12 maanden na ontslag",
        "0",
        "&lt;5",
        "&lt;5",
        "&lt;5",
        "&lt;5",
        "&lt;5",
        "8",
        "verborgen",
        "1,6",
        "–",
    ]
