"""AC-2 and AC-3 for the chain partners: the registry is shared, the rest is team-owned.

The matrix is generated from the URLconf: every parameterised route in the
`partners` namespace must have a builder below, so a new route cannot be forgotten.
Registry routes (organisations, contact people) are reference data that every
caseworker may open; what partners do on a trajectory and the bottlenecks belong
to one team, and anyone else gets 404.
"""

import pytest
from django.apps import apps
from django.urls import reverse

from accounts.models import Municipality
from cases.models import Client, Trajectory
from lifedomains.domains import Regie
from lifedomains.models import Action, Goal
from partners.models import (
    Agreement,
    Bottleneck,
    BottleneckEvent,
    CaseConference,
    ContactPerson,
    Involvement,
    Organisation,
    PartnerRequest,
    SharingBasis,
)
from tests.access_log import assert_refused_lines, client_of
from tests.factories import TrajectoryFactory, days
from tests.pages import page_form
from tests.routes import namespace_routes

pytestmark = pytest.mark.django_db


PARAMETERISED, PLAIN = namespace_routes("partners")

# The views that accept only one method; the others accept GET and POST.
POST_ONLY = {"bottleneck-escalate", "bottleneck-status"}
GET_ONLY = {"organisation-detail", "bottleneck-detail"}

NO_SUCH_PK = 2_147_483_000


# --- Builders: one object of team A per route, returning the pk for the URL ------------------


def reclassering() -> Organisation:
    """A regional partner of every municipality of the test, so each of their
    caseworkers keeps it (who keeps what: tests/partners/test_registry_keeping.py)."""
    organisation, created = Organisation.objects.get_or_create(
        name="Reclassering Nederland",
        municipality=None,
        defaults={"kind": Organisation.Kind.PROBATION, "domains": ["care", "work"]},
    )
    if created:
        organisation.region_municipalities.set(Municipality.objects.all())
    return organisation


def trajectory_of(team, caseworker) -> Trajectory:
    return TrajectoryFactory(
        client__team=team,
        client__first_name="Tamara",
        client__last_name="Teamgenoot",
        caseworker=caseworker,
    )


def an_organisation(team, caseworker) -> int:
    organisation = reclassering()
    ContactPerson.objects.get_or_create(organisation=organisation, name="Sanne Vermeulen")
    return organisation.pk


def a_contact_person(team, caseworker) -> int:
    return ContactPerson.objects.create(organisation=reclassering(), name="Sanne Vermeulen").pk


def a_trajectory(team, caseworker) -> int:
    return trajectory_of(team, caseworker).pk


def an_involvement(team, caseworker) -> int:
    return Involvement.objects.create(
        trajectory=trajectory_of(team, caseworker),
        organisation=reclassering(),
        role="reclasseringswerker",
        domains=["care"],
        started_on=days(-20),
    ).pk


def a_basis(team, caseworker) -> int:
    return SharingBasis.objects.create(
        trajectory=trajectory_of(team, caseworker),
        organisation=reclassering(),
        basis=SharingBasis.Basis.PBW_18A,
        scope=["care"],
        valid_from=days(-20),
    ).pk


def a_request(team, caseworker) -> int:
    return PartnerRequest.objects.create(
        trajectory=trajectory_of(team, caseworker),
        organisation=reclassering(),
        domain="care",
        question="Welke bijzondere voorwaarden gelden er?",
        asked_on=days(-5),
    ).pk


def a_bottleneck_of(team, caseworker) -> Bottleneck:
    bottleneck = Bottleneck.objects.create(
        team=team,
        title="Geen briefadres zonder ID",
        description="Zonder ID geen briefadres, zonder briefadres geen uitkering.",
        category=Bottleneck.Category.REGULATION,
        raised_by=caseworker,
        raised_on=days(-10),
    )
    bottleneck.organisations.add(reclassering())
    bottleneck.trajectories.add(trajectory_of(team, caseworker))
    BottleneckEvent.objects.create(
        bottleneck=bottleneck, kind=BottleneckEvent.Kind.RAISED, by=caseworker
    )
    return bottleneck


def a_bottleneck(team, caseworker) -> int:
    return a_bottleneck_of(team, caseworker).pk


BUILDERS = {
    "organisation-detail": an_organisation,
    "organisation-update": an_organisation,
    "contact-create": an_organisation,
    "contact-update": a_contact_person,
    "involvement-create": a_trajectory,
    "basis-create": a_trajectory,
    "request-create": a_trajectory,
    "conference-create": a_trajectory,
    "detention-place-update": a_trajectory,
    "involvement-update": an_involvement,
    "basis-update": a_basis,
    "request-answer": a_request,
    "bottleneck-detail": a_bottleneck,
    "bottleneck-update": a_bottleneck,
    "bottleneck-escalate": a_bottleneck,
    "bottleneck-status": a_bottleneck,
}

REGISTRY = {"organisation-detail", "organisation-update", "contact-create", "contact-update"}
TEAM_OWNED = sorted(set(BUILDERS) - REGISTRY)


def post_data(name: str) -> dict:
    """Data the owning team's caseworker could really submit on that route."""
    partner = reclassering().pk
    involvement = {
        "organisation": partner,
        "role": "reclasseringswerker",
        "domains": ["care", "work"],
        "started_on": days(-3).isoformat(),
        "version": 1,
    }
    basis = {
        "organisation": partner,
        "basis": SharingBasis.Basis.CONSENT,
        "scope": ["care"],
        "valid_from": days(-3).isoformat(),
        "valid_until": days(300).isoformat(),
        "version": 1,
    }
    data = {
        "organisation-update": {
            "name": "Reclassering NL",
            "kind": "probation",
            "region_municipalities": list(Municipality.objects.values_list("pk", flat=True)),
            "is_active": "on",
            "version": 1,
        },
        "contact-create": {"name": "Piet Post", "role": "toezichthouder", "is_active": "on"},
        "contact-update": {
            "name": "Sanne de Vries",
            "role": "werker",
            "is_active": "on",
            "version": 1,
        },
        "involvement-create": involvement,
        "involvement-update": {**involvement, "role": "toezichthouder"},
        "basis-create": basis,
        "basis-update": {**basis, "basis": SharingBasis.Basis.PBW_18A},
        "request-create": {
            "organisation": partner,
            "domain": "care",
            "question": "Wanneer is de eerste meldplicht?",
            "asked_on": days(0).isoformat(),
        },
        "request-answer": {
            "answered_on": days(0).isoformat(),
            "answer": "Binnen drie dagen na ontslag.",
            "version": 1,
        },
        "conference-create": {
            "held_on": days(-1).isoformat(),
            "regie": Regie.CASE,
            "organisations": [partner],
            "summary": "MDO over wonen.",
            "agreements-TOTAL_FORMS": "1",
            "agreements-INITIAL_FORMS": "0",
            "agreements-MIN_NUM_FORMS": "0",
            "agreements-MAX_NUM_FORMS": "1000",
            "agreements-0-text": "Reclassering belt de jongere",
            "agreements-0-organisation": partner,
            "agreements-0-due_date": days(14).isoformat(),
        },
        "bottleneck-update": {
            "title": "Geen briefadres zonder identiteitsbewijs",
            "description": "Aangepast.",
            "category": Bottleneck.Category.REGULATION,
            "raised_on": days(-10).isoformat(),
            "version": 1,
        },
        "detention-place-update": {
            "organisation": Organisation.objects.get_or_create(
                name="PI Dordrecht", kind=Organisation.Kind.PENITENTIARY
            )[0].pk
        },
        "bottleneck-escalate": {"to": Regie.PROCESS, "note": "Naar het procesoverleg."},
        "bottleneck-status": {"to": Bottleneck.Status.SCHEDULED, "note": "Op de agenda."},
    }
    return data.get(name, {"title": "Iets"})


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
    return reverse(f"partners:{name}", kwargs={"pk": pk})


# --- The matrix ------------------------------------------------------------------------------


def test_every_parameterised_partners_url_has_a_builder():
    assert set(PARAMETERISED) == set(BUILDERS)


def test_the_plain_partners_urls_are_the_registry_and_bottleneck_pages():
    assert set(PLAIN) == {
        "organisation-list",
        "organisation-create",
        "bottleneck-list",
        "bottleneck-create",
    }


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_a_caseworker_of_any_team_opens_the_registry_pages(
    other_caseworker_client, team, caseworker, name
):
    pk = BUILDERS[name](team, caseworker)

    assert other_caseworker_client.get(url(name, pk)).status_code == 200


@pytest.mark.parametrize("name", sorted(REGISTRY))
@pytest.mark.parametrize("role", ["manager", "admin_user"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_manager_and_admin_get_404_on_the_registry_pages(
    request, client, team, caseworker, name, role, method
):
    pk = BUILDERS[name](team, caseworker)
    client.force_login(request.getfixturevalue(role))
    data = post_data(name) if method == "post" else {}
    before = database_state()

    response = getattr(client, method)(url(name, pk), data)

    assert response.status_code == (404 if accepts(name, method) else 405)
    assert database_state() == before


@pytest.mark.parametrize("name", TEAM_OWNED)
@pytest.mark.parametrize("method", ["get", "post"])
def test_other_team_gets_404_and_changes_nothing(
    other_caseworker_client, other_caseworker, team, caseworker, name, method
):
    pk = BUILDERS[name](team, caseworker)
    send = getattr(other_caseworker_client, method)
    data = post_data(name) if method == "post" else {}
    before = database_state()

    response = send(url(name, pk), data)

    # A method the view refuses is refused before the lookup: 405, for any pk alike.
    assert response.status_code == (404 if accepts(name, method) else 405)
    assert send(url(name, NO_SUCH_PK), data).status_code == response.status_code
    assert database_state() == before
    # Each 404 leaves one `denied` line with the client number asked for (AL-3); a
    # bottleneck may block several young people, so its line names none.
    asked_for = None if name.startswith("bottleneck-") else client_of(team)
    refused = [(pk, asked_for), (NO_SUCH_PK, None)] if accepts(name, method) else []
    assert_refused_lines(other_caseworker, refused)


@pytest.mark.parametrize("name", TEAM_OWNED)
@pytest.mark.parametrize("role", ["manager", "admin_user"])
def test_manager_and_admin_get_404_on_team_owned_urls(
    request, client, team, caseworker, name, role
):
    pk = BUILDERS[name](team, caseworker)
    client.force_login(request.getfixturevalue(role))
    method = "post" if name in POST_ONLY else "get"
    data = post_data(name) if method == "post" else {}
    before = database_state()

    response = getattr(client, method)(url(name, pk), data)

    assert response.status_code == 404
    assert database_state() == before


@pytest.mark.parametrize("name", PARAMETERISED)
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_user_is_sent_to_login(client, team, caseworker, name, method):
    pk = BUILDERS[name](team, caseworker)
    data = post_data(name) if method == "post" else {}
    before = database_state()

    response = getattr(client, method)(url(name, pk), data)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert database_state() == before


@pytest.mark.parametrize("name", PLAIN)
def test_anonymous_user_is_sent_to_login_from_the_plain_pages(client, name):
    response = client.get(reverse(f"partners:{name}"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", PLAIN)
@pytest.mark.parametrize("role", ["manager", "admin_user"])
def test_manager_and_admin_get_404_on_the_plain_pages(request, client, name, role):
    client.force_login(request.getfixturevalue(role))

    assert client.get(reverse(f"partners:{name}")).status_code == 404


@pytest.mark.parametrize("name", PARAMETERISED)
def test_owning_team_caseworker_can_open_the_page(caseworker_client, team, caseworker, name):
    pk = BUILDERS[name](team, caseworker)

    response = caseworker_client.get(url(name, pk))

    assert response.status_code == (405 if name in POST_ONLY else 200)


@pytest.mark.parametrize("name", sorted(set(PARAMETERISED) - GET_ONLY))
def test_the_matrix_post_data_really_changes_something_for_the_owning_team(
    caseworker_client, team, caseworker, name
):
    """Proves the 404 tests above post data that would have had an effect."""
    pk = BUILDERS[name](team, caseworker)
    data = post_data(name)
    before = database_state()

    response = caseworker_client.post(url(name, pk), data)

    assert response.status_code == 302
    assert database_state() != before


# --- lifedomains: an agreement of a case conference -----------------------------------------


def an_agreement(team, caseworker) -> Agreement:
    trajectory = trajectory_of(team, caseworker)
    Goal.objects.create(trajectory=trajectory, domain="care", text="Ik wil hulp bij mijn geld")
    conference = CaseConference.objects.create(trajectory=trajectory, held_on=days(-2))
    return Agreement.objects.create(
        conference=conference, text="Reclassering belt de jongere", organisation=reclassering()
    )


def agreement_action_data(agreement) -> dict:
    return {
        "goal": agreement.conference.trajectory.goals.get().pk,
        "description": agreement.text,
        "owner": Action.Owner.PARTNER,
        "organisation": agreement.organisation_id,
        "due_date": days(14).isoformat(),
    }


@pytest.mark.parametrize("method", ["get", "post"])
def test_other_team_gets_404_on_making_an_action_of_an_agreement(
    other_caseworker_client, team, caseworker, method
):
    agreement = an_agreement(team, caseworker)
    target = reverse("lifedomains:agreement-action-create", args=[agreement.pk])
    data = agreement_action_data(agreement) if method == "post" else {}
    before = database_state()

    response = getattr(other_caseworker_client, method)(target, data)

    assert response.status_code == 404
    assert database_state() == before
    assert not Action.objects.exists()


@pytest.mark.parametrize("role", ["manager", "admin_user"])
def test_manager_and_admin_get_404_on_making_an_action_of_an_agreement(
    request, client, team, caseworker, role
):
    agreement = an_agreement(team, caseworker)
    client.force_login(request.getfixturevalue(role))

    response = client.get(reverse("lifedomains:agreement-action-create", args=[agreement.pk]))

    assert response.status_code == 404


def test_owning_team_makes_an_action_of_an_agreement(caseworker_client, team, caseworker):
    agreement = an_agreement(team, caseworker)
    target = reverse("lifedomains:agreement-action-create", args=[agreement.pk])

    assert caseworker_client.get(target).status_code == 200
    response = caseworker_client.post(target, agreement_action_data(agreement))

    assert response.status_code == 302
    assert Action.objects.get().agreement == agreement


# --- AC-3: bottleneck lists, choices and the trajectories they show ---------------------------


BOTTLENECK_CREATE = reverse("partners:bottleneck-create")
BOTTLENECK_LIST = reverse("partners:bottleneck-list")


@pytest.fixture
def trajectories(team, other_team, caseworker, colleague, other_caseworker):
    return {
        "mine": TrajectoryFactory(
            client__team=team,
            client__first_name="Anouk",
            client__last_name="Aarts",
            caseworker=caseworker,
        ),
        "colleagues": TrajectoryFactory(
            client__team=team,
            client__first_name="Cas",
            client__last_name="Verhuisdewit",
            caseworker=colleague,
        ),
        "closed": TrajectoryFactory(
            client__team=team,
            client__first_name="Dirk",
            client__last_name="Afgeslotenberg",
            caseworker=caseworker,
            closed=True,
        ),
        "theirs": TrajectoryFactory(
            client__team=other_team,
            client__first_name="Bram",
            client__last_name="Buitenteamsma",
            caseworker=other_caseworker,
        ),
    }


def bottleneck_data(**extra) -> dict:
    return {
        "title": "Wachtlijst beschermd wonen",
        "description": "Negen maanden wachten op een plek.",
        "category": Bottleneck.Category.CAPACITY,
        "domain": "housing",
        "raised_on": days(0).isoformat(),
        **extra,
    }


def test_bottleneck_form_offers_only_the_own_teams_open_trajectories(
    caseworker_client, trajectories
):
    response = caseworker_client.get(BOTTLENECK_CREATE)

    offered = set(page_form(response).fields["trajectories"].queryset)
    assert offered == {trajectories["mine"], trajectories["colleagues"]}
    content = response.content.decode()
    assert "Buitenteamsma" not in content
    assert "Afgeslotenberg" not in content


@pytest.mark.parametrize("whose", ["theirs", "closed"])
def test_linking_another_teams_or_a_closed_trajectory_is_a_form_error(
    caseworker_client, trajectories, whose
):
    before = database_state()

    response = caseworker_client.post(
        BOTTLENECK_CREATE, bottleneck_data(trajectories=[trajectories[whose].pk])
    )

    assert response.status_code == 200
    assert page_form(response).has_error("trajectories")
    assert database_state() == before


def test_editing_a_bottleneck_cannot_link_another_teams_trajectory(
    caseworker_client, team, caseworker, trajectories
):
    bottleneck = a_bottleneck_of(team, caseworker)
    before = database_state()

    response = caseworker_client.post(
        url("bottleneck-update", bottleneck.pk),
        bottleneck_data(trajectories=[trajectories["theirs"].pk], version=1),
    )

    assert response.status_code == 200
    assert page_form(response).has_error("trajectories")
    assert database_state() == before


def test_starting_a_bottleneck_from_another_teams_dossier_is_404(caseworker_client, trajectories):
    response = caseworker_client.get(BOTTLENECK_CREATE, {"trajectory": trajectories["theirs"].pk})

    assert response.status_code == 404


def test_starting_a_bottleneck_from_the_own_dossier_preselects_the_trajectory(
    caseworker_client, trajectories
):
    response = caseworker_client.get(BOTTLENECK_CREATE, {"trajectory": trajectories["mine"].pk})

    assert response.status_code == 200
    assert page_form(response).initial["trajectories"] == [trajectories["mine"]]


@pytest.mark.parametrize("params", [{}, {"status": "all"}, {"status": "open"}])
def test_bottleneck_list_never_shows_another_teams_bottlenecks(
    caseworker_client, team, other_team, caseworker, other_caseworker, params
):
    mine = a_bottleneck_of(team, caseworker)
    Bottleneck.objects.create(
        team=other_team,
        title="Knelpunt van Rotterdam",
        description="Alleen voor Rotterdam.",
        category=Bottleneck.Category.FUNDING,
        raised_by=other_caseworker,
    )

    response = caseworker_client.get(BOTTLENECK_LIST, params)

    assert list(response.context["page"]) == [mine]
    assert "Knelpunt van Rotterdam" not in response.content.decode()


def test_filtering_the_list_by_an_organisation_shows_no_other_teams_bottleneck(
    caseworker_client, other_team, other_caseworker
):
    theirs = Bottleneck.objects.create(
        team=other_team,
        title="Knelpunt van Rotterdam",
        description="Alleen voor Rotterdam.",
        category=Bottleneck.Category.FUNDING,
        raised_by=other_caseworker,
    )
    theirs.organisations.add(reclassering())

    response = caseworker_client.get(
        BOTTLENECK_LIST, {"status": "all", "organisation": reclassering().pk}
    )

    assert list(response.context["page"]) == []
    assert "Knelpunt van Rotterdam" not in response.content.decode()


def test_bottleneck_detail_never_lists_a_trajectory_that_moved_to_another_team(
    caseworker_client, team, other_team, caseworker, trajectories
):
    bottleneck = a_bottleneck_of(team, caseworker)
    bottleneck.trajectories.set([trajectories["mine"], trajectories["colleagues"]])
    moved = trajectories["colleagues"].client
    detail = url("bottleneck-detail", bottleneck.pk)
    link = f'href="{reverse("cases:client-detail", args=[moved.pk])}"'
    assert link in caseworker_client.get(detail).content.decode()

    Client.objects.filter(pk=moved.pk).update(team=other_team)
    response = caseworker_client.get(detail)

    content = response.content.decode()
    assert response.status_code == 200
    assert link not in content
    assert "Verhuisdewit" not in content
    assert "Aarts" in content


def test_a_moved_clients_new_team_does_not_see_the_old_teams_bottleneck_on_the_dossier(
    client, team, other_team, caseworker, other_caseworker
):
    bottleneck = a_bottleneck_of(team, caseworker)
    moved = bottleneck.trajectories.get().client
    Client.objects.filter(pk=moved.pk).update(team=other_team)
    client.force_login(other_caseworker)

    response = client.get(reverse("cases:client-detail", args=[moved.pk]))

    # The bottleneck belongs to the first team: its title and link are not the new team's to see.
    assert response.status_code == 200
    content = response.content.decode()
    assert bottleneck.title not in content
    assert url("bottleneck-detail", bottleneck.pk) not in content
