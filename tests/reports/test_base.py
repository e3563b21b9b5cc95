"""The building blocks of every indicator: the median in the database, shares, charts."""

import datetime

import pytest
from django.db.models import Q
from django.utils import translation

from cases.models import Trajectory
from reports.indicators.base import (
    DaysBetween,
    Measure,
    Median,
    Row,
    Scope,
    Table,
    measure,
    measures,
    share,
    shares,
)
from tests.factories import TrajectoryFactory

pytestmark = pytest.mark.django_db


def test_the_median_is_percentile_cont_with_a_filter(team):
    start = datetime.date(2025, 1, 1)
    for days, end_reason in [(10, "completed"), (20, "completed"), (40, "moved"), (90, "moved")]:
        TrajectoryFactory(
            client__team=team,
            started_on=start,
            ended_on=start + datetime.timedelta(days=days),
            end_reason=end_reason,
            closed=True,
        )
    found = Trajectory.objects.aggregate(
        all=Median(DaysBetween("started_on", "ended_on")),
        completed=Median(DaysBetween("started_on", "ended_on"), filter=Q(end_reason="completed")),
        none=Median(DaysBetween("started_on", "ended_on"), filter=Q(end_reason="deceased")),
    )
    # Even counts interpolate between the middle two: (20 + 40) / 2 and (10 + 20) / 2.
    assert found == {"all": 30.0, "completed": 15.0, "none": None}


@pytest.mark.parametrize(
    ("part", "whole", "shown"),
    [(0, 4, "–"), (3, 4, "–"), (0, 10, "0%"), (3, 10, "<5"), (5, 10, "50%"), (7, 9, "78%")],
)
def test_a_share_is_not_shown_over_few_and_a_small_part_is_marked(part, whole, shown):
    with translation.override("nl"):
        assert str(share(part, whole)) == shown


def test_a_measure_over_fewer_than_five_is_not_shown():
    assert measure(2.5, persons=4) == "–"
    assert measure(2.5, persons=5) == Measure(2.5, digits=1)


def test_the_chart_draws_the_same_numbers_and_leaves_gaps_for_suppressed_cells():
    table = Table(
        key="t",
        caption="",
        explanation="",
        columns=("Dordrecht", "Nederland"),
        rows=[Row("a", (12, 40)), Row("b", ("<5", 7)), Row("c", (Measure(41.7, unit="%"), "–"))],
        chart_columns=(0, 1),
    )
    assert table.chart_data() == {
        "labels": ["a", "b", "c"],
        "datasets": [
            {"label": "Dordrecht", "data": [12, None, 41.7]},
            {"label": "Nederland", "data": [40, 7, None]},
        ],
        "unit": "%",
    }


def test_the_country_is_not_compared_with_itself(municipality):
    with translation.override("en"):
        assert Scope(municipality=municipality).columns() == (str(municipality), "The Netherlands")
        assert Scope().columns() == ("The Netherlands",)


def test_the_national_share_is_not_shown_when_the_rest_of_the_country_is_small():
    # Rest of the country: 2 of 4, and 2 of 10.
    assert [str(cell) for cell in shares(10, 20, 12, 24)] == ["50%", "–"]
    assert [str(cell) for cell in shares(10, 20, 12, 30)] == ["50%", "–"]
    # Rest 5 of 10: shown.
    assert [str(cell) for cell in shares(10, 20, 15, 30)] == ["50%", "50%"]


def test_the_national_mean_is_not_shown_when_the_rest_of_the_country_is_small():
    with translation.override("nl"):
        assert [str(cell) for cell in measures(2.0, 10, 2.5, 14)] == ["2,0", "–"]
        assert [str(cell) for cell in measures(2.0, 10, 2.5, 15)] == ["2,0", "2,5"]
