"""AC-2 and AC-3 for the life domains: another team, a manager or an admin sees nothing.

The matrix is generated from the URLconf: every parameterised route in the
`lifedomains` namespace must have a builder below, so a new route cannot be forgotten.
"""

import datetime
import json
import re

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from cases.models import Trajectory
from lifedomains.domains import Domain
from lifedomains.models import Action, Assessment, DomainScore, Goal, ReadinessItem
from partners.models import Agreement, CaseConference, Organisation
from tests.access_log import assert_refused_lines, client_of
from tests.factories import ClientFactory, TrajectoryFactory, days
from tests.pages import page_forms
from tests.routes import namespace_routes

pytestmark = pytest.mark.django_db


PARAMETERISED, PLAIN = namespace_routes("lifedomains")

# The views that accept only one method; the others accept GET and POST.
POST_ONLY = {"action-done"}
GET_ONLY = {"changes", "personal-plan", "personal-plan-pdf"}

NO_SUCH_PK = 2_147_483_000


# --- Builders: one object of team A per route, returning the pk for the URL ------------------


def trajectory_of(team, caseworker) -> Trajectory:
    return TrajectoryFactory(
        client__team=team,
        client__first_name="Tamara",
        client__last_name="Teamgenoot",
        caseworker=caseworker,
    )


def a_trajectory(team, caseworker) -> int:
    return trajectory_of(team, caseworker).pk


def an_assessment(team, caseworker) -> int:
    assessment = Assessment.objects.create(
        trajectory=trajectory_of(team, caseworker),
        moment=Assessment.Moment.T0,
        date=days(-20),
        created_by=caseworker,
    )
    for domain in Domain.values:
        DomainScore.objects.create(assessment=assessment, domain=domain, score=2, wish="Rust")
    return assessment.pk


def a_goal_object(team, caseworker) -> Goal:
    return Goal.objects.create(
        trajectory=trajectory_of(team, caseworker),
        domain=Domain.HOUSING,
        text="Ik wil een eigen kamer",
        created_by=caseworker,
    )


def a_goal(team, caseworker) -> int:
    return a_goal_object(team, caseworker).pk


def an_action(team, caseworker) -> int:
    return Action.objects.create(
        goal=a_goal_object(team, caseworker),
        description="Inschrijven bij de woningcorporatie",
        owner=Action.Owner.CLIENT,
        due_date=days(7),
    ).pk


def an_agreement(team, caseworker) -> int:
    goal = a_goal_object(team, caseworker)
    conference = CaseConference.objects.create(
        trajectory=goal.trajectory, held_on=days(-3), created_by=caseworker
    )
    organisation = Organisation.objects.create(
        name="Woonkracht Dordrecht", kind=Organisation.Kind.HOUSING
    )
    return Agreement.objects.create(
        conference=conference,
        text="Woonkracht zoekt een kamer",
        organisation=organisation,
        due_date=days(14),
    ).pk


BUILDERS = {
    "assessment-create": a_trajectory,
    "assessment-update": an_assessment,
    "goal-create": a_trajectory,
    "goal-update": a_goal,
    "action-create": a_goal,
    "action-update": an_action,
    "action-done": an_action,
    "agreement-action-create": an_agreement,
    "readiness-update": a_trajectory,
    "personal-plan": a_trajectory,
    "personal-plan-pdf": a_trajectory,
    "personal-plan-update": a_trajectory,
    "changes": a_trajectory,
}


def assessment_data(moment: str) -> dict:
    data = {
        "moment": moment,
        "date": days(-1).isoformat(),
        "note": "Gemeten in de PI.",
        "version": 1,
    }
    for domain in Domain.values:
        data |= {
            f"{domain}-score": "3",
            f"{domain}-discussed": "on",
            f"{domain}-wish": "Verder komen",
            f"{domain}-wish_strength": "4",
        }
    return data


def readiness_data() -> dict:
    data = {}
    for item in ReadinessItem.Item.values:
        data |= {f"{item}-status": "needed", f"{item}-date": "", f"{item}-note": ""}
    data |= {"housing-status": "arranged", "housing-date": days(-2).isoformat()}
    return data


def post_data(name: str, pk: int) -> dict:
    """Data the owning team's caseworker could really submit on that route's object."""
    goal = {
        "domain": Domain.WORK,
        "text": "Ik wil werken in de bouw",
        "wish_strength": "5",
        "target_date": days(60).isoformat(),
        "status": "open",
        "version": 1,
    }
    action = {
        "description": "Bellen met het UWV",
        "owner": Action.Owner.CASEWORKER,
        "owner_name": "",
        "due_date": days(3).isoformat(),
        "done_on": "",
        "version": 1,
    }
    appointment = timezone.localtime() + datetime.timedelta(days=7)
    data = {
        "assessment-create": assessment_data(Assessment.Moment.T0),
        "assessment-update": assessment_data(Assessment.Moment.T0),
        "goal-create": goal,
        "goal-update": goal,
        "action-create": action,
        "action-update": action,
        "action-done": {},
        "readiness-update": readiness_data(),
        "personal-plan-update": {
            "next_appointment": appointment.strftime("%Y-%m-%dT%H:%M"),
            "appointment_place": "Stadskantoor",
            "message": "Tot dan!",
        },
    }
    if name == "agreement-action-create":
        agreement = Agreement.objects.get(pk=pk)
        data[name] = action | {
            "goal": agreement.conference.trajectory.goals.get().pk,
            "owner": Action.Owner.PARTNER,
            "organisation": agreement.organisation_id,
        }
    return data.get(name, {"text": "iets"})


def database_state() -> dict[str, list[dict]]:
    return {
        model.__name__: list(model._base_manager.order_by("pk").values())
        for app in ("cases", "lifedomains", "partners")
        for model in apps.get_app_config(app).get_models()
    }


def accepts(name: str, method: str) -> bool:
    refused = POST_ONLY if method == "get" else GET_ONLY
    return name not in refused


def url(name: str, pk: int) -> str:
    return reverse(f"lifedomains:{name}", kwargs={"pk": pk})


# --- The matrix ------------------------------------------------------------------------------


def test_every_parameterised_lifedomains_url_has_a_builder():
    assert set(PARAMETERISED) == set(BUILDERS)


def test_every_lifedomains_url_is_client_scoped():
    assert PLAIN == []


@pytest.mark.parametrize("name", PARAMETERISED)
@pytest.mark.parametrize("method", ["get", "post"])
def test_other_team_gets_404_and_changes_nothing(
    other_caseworker_client, other_caseworker, team, caseworker, name, method
):
    pk = BUILDERS[name](team, caseworker)
    before = database_state()
    send = getattr(other_caseworker_client, method)

    response = send(url(name, pk), post_data(name, pk) if method == "post" else {})

    # A method the view refuses is refused before the lookup: 405, for any pk alike.
    assert response.status_code == (404 if accepts(name, method) else 405)
    missing = send(url(name, NO_SUCH_PK), post_data(name, pk) if method == "post" else {})
    assert missing.status_code == response.status_code
    assert database_state() == before
    # Each 404 leaves one `denied` line with the client number asked for (AL-3).
    refused = [(pk, client_of(team)), (NO_SUCH_PK, None)] if accepts(name, method) else []
    assert_refused_lines(other_caseworker, refused)


@pytest.mark.parametrize("name", PARAMETERISED)
def test_other_team_gets_404_on_an_htmx_post_too(other_caseworker_client, team, caseworker, name):
    pk = BUILDERS[name](team, caseworker)
    before = database_state()

    response = other_caseworker_client.post(
        url(name, pk), post_data(name, pk), headers={"HX-Request": "true"}
    )

    assert response.status_code == (405 if name in GET_ONLY else 404)
    assert database_state() == before


@pytest.mark.parametrize("name", PARAMETERISED)
@pytest.mark.parametrize("role", ["manager", "admin_user"])
def test_manager_and_admin_get_404_on_client_scoped_urls(
    request, client, team, caseworker, name, role
):
    pk = BUILDERS[name](team, caseworker)
    client.force_login(request.getfixturevalue(role))
    method = "post" if name in POST_ONLY else "get"
    before = database_state()

    response = getattr(client, method)(url(name, pk))

    assert response.status_code == 404
    assert database_state() == before


@pytest.mark.parametrize("name", sorted(set(PARAMETERISED) - GET_ONLY))
@pytest.mark.parametrize("role", ["manager", "admin_user"])
def test_manager_and_admin_cannot_post_to_client_scoped_urls(
    request, client, team, caseworker, name, role
):
    pk = BUILDERS[name](team, caseworker)
    client.force_login(request.getfixturevalue(role))
    before = database_state()

    response = client.post(url(name, pk), post_data(name, pk))

    assert response.status_code == 404
    assert database_state() == before


@pytest.mark.parametrize("name", PARAMETERISED)
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_user_is_sent_to_login(client, team, caseworker, name, method):
    pk = BUILDERS[name](team, caseworker)
    before = database_state()

    response = getattr(client, method)(
        url(name, pk), post_data(name, pk) if method == "post" else {}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert database_state() == before


@pytest.mark.parametrize("name", sorted(set(PARAMETERISED) - {"personal-plan-pdf"}))
def test_owning_team_caseworker_can_open_the_page(caseworker_client, team, caseworker, name):
    pk = BUILDERS[name](team, caseworker)

    response = caseworker_client.get(url(name, pk))

    assert response.status_code == (405 if name in POST_ONLY else 200)
    if name not in POST_ONLY:
        assert response["Content-Type"].startswith("text/html")


def test_owning_team_caseworker_gets_the_personal_plan_as_pdf(caseworker_client, team, caseworker):
    pk = a_trajectory(team, caseworker)

    response = caseworker_client.get(url("personal-plan-pdf", pk))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


@pytest.mark.parametrize("name", sorted(set(PARAMETERISED) - GET_ONLY))
def test_the_matrix_post_data_really_changes_the_dossier_for_the_owning_team(
    caseworker_client, team, caseworker, name
):
    """Proves the 404 tests above post data that would have had an effect."""
    pk = BUILDERS[name](team, caseworker)
    before = database_state()

    response = caseworker_client.post(url(name, pk), post_data(name, pk))

    assert response.status_code == 302
    assert database_state() != before


def forms_on(response) -> list:
    """Every form a life-domain page renders, whatever its context calls them."""
    context = response.context
    if "sections" in context:
        return page_forms(response)
    if "domain_forms" in context:
        return [context["form"], *context["domain_forms"]]
    return [*context["basic_forms"], *context["other_forms"]]


@pytest.mark.parametrize("name", sorted(set(PARAMETERISED) - GET_ONLY - POST_ONLY))
def test_form_pages_render_the_fields_of_their_forms(caseworker_client, team, caseworker, name):
    response = caseworker_client.get(url(name, BUILDERS[name](team, caseworker)))

    content = response.content.decode()
    forms = forms_on(response)
    assert forms
    for form in forms:
        for field in form:
            assert f'name="{field.html_name}"' in content, field.html_name


# --- AC-3: nothing of another team on the own dossier and caseload ---------------------------


SECRETS = {
    "goal": "Geheim doel van Rotterdam",
    "action": "Geheime actie van Rotterdam",
    "readiness": "Geheime notitie van Rotterdam",
}


def life_domain_history(trajectory, caseworker, *, prefix: str, score: int) -> None:
    """One assessment, one goal with an action, and all five basic conditions arranged."""
    assessment = Assessment.objects.create(
        trajectory=trajectory, moment=Assessment.Moment.T0, date=days(-30), created_by=caseworker
    )
    for domain in Domain.values:
        DomainScore.objects.create(assessment=assessment, domain=domain, score=score)
    goal = Goal.objects.create(
        trajectory=trajectory, domain=Domain.CARE, text=f"{prefix} doel", created_by=caseworker
    )
    Action.objects.create(
        goal=goal, description=f"{prefix} actie", owner=Action.Owner.CLIENT, due_date=days(-3)
    )
    for item in ReadinessItem.BASIC:
        ReadinessItem.objects.create(
            trajectory=trajectory,
            item=item,
            status=ReadinessItem.Status.ARRANGED,
            date=days(-1),
            note=f"{prefix} notitie",
        )


@pytest.fixture
def two_teams(team, other_team, caseworker, other_caseworker):
    mine = TrajectoryFactory(
        client__team=team,
        client__first_name="Anouk",
        client__last_name="Aarts",
        caseworker=caseworker,
        expected_release=days(10),
    )
    Goal.objects.create(
        trajectory=mine, domain=Domain.HOUSING, text="Eigen doel van Anouk", created_by=caseworker
    )
    theirs = TrajectoryFactory(
        client=ClientFactory(team=other_team, first_name="Bram", last_name="Bakker"),
        caseworker=other_caseworker,
        expected_release=days(10),
    )
    life_domain_history(theirs, other_caseworker, prefix="Geheim", score=5)
    Goal.objects.filter(trajectory=theirs).update(text=SECRETS["goal"])
    Action.objects.filter(goal__trajectory=theirs).update(description=SECRETS["action"])
    ReadinessItem.objects.filter(trajectory=theirs).update(note=SECRETS["readiness"])
    return mine, theirs


def test_the_own_dossier_shows_nothing_of_another_teams_life_domains(caseworker_client, two_teams):
    mine, theirs = two_teams

    response = caseworker_client.get(reverse("cases:client-detail", args=[mine.client.pk]))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Eigen doel van Anouk" in content
    for secret in [*SECRETS.values(), "Bakker"]:
        assert secret not in content
    # No assessment of the other team ended up in the own progress table or chart data.
    assert 'id="progress-data"' not in content
    for name in ["goal-update", "action-create"]:
        for goal in theirs.goals.all():
            assert reverse(f"lifedomains:{name}", args=[goal.pk]) not in content
    for action in Action.objects.filter(goal__trajectory=theirs):
        assert reverse("lifedomains:action-done", args=[action.pk]) not in content


def test_the_own_progress_data_holds_only_the_own_assessments(
    caseworker_client, two_teams, caseworker
):
    mine, _theirs = two_teams
    life_domain_history(mine, caseworker, prefix="Eigen", score=2)

    content = caseworker_client.get(
        reverse("cases:client-detail", args=[mine.client.pk])
    ).content.decode()

    match = re.search(r'<script id="progress-data" type="application/json">(.*?)</script>', content)
    assert match
    data = json.loads(match.group(1))
    assert len(data["labels"]) == 1
    assert [series["scores"] for series in data["series"]] == [[2]] * 5


def test_the_caseload_shows_only_the_own_readiness(caseworker_client, two_teams):
    mine, _theirs = two_teams

    response = caseworker_client.get(reverse("cases:caseload"))

    content = response.content.decode()
    assert "Bakker" not in content
    assert [row["client"] for row in response.context["rows"]] == [mine.client]
    assert response.context["rows"][0]["client"].readiness_done == 0
    assert "rio-flag--readiness" in content


def test_the_goal_choice_for_an_agreement_offers_only_the_goals_of_its_trajectory(
    caseworker_client, team, caseworker, two_teams
):
    mine, theirs = two_teams
    agreement = Agreement.objects.get(pk=an_agreement(team, caseworker))
    own_goal = agreement.conference.trajectory.goals.get()
    url_ = url("agreement-action-create", agreement.pk)

    response = caseworker_client.get(url_)

    offered = set(page_forms(response)[0].fields["goal"].queryset)
    assert offered == {own_goal}
    assert not offered & set(Goal.objects.filter(trajectory__in=[mine, theirs]))

    before = database_state()
    data = post_data("agreement-action-create", agreement.pk)
    data["goal"] = theirs.goals.get().pk
    response = caseworker_client.post(url_, data)

    assert response.status_code == 200
    assert page_forms(response)[0].has_error("goal")
    assert database_state() == before
