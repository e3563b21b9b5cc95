"""Every choice field of `lifedomains` is checked by the database, from its TextChoices."""

import pytest

from lifedomains.models import (
    Action,
    Assessment,
    DomainScore,
    Goal,
    LevelDescription,
    ReadinessItem,
)
from tests.constraints import assert_database_refuses
from tests.factories import TrajectoryFactory

pytestmark = pytest.mark.django_db


def a_level_description() -> LevelDescription:
    return LevelDescription.objects.get_or_create(
        domain="housing", level=1, defaults={"description": "Geen slaapplek."}
    )[0]


def an_assessment() -> Assessment:
    return Assessment.objects.create(trajectory=TrajectoryFactory(), moment=Assessment.Moment.T0)


def a_domain_score() -> DomainScore:
    return DomainScore.objects.create(assessment=an_assessment(), domain="housing", score=3)


def a_goal() -> Goal:
    return Goal.objects.create(
        trajectory=TrajectoryFactory(), domain="housing", text="Ik wil een eigen kamer."
    )


def an_action() -> Action:
    return Action.objects.create(
        goal=a_goal(), description="Inschrijven bij Woonkeus", owner=Action.Owner.CLIENT
    )


def a_readiness_item() -> ReadinessItem:
    return ReadinessItem.objects.create(
        trajectory=TrajectoryFactory(), item=ReadinessItem.Item.DIGID
    )


CHECKS = [
    (a_level_description, "domain", "leisure", "level_description_domain_valid"),
    (an_assessment, "moment", "m3", "assessment_moment_valid"),
    (a_domain_score, "domain", "leisure", "domain_score_domain_valid"),
    (a_goal, "domain", "leisure", "goal_domain_valid"),
    (a_goal, "status", "forgotten", "goal_status_valid"),
    (an_action, "owner", "nobody", "action_owner_valid"),
    (a_readiness_item, "item", "passport", "readiness_item_item_valid"),
    (a_readiness_item, "status", "maybe", "readiness_item_status_valid"),
]


@pytest.mark.parametrize(
    ("make", "field", "value", "constraint"),
    CHECKS,
    ids=[f"{field}-{constraint}" for _make, field, _value, constraint in CHECKS],
)
def test_the_database_refuses_a_value_outside_the_choices(make, field, value, constraint):
    assert_database_refuses(make(), field, value, constraint)
