"""The assessment form and the caseload stay a fixed number of queries with life-domain data
(the dossier's one pin, with every section filled, is in tests/test_dossier.py)."""

import pytest
from django.urls import reverse

from cases.models import Trajectory
from lifedomains.domains import Domain
from lifedomains.models import Action, Assessment, DomainScore, Goal, ReadinessItem
from tests.factories import ClientFactory, TrajectoryFactory, days

pytestmark = pytest.mark.django_db

# Session, user, MFA check, count, team caseworkers, the page of clients (with the
# readiness annotation), team, the caseworker filter's options, the access log line,
# the inbox's unread count and the session save.
CASELOAD_QUERIES = 13
# Session, user, MFA check, trajectory, the latest assessment and its scores, the
# level descriptions, the access log line, the user's team, the inbox's unread count
# and the session save (3).
ASSESSMENT_FORM_QUERIES = 13

MOMENTS = ["t0", "release", "m6", "m12", "m24"]
STATUSES = list(ReadinessItem.Status.values)


def assessments(trajectory, count: int, *, first_day: int) -> None:
    """`count` assessments of five scores, a week apart: the fixed moments, then interims."""
    for number in range(count):
        moment = MOMENTS[number] if number < len(MOMENTS) else "interim"
        assessment = Assessment.objects.create(
            trajectory=trajectory, moment=moment, date=days(first_day + 7 * number)
        )
        for offset, domain in enumerate(Domain.values):
            DomainScore.objects.create(
                assessment=assessment,
                domain=domain,
                score=(number + offset) % 5 + 1,
                wish="Verder komen",
                wish_strength=3,
            )


def plan(trajectory, goals: int, actions: int) -> None:
    for number in range(goals):
        goal = Goal.objects.create(
            trajectory=trajectory,
            domain=Domain.values[number % 5],
            text=f"Doel {number}",
            target_date=days(30 + number),
            status=Goal.Status.OPEN if number % 4 else Goal.Status.ACHIEVED,
        )
        for index in range(actions):
            Action.objects.create(
                goal=goal,
                description=f"Actie {number}.{index}",
                owner=Action.Owner.values[index % 4],
                owner_name="Oom Henk" if index % 2 else "",
                due_date=days(index * 10 - 5),
                done_on=days(-1) if index == 2 else None,
            )


def checklist(trajectory) -> None:
    for number, item in enumerate(ReadinessItem.Item.values):
        ReadinessItem.objects.create(
            trajectory=trajectory,
            item=item,
            status=STATUSES[number % len(STATUSES)],
            date=days(-number),
            note=f"Notitie {number}",
        )


def life_domain_history(trajectory, *, scale: int) -> None:
    """Two years of measuring and planning; `scale` 2 doubles it, with an older trajectory."""
    assessments(trajectory, 6 * scale, first_day=-95)
    plan(trajectory, 8 * scale, 3)
    checklist(trajectory)
    if scale > 1:
        older = TrajectoryFactory(
            client=trajectory.client,
            caseworker=trajectory.caseworker,
            status=Trajectory.Status.CLOSED,
            started_on=days(-700),
            detention_start=days(-720),
            expected_release=days(-600),
            actual_release=days(-600),
            ended_on=days(-400),
            end_reason=Trajectory.EndReason.NEW_DETENTION,
        )
        assessments(older, 6 * scale, first_day=-690)
        plan(older, 8 * scale, 3)
        checklist(older)


@pytest.fixture
def trajectory(team, caseworker):
    return TrajectoryFactory(
        client=ClientFactory(team=team, first_name="Jayden", last_name="Verhoef"),
        caseworker=caseworker,
        started_on=days(-100),
        expected_release=days(10),
    )


@pytest.mark.parametrize("scale", [1, 2])
def test_the_assessment_form_is_a_fixed_number_of_queries(
    caseworker_client, trajectory, django_assert_num_queries, scale
):
    life_domain_history(trajectory, scale=scale)

    with django_assert_num_queries(ASSESSMENT_FORM_QUERIES):
        response = caseworker_client.get(
            reverse("lifedomains:assessment-create", args=[trajectory.pk])
        )

    assert response.status_code == 200
    assert all(form.initial["score"] for form in response.context["domain_forms"])


def many(team, caseworker, count: int) -> None:
    """`count` young people in detention, each with part of the checklist done."""
    for number in range(count):
        trajectory = TrajectoryFactory(
            client__team=team,
            client__last_name=f"Achternaam{number:02d}",
            caseworker=caseworker,
            expected_release=days(5 + number),
        )
        for item in ReadinessItem.BASIC[: number % 6]:
            ReadinessItem.objects.create(
                trajectory=trajectory, item=item, status=ReadinessItem.Status.ARRANGED
            )
        ReadinessItem.objects.create(
            trajectory=trajectory, item=ReadinessItem.Item.DIGID, status="in_progress"
        )


@pytest.mark.parametrize("count", [3, 30])
def test_the_caseload_is_a_fixed_number_of_queries_with_readiness(
    caseworker_client, team, caseworker, django_assert_num_queries, count
):
    many(team, caseworker, count)

    with django_assert_num_queries(CASELOAD_QUERIES):
        response = caseworker_client.get(reverse("cases:caseload"))

    rows = response.context["rows"]
    assert len(rows) == min(count, 25)
    expected = {f"Achternaam{number:02d}": number % 6 for number in range(count)}
    assert {row["client"].last_name: row["client"].readiness_done for row in rows} == {
        row["client"].last_name: expected[row["client"].last_name] for row in rows
    }
