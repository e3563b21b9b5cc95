"""The plan: goals per domain, the actions that reach them, and ticking an action off."""

import re

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from audit.models import AccessLogEntry
from cases.models import TimelineEvent
from lifedomains.domains import Domain
from lifedomains.models import Action, Goal
from tests.factories import ClientFactory, TrajectoryFactory, days
from tests.pages import page_form

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture
def trajectory(team, caseworker):
    return TrajectoryFactory(
        client=ClientFactory(team=team, first_name="Jayden", last_name="Verhoef"),
        caseworker=caseworker,
    )


@pytest.fixture
def other_trajectory(other_team, other_caseworker):
    return TrajectoryFactory(client__team=other_team, caseworker=other_caseworker)


@pytest.fixture
def goal(trajectory, caseworker):
    return Goal.objects.create(
        trajectory=trajectory,
        domain=Domain.HOUSING,
        text="Ik wil een eigen kamer",
        wish_strength=5,
        created_by=caseworker,
    )


def an_action(goal, **fields) -> Action:
    values = {
        "description": "Inschrijven bij de woningcorporatie",
        "owner": Action.Owner.CLIENT,
        "due_date": days(7),
    }
    return Action.objects.create(goal=goal, **(values | fields))


def dossier_url(trajectory) -> str:
    return reverse("cases:client-detail", args=[trajectory.client.pk])


def goal_data(**changes) -> dict:
    data = {
        "domain": Domain.WORK,
        "text": "Ik wil werken in de bouw",
        "wish_strength": "4",
        "target_date": days(90).isoformat(),
        "status": Goal.Status.OPEN,
    }
    return data | changes


def action_data(**changes) -> dict:
    data = {
        "description": "Bellen met het UWV",
        "owner": Action.Owner.PARTNER,
        "owner_name": "UWV Dordrecht",
        "due_date": days(5).isoformat(),
        "done_on": "",
    }
    return data | changes


def section(content: str, anchor: str) -> str:
    start = content.index(f'<section id="{anchor}"')
    return content[start : content.index("</section>", start)]


def action_li(content: str, action: Action) -> str:
    """The opening tag of the action's list item."""
    match = re.search(rf'<li class="[^"]*" id="action-{action.pk}">', content)
    assert match, action
    return match.group(0)


# --- Goals --------------------------------------------------------------------------------------


def test_a_new_goal_is_saved_and_leads_to_adding_its_first_action(
    caseworker_client, trajectory, caseworker
):
    response = caseworker_client.post(
        reverse("lifedomains:goal-create", args=[trajectory.pk]), goal_data()
    )

    goal = Goal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("lifedomains:action-create", args=[goal.pk])
    assert goal.trajectory == trajectory
    assert goal.domain == Domain.WORK
    assert goal.text == "Ik wil werken in de bouw"
    assert goal.wish_strength == 4
    assert goal.target_date == days(90)
    assert goal.status == Goal.Status.OPEN
    assert goal.created_by == caseworker
    event = TimelineEvent.objects.get()
    assert event.kind == TimelineEvent.Kind.LIFE_DOMAINS
    assert event.trajectory == trajectory
    # The line names the domain, never the goal's own words, which may be
    # corrected or erased later while the timeline cannot change (PR-2).
    assert event.title == "Doel toegevoegd: Werk en inkomen"
    assert "bouw" not in event.title + event.text


def test_the_goal_form_starts_on_the_domain_it_was_opened_from(caseworker_client, trajectory):
    response = caseworker_client.get(
        reverse("lifedomains:goal-create", args=[trajectory.pk]), {"domain": "care"}
    )

    assert response.status_code == 200
    form = page_form(response)
    assert form.initial["domain"] == "care"
    assert set(form.fields) >= {"domain", "text", "wish_strength", "target_date", "status"}
    assert '<option value="care" selected>' in response.content.decode()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("text", ""),
        ("domain", "sport"),
        ("wish_strength", "7"),
        ("status", "forgotten"),
        ("target_date", "2025-02-30"),
    ],
)
def test_an_invalid_goal_is_an_error_and_nothing_is_saved(
    caseworker_client, trajectory, field, value
):
    response = caseworker_client.post(
        reverse("lifedomains:goal-create", args=[trajectory.pk]), goal_data(**{field: value})
    )

    assert response.status_code == 200
    assert page_form(response).has_error(field)
    assert not Goal.objects.exists()
    assert not TimelineEvent.objects.exists()


def test_a_goal_can_be_changed(caseworker_client, goal):
    response = caseworker_client.post(
        reverse("lifedomains:goal-update", args=[goal.pk]),
        goal_data(text="Ik wil een studio", status=Goal.Status.ACHIEVED, version=goal.version),
    )

    assert response.status_code == 302
    assert response["Location"] == f"{dossier_url(goal.trajectory)}#plan"
    goal.refresh_from_db()
    assert goal.text == "Ik wil een studio"
    assert goal.status == Goal.Status.ACHIEVED
    assert goal.version == 2


def test_a_stale_goal_version_gives_409_and_keeps_the_other_persons_change(
    caseworker_client, colleague, goal
):
    url = reverse("lifedomains:goal-update", args=[goal.pk])
    opened_at = goal.version
    other = HttpClient()
    other.force_login(colleague)
    assert other.post(url, goal_data(text="Van de collega", version=opened_at)).status_code == 302

    response = caseworker_client.post(url, goal_data(text="Van mij", version=opened_at))

    assert response.status_code == 409
    assert page_form(response).non_field_errors()
    goal.refresh_from_db()
    assert goal.text == "Van de collega"
    assert goal.version == opened_at + 1


# --- Actions ------------------------------------------------------------------------------------


def test_a_new_action_is_saved_under_its_goal(caseworker_client, goal):
    response = caseworker_client.post(
        reverse("lifedomains:action-create", args=[goal.pk]), action_data()
    )

    assert response.status_code == 302
    assert response["Location"] == f"{dossier_url(goal.trajectory)}#plan"
    action = Action.objects.get()
    assert action.goal == goal
    assert action.description == "Bellen met het UWV"
    assert action.owner == Action.Owner.PARTNER
    assert action.owner_name == "UWV Dordrecht"
    assert action.due_date == days(5)
    assert action.done_on is None


def test_the_action_form_offers_the_four_owners(caseworker_client, goal):
    response = caseworker_client.get(reverse("lifedomains:action-create", args=[goal.pk]))

    form = page_form(response)
    assert set(form.fields) >= {"description", "owner", "owner_name", "due_date", "done_on"}
    assert not set(form.fields) & {"goal", "created_at"}
    owners = {value for value, _label in form.fields["owner"].choices if value}
    assert owners == {"client", "caseworker", "network", "partner"}


@pytest.mark.parametrize("done_on", [days(0), days(-10)])
def test_an_action_can_be_recorded_as_already_done(caseworker_client, goal, done_on):
    response = caseworker_client.post(
        reverse("lifedomains:action-create", args=[goal.pk]),
        action_data(done_on=done_on.isoformat()),
    )

    assert response.status_code == 302
    assert Action.objects.get().done_on == done_on


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("done_on", days(1).isoformat()),
        ("description", ""),
        ("owner", "boss"),
        ("due_date", "morgen"),
    ],
)
def test_an_invalid_action_is_an_error_and_nothing_is_saved(caseworker_client, goal, field, value):
    response = caseworker_client.post(
        reverse("lifedomains:action-create", args=[goal.pk]), action_data(**{field: value})
    )

    assert response.status_code == 200
    assert page_form(response).has_error(field)
    assert not Action.objects.exists()


def test_done_on_in_the_future_is_an_error_when_changing_an_action(caseworker_client, goal):
    action = an_action(goal)

    response = caseworker_client.post(
        reverse("lifedomains:action-update", args=[action.pk]),
        action_data(done_on=days(2).isoformat(), version=action.version),
    )

    assert response.status_code == 200
    assert page_form(response).has_error("done_on")
    action.refresh_from_db()
    assert action.done_on is None
    assert action.version == 1


def test_a_stale_action_version_gives_409_and_keeps_the_other_persons_change(
    caseworker_client, colleague, goal
):
    action = an_action(goal)
    url = reverse("lifedomains:action-update", args=[action.pk])
    other = HttpClient()
    other.force_login(colleague)
    assert other.post(url, action_data(description="Van de collega", version=1)).status_code == 302

    response = caseworker_client.post(url, action_data(description="Van mij", version=1))

    assert response.status_code == 409
    assert page_form(response).non_field_errors()
    action.refresh_from_db()
    assert action.description == "Van de collega"
    assert action.version == 2


# --- Ticking an action off ------------------------------------------------------------------


def test_ticking_an_action_off_with_htmx_returns_its_list_item_marked_done(caseworker_client, goal):
    action = an_action(goal, due_date=days(-3))

    response = caseworker_client.post(
        reverse("lifedomains:action-done", args=[action.pk]), headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    content = response.content.decode().strip()
    assert content.startswith("<li ")
    assert content.endswith("</li>")
    assert "<html" not in content
    tag = action_li(content, action)
    assert "rio-action--done" in tag
    assert "rio-action--overdue" not in tag
    # Done: no more "done" button for it.
    assert reverse("lifedomains:action-done", args=[action.pk]) not in content
    assert days(0).strftime("%d-%m-%Y") in content
    action.refresh_from_db()
    assert action.done_on == days(0)
    assert action.version == 2
    assert AccessLogEntry.objects.filter(action=AccessLogEntry.Action.UPDATE).count() == 1


def test_ticking_an_action_off_without_htmx_redirects_to_the_plan(caseworker_client, goal):
    action = an_action(goal)

    response = caseworker_client.post(reverse("lifedomains:action-done", args=[action.pk]))

    assert response.status_code == 302
    assert response["Location"] == f"{dossier_url(goal.trajectory)}#plan"
    action.refresh_from_db()
    assert action.done_on == days(0)


def test_ticking_off_an_action_that_is_already_done_keeps_its_date(caseworker_client, goal):
    action = an_action(goal, done_on=days(-4))

    response = caseworker_client.post(
        reverse("lifedomains:action-done", args=[action.pk]), headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    action.refresh_from_db()
    assert action.done_on == days(-4)
    assert action.version == 1


def test_ticking_off_makes_an_edit_opened_before_a_conflict(caseworker_client, colleague, goal):
    action = an_action(goal)
    other = HttpClient()
    other.force_login(colleague)
    assert other.post(reverse("lifedomains:action-done", args=[action.pk])).status_code == 302

    response = caseworker_client.post(
        reverse("lifedomains:action-update", args=[action.pk]),
        action_data(description="Ander plan", version=1),
    )

    assert response.status_code == 409
    action.refresh_from_db()
    assert action.done_on == days(0)
    assert action.description == "Inschrijven bij de woningcorporatie"


def test_the_done_fragment_escapes_the_description(caseworker_client, goal):
    action = an_action(goal, description=f"Actie {SCRIPT}", owner_name=f"Oom {SCRIPT}")

    response = caseworker_client.post(
        reverse("lifedomains:action-done", args=[action.pk]), headers={"HX-Request": "true"}
    )

    content = response.content.decode()
    assert SCRIPT not in content
    assert f"Actie {ESCAPED}" in content
    assert f"Oom {ESCAPED}" in content


# --- The plan on the dossier --------------------------------------------------------------------


def test_an_open_action_past_its_due_date_is_shown_as_overdue(caseworker_client, goal):
    overdue = an_action(goal, description="Te laat", due_date=days(-2))
    done_late = an_action(goal, description="Klaar", due_date=days(-2), done_on=days(-1))
    upcoming = an_action(goal, description="Komt nog", due_date=days(3))
    due_today = an_action(goal, description="Vandaag", due_date=days(0))
    no_date = an_action(goal, description="Ooit", due_date=None)

    content = caseworker_client.get(dossier_url(goal.trajectory)).content.decode()

    plan = section(content, "plan")
    assert "rio-action--overdue" in action_li(plan, overdue)
    assert "rio-action--overdue" not in action_li(plan, done_late)
    assert "rio-action--done" in action_li(plan, done_late)
    for action in (upcoming, due_today, no_date):
        tag = action_li(plan, action)
        assert "rio-action--overdue" not in tag
        assert "rio-action--done" not in tag
    assert plan.count("rio-action--overdue") == 1


def test_the_plan_shows_the_five_domains_side_by_side_with_their_goals(
    caseworker_client, trajectory, caseworker
):
    texts = {
        "housing": ["Een eigen kamer"],
        "care": ["Naar de huisarts", "Stoppen met blowen"],
        "work": ["Werken in de bouw"],
    }
    for domain, goal_texts in texts.items():
        for text in goal_texts:
            goal = Goal.objects.create(
                trajectory=trajectory, domain=domain, text=text, created_by=caseworker
            )
            an_action(goal, description=f"Actie voor {text}")

    content = caseworker_client.get(dossier_url(trajectory)).content.decode()

    plan = section(content, "plan")
    assert plan.count('class="rio-plan"') == 1
    columns = plan.split('<div class="rio-plan__domain">')[1:]
    assert len(columns) == 5
    every_text = [text for goal_texts in texts.values() for text in goal_texts]
    for domain, column in zip(Domain.values, columns, strict=True):
        assert "<h3" in column
        expected = texts.get(domain, [])
        assert column.count('class="rio-goal rio-goal--open"') == len(expected)
        for text in every_text:
            assert (text in column) == (text in expected), (domain, text)
            assert (f"Actie voor {text}" in column) == (text in expected)


def test_free_text_in_the_plan_is_escaped_on_the_dossier(caseworker_client, goal):
    goal.text = f"Doel {SCRIPT}"
    goal.save()
    an_action(goal, description=f"Actie {SCRIPT}", owner_name=f"Oom {SCRIPT}")

    content = caseworker_client.get(dossier_url(goal.trajectory)).content.decode()

    assert SCRIPT not in content
    plan = section(content, "plan")
    assert f"Doel {ESCAPED}" in plan
    assert f"Actie {ESCAPED}" in plan
    assert f"Oom {ESCAPED}" in plan


def test_a_goal_entered_with_script_is_escaped_in_the_plan_and_kept_off_the_timeline(
    caseworker_client, trajectory
):
    caseworker_client.post(
        reverse("lifedomains:goal-create", args=[trajectory.pk]),
        goal_data(text=f"Doel {SCRIPT}"),
    )

    content = caseworker_client.get(dossier_url(trajectory)).content.decode()
    timeline = caseworker_client.get(
        reverse("cases:timeline", args=[trajectory.pk])
    ).content.decode()

    assert Goal.objects.get().text == f"Doel {SCRIPT}"
    assert SCRIPT not in content
    assert f"Doel {ESCAPED}" in section(content, "plan")
    # The timeline names the goal's domain, never its words.
    assert SCRIPT not in timeline
    assert ESCAPED not in timeline
    assert "Doel toegevoegd: Werk en inkomen" in timeline


def test_script_in_free_text_is_stored_verbatim(caseworker_client, goal):
    caseworker_client.post(
        reverse("lifedomains:action-create", args=[goal.pk]),
        action_data(description=f"Actie {SCRIPT}"),
    )

    assert Action.objects.get().description == f"Actie {SCRIPT}"


# --- Mass assignment (AC-5) -------------------------------------------------------------------


def test_posting_trajectory_or_created_by_to_a_new_goal_has_no_effect(
    caseworker_client, trajectory, other_trajectory, caseworker, other_caseworker
):
    response = caseworker_client.post(
        reverse("lifedomains:goal-create", args=[trajectory.pk]),
        goal_data(trajectory=other_trajectory.pk, created_by=other_caseworker.pk, version=9),
    )

    assert response.status_code == 302
    goal = Goal.objects.get()
    assert goal.trajectory == trajectory
    assert goal.created_by == caseworker
    assert goal.version == 1
    assert not other_trajectory.goals.exists()


def test_posting_trajectory_or_created_by_to_a_goal_change_has_no_effect(
    caseworker_client, goal, other_trajectory, caseworker, colleague
):
    response = caseworker_client.post(
        reverse("lifedomains:goal-update", args=[goal.pk]),
        goal_data(trajectory=other_trajectory.pk, created_by=colleague.pk, version=goal.version),
    )

    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.trajectory_id != other_trajectory.pk
    assert goal.created_by == caseworker
    assert not other_trajectory.goals.exists()


def test_posting_another_goal_to_a_new_action_has_no_effect(
    caseworker_client, goal, other_trajectory
):
    theirs = Goal.objects.create(trajectory=other_trajectory, domain="work", text="Hun doel")

    response = caseworker_client.post(
        reverse("lifedomains:action-create", args=[goal.pk]), action_data(goal=theirs.pk)
    )

    assert response.status_code == 302
    assert Action.objects.get().goal == goal
    assert not theirs.actions.exists()


def test_posting_another_goal_to_an_action_change_has_no_effect(
    caseworker_client, goal, other_trajectory
):
    theirs = Goal.objects.create(trajectory=other_trajectory, domain="work", text="Hun doel")
    action = an_action(goal)

    response = caseworker_client.post(
        reverse("lifedomains:action-update", args=[action.pk]),
        action_data(goal=theirs.pk, done_on=days(-1).isoformat(), version=action.version),
    )

    assert response.status_code == 302
    action.refresh_from_db()
    assert action.goal == goal
    assert action.done_on == days(-1)
    assert not theirs.actions.exists()


def test_the_caseload_shows_the_first_open_action_of_the_current_trajectory(
    caseworker_client, caseworker
):

    trajectory = TrajectoryFactory(client__team=caseworker.team, caseworker=caseworker)
    goal = Goal.objects.create(trajectory=trajectory, domain="housing", text="Eigen kamer")
    Action.objects.create(goal=goal, description="Later iets", owner="client", due_date=days(20))
    Action.objects.create(
        goal=goal, description="Inschrijven Woonnet", owner="client", due_date=days(-2)
    )
    Action.objects.create(
        goal=goal, description="Al gedaan", owner="client", due_date=days(-9), done_on=days(-9)
    )

    response = caseworker_client.get(reverse("cases:caseload"))

    (row,) = response.context["rows"]
    assert row["client"].next_action == "Inschrijven Woonnet"
    assert row["client"].next_action_due == days(-2)
    assert "rio-flag--overdue" in response.content.decode()
