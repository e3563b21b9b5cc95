"""Wijzigingen: a caseworker reads who changed what when in a trajectory's plan,
assessments and release checklist (AL-2)."""

import pghistory
import pytest
from django.urls import reverse

from audit.models import AccessLogEntry
from lifedomains.changes import PAGE_SIZE
from lifedomains.domains import Domain
from lifedomains.models import DomainScore, Goal, ReadinessItem
from tests.access_log import assert_refused_lines
from tests.factories import TrajectoryFactory, days
from tests.lifedomains.test_scoping import a_goal_object, an_assessment

pytestmark = pytest.mark.django_db


def changes_url(trajectory_pk: int) -> str:
    return reverse("lifedomains:changes", args=[trajectory_pk])


def test_a_goal_edited_on_its_page_shows_who_changed_it_from_what_to_what(
    caseworker_client, caseworker, team
):
    caseworker.first_name, caseworker.last_name = "Rita", "Rio"
    caseworker.save()
    goal = a_goal_object(team, caseworker)
    response = caseworker_client.post(
        reverse("lifedomains:goal-update", args=[goal.pk]),
        {
            "domain": Domain.HOUSING,
            "text": "Ik wil een eigen huis",
            "wish_strength": "5",
            "target_date": days(60).isoformat(),
            "status": "open",
            "version": goal.version,
        },
    )
    assert response.status_code == 302

    response = caseworker_client.get(changes_url(goal.trajectory_id))

    assert response.status_code == 200
    row = response.context["rows"][0]
    assert row["user"] == caseworker
    assert row["record"] == f"Doel {goal.pk}: Ik wil een eigen huis"
    pairs = [(c.before, c.after) for c in row["changes"]]
    assert ("Ik wil een eigen kamer", "Ik wil een eigen huis") in pairs
    html = response.content.decode()
    assert "Rita Rio" in html
    assert "Ik wil een eigen kamer → Ik wil een eigen huis" in html


def test_a_changed_score_shows_its_old_and_new_value(caseworker_client, caseworker, team):
    assessment_pk = an_assessment(team, caseworker)
    score = DomainScore.objects.get(assessment_id=assessment_pk, domain=Domain.WORK)
    DomainScore.objects.filter(pk=score.pk).update(score=4)

    response = caseworker_client.get(changes_url(score.assessment.trajectory_id))

    row = response.context["rows"][0]
    assert row["record"] == f"Score per leefgebied {score.pk}: Werk en inkomen"
    assert [(c.before, c.after) for c in row["changes"]] == [
        ("2 – niet zelfredzaam", "4 – voldoende zelfredzaam")
    ]


def test_readiness_and_another_trajectorys_plan_are_told_apart(caseworker_client, caseworker, team):
    goal = a_goal_object(team, caseworker)
    ReadinessItem.objects.create(
        trajectory=goal.trajectory, item=ReadinessItem.Item.HOUSING, status="arranged"
    )
    other = TrajectoryFactory(client__team=team, caseworker=caseworker)
    Goal.objects.create(trajectory=other, domain=Domain.WORK, text="Elders", created_by=caseworker)

    response = caseworker_client.get(changes_url(goal.trajectory_id))

    records = [row["record"] for row in response.context["rows"]]
    assert any("Onderdak op de dag van ontslag" in record for record in records)
    assert any("Ik wil een eigen kamer" in record for record in records)
    assert not any("Elders" in record for record in records)


def test_reading_the_changes_writes_one_line(caseworker_client, caseworker, team):
    goal = a_goal_object(team, caseworker)

    caseworker_client.get(changes_url(goal.trajectory_id))

    line = AccessLogEntry.objects.get()
    assert (line.user, line.action, line.client_ref) == (
        caseworker,
        AccessLogEntry.Action.VIEW,
        goal.trajectory.client_id,
    )


def test_other_team_gets_404_and_a_denied_line(
    other_caseworker_client, other_caseworker, team, caseworker
):
    goal = a_goal_object(team, caseworker)

    response = other_caseworker_client.get(changes_url(goal.trajectory_id))

    assert response.status_code == 404
    assert_refused_lines(other_caseworker, [(goal.trajectory_id, goal.trajectory.client_id)])


def test_changes_come_a_page_at_a_time_and_a_bad_page_number_gives_the_first(
    caseworker_client, caseworker, team
):
    goal = a_goal_object(team, caseworker)
    for n in range(PAGE_SIZE):
        Goal.objects.filter(pk=goal.pk).update(text=f"Versie {n}")

    first = caseworker_client.get(changes_url(goal.trajectory_id))
    second = caseworker_client.get(changes_url(goal.trajectory_id), {"page": 2})
    bad = caseworker_client.get(changes_url(goal.trajectory_id), {"page": "10" * 20})

    assert len(first.context["rows"]) == PAGE_SIZE
    assert first.context["has_next"]
    assert [row["event"].pgh_label for row in second.context["rows"]] == ["insert"]
    assert first.context["rows"][0]["changes"][0].after == f"Versie {PAGE_SIZE - 1}"
    assert not second.context["has_next"]
    assert bad.status_code == 200
    assert bad.context["page"] == 1


@pytest.mark.parametrize("edits", [1, 20])
def test_the_changes_page_takes_the_same_queries_however_long_the_history(
    caseworker_client, caseworker, colleague, team, edits, django_assert_num_queries
):
    goal = a_goal_object(team, caseworker)
    an_assessment(team, caseworker)
    for n in range(edits):
        # Edits by two people, as through the web app.
        with pghistory.context(user=(caseworker, colleague)[n % 2].pk):
            Goal.objects.filter(pk=goal.pk).update(text=f"Versie {n}")

    # Session, user, MFA; the trajectory; the events; their users; the log line; the
    # page's inbox count and team; the session's save (savepoint, update, release).
    with django_assert_num_queries(12):
        response = caseworker_client.get(changes_url(goal.trajectory_id))

    assert len(response.context["rows"]) >= edits
