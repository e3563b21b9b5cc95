"""The change of a domain score since the same trajectory's T0 on that domain: the rule
the dashboard's mean change uses. "Not discussed" is never a score."""

import datetime

import pytest

from lifedomains.models import DomainScore
from tests.factories import TrajectoryFactory
from tests.lifedomains.test_assessments import make_assessment

pytestmark = pytest.mark.django_db

D = datetime.date


def changes(moment: str) -> dict[tuple[int, str], tuple]:
    rows = (
        DomainScore.objects.with_change_since_t0()
        .filter(assessment__moment=moment)
        .values_list("assessment__trajectory", "domain", "t0_score", "change_since_t0")
    )
    return {(trajectory, domain): (t0, change) for trajectory, domain, t0, change in rows}


def test_the_change_is_against_the_same_trajectorys_t0_on_the_same_domain(team):
    one = TrajectoryFactory(client__team=team)
    other = TrajectoryFactory(client__team=team)
    make_assessment(one, "t0", D(2024, 1, 1), {"housing": 1, "work": 4})
    make_assessment(other, "t0", D(2024, 1, 1), {"housing": 5, "work": 1})
    make_assessment(one, "m12", D(2025, 1, 1), {"housing": 3, "work": 3})

    assert changes("m12") == {(one.pk, "housing"): (1, 2), (one.pk, "work"): (4, -1)}


def test_without_a_t0_or_when_not_discussed_there_is_no_change(team):
    without_t0 = TrajectoryFactory(client__team=team)
    make_assessment(without_t0, "m6", D(2025, 1, 1), {"housing": 3})
    not_discussed_at_t0 = TrajectoryFactory(client__team=team)
    make_assessment(not_discussed_at_t0, "t0", D(2024, 1, 1), {"housing": None})
    make_assessment(not_discussed_at_t0, "m6", D(2025, 1, 1), {"housing": 4})
    not_discussed_now = TrajectoryFactory(client__team=team)
    make_assessment(not_discussed_now, "t0", D(2024, 1, 1), {"housing": 2})
    make_assessment(not_discussed_now, "m6", D(2025, 1, 1), {"housing": None})

    assert changes("m6") == {
        (without_t0.pk, "housing"): (None, None),
        (not_discussed_at_t0.pk, "housing"): (None, None),
        (not_discussed_now.pk, "housing"): (2, None),
    }
