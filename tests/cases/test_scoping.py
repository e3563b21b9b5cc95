"""AC-2 and AC-3: another team, a manager or an admin sees nothing of a team's young people.

The matrix is generated from the URLconf: every parameterised route in the
`cases` namespace must have a builder below, so a new route cannot be forgotten.
"""

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from cases.models import ContactMoment, TimelineEvent, Trajectory
from lifedomains.domains import Regie
from tests.access_log import assert_refused_lines, client_of
from tests.factories import (
    MINIMAL_PDF,
    ClientFactory,
    ContactFactory,
    DocumentFactory,
    NetworkMemberFactory,
    TrajectoryFactory,
    UserFactory,
    days,
)
from tests.pages import page_forms
from tests.routes import namespace_routes

pytestmark = pytest.mark.django_db


PARAMETERISED, PLAIN = namespace_routes("cases")

# The views that accept only one method; the others accept GET and POST.
POST_ONLY = {"trajectory-transition", "network-delete"}
GET_ONLY = {"client-detail", "timeline", "document-download"}

NO_SUCH_PK = 2_147_483_000


# --- Builders: one object of team A per route, returning the pk for the URL ------------------


def trajectory_of(team, caseworker) -> Trajectory:
    return TrajectoryFactory(
        client__team=team,
        client__first_name="Tamara",
        client__last_name="Teamgenoot",
        caseworker=caseworker,
    )


def a_client(team, caseworker) -> int:
    return trajectory_of(team, caseworker).client.pk


def a_trajectory(team, caseworker) -> int:
    return trajectory_of(team, caseworker).pk


def a_contact(team, caseworker) -> int:
    return ContactFactory(trajectory=trajectory_of(team, caseworker)).pk


def a_network_member(team, caseworker) -> int:
    return NetworkMemberFactory(client=trajectory_of(team, caseworker).client).pk


def a_document(team, caseworker) -> int:
    trajectory = trajectory_of(team, caseworker)
    return DocumentFactory(client=trajectory.client, trajectory=trajectory).pk


BUILDERS = {
    "client-detail": a_client,
    "client-update": a_client,
    "trajectory-create": a_client,
    "network-create": a_client,
    "document-create": a_client,
    "trajectory-update": a_trajectory,
    "trajectory-transition": a_trajectory,
    "trajectory-close": a_trajectory,
    "trajectory-handover": a_trajectory,
    "timeline": a_trajectory,
    "contact-create": a_trajectory,
    "dji-create": a_trajectory,
    "contact-update": a_contact,
    "network-update": a_network_member,
    "network-delete": a_network_member,
    "document-download": a_document,
}


def contact_data() -> dict:
    return {
        "date": days(-1).isoformat(),
        "kind": ContactMoment.Kind.PHONE,
        "with_whom": [ContactMoment.With.CLIENT],
        "domains": ["housing"],
        "regie": Regie.CASE,
        "summary": "Gebeld over de woonplek.",
        "version": 1,
    }


def post_data(name: str, *, caseworker, colleague) -> dict:
    """Data the owning team's caseworker could really submit on that route."""
    network = {
        "name": "Oom Henk",
        "relation": "oom",
        "influence": "supportive",
        "version": 1,
    }
    data = {
        "client-update": {
            "first_name": "Gewijzigd",
            "last_name": "Teamgenoot",
            "date_of_birth": "2003-05-01",
            "address_kind": "address",
            "lvb": "unknown",
            "version": 1,
        },
        "trajectory-create": {
            "situation": Trajectory.Status.DETENTION,
            "caseworker": caseworker.pk,
            "started_on": days(0).isoformat(),
            "detention_start": days(-5).isoformat(),
            "regie": Regie.CASE,
        },
        "network-create": network,
        "document-create": {
            "title": "Plan van aanpak",
            "kind": "plan",
            "file": SimpleUploadedFile("plan.pdf", MINIMAL_PDF, content_type="application/pdf"),
        },
        "trajectory-update": {
            "caseworker": caseworker.pk,
            "penitentiary_institution": "PI Vught",
            "detention_start": days(-120).isoformat(),
            "expected_release": days(10).isoformat(),
            "started_on": days(-100).isoformat(),
            "regie": Regie.PROCESS,
            "version": 1,
        },
        "trajectory-transition": {"to": Trajectory.Status.AFTERCARE, "on": days(0).isoformat()},
        "trajectory-close": {"ended_on": days(0).isoformat(), "end_reason": "completed"},
        "trajectory-handover": {"to": colleague.pk, "note": "Warme overdracht."},
        "contact-create": contact_data(),
        "dji-create": {
            "kind": "detention_start",
            "received_on": days(0).isoformat(),
            "summary": "Melding ontvangen.",
        },
        "contact-update": contact_data(),
        "network-update": network,
        "network-delete": {},
    }
    return data.get(name, {"kind": "contact"})


def database_state() -> dict[str, list[dict]]:
    return {
        model.__name__: list(model._base_manager.order_by("pk").values())
        for model in apps.get_app_config("cases").get_models()
    }


def accepts(name: str, method: str) -> bool:
    refused = POST_ONLY if method == "get" else GET_ONLY
    return name not in refused


def url(name: str, pk: int) -> str:
    return reverse(f"cases:{name}", kwargs={"pk": pk})


# --- The matrix ------------------------------------------------------------------------------


def test_every_parameterised_cases_url_has_a_builder():
    assert set(PARAMETERISED) == set(BUILDERS)


def test_the_plain_cases_urls_are_the_team_pages():
    assert set(PLAIN) == {"caseload", "client-create", "caseload-handover", "client-search-bsn"}


@pytest.mark.parametrize("name", PARAMETERISED)
@pytest.mark.parametrize("method", ["get", "post"])
def test_other_team_gets_404_and_changes_nothing(
    other_caseworker_client, other_caseworker, team, caseworker, colleague, name, method
):
    pk = BUILDERS[name](team, caseworker)
    before = database_state()
    send = getattr(other_caseworker_client, method)
    data = post_data(name, caseworker=caseworker, colleague=colleague) if method == "post" else {}

    response = send(url(name, pk), data)

    # A method the view refuses is refused before the lookup: 405, for any pk alike.
    assert response.status_code == (404 if accepts(name, method) else 405)
    if method == "post":
        data = post_data(name, caseworker=caseworker, colleague=colleague)
    assert send(url(name, NO_SUCH_PK), data).status_code == response.status_code
    assert database_state() == before
    # Each 404 leaves one `denied` line with the client number asked for (AL-3);
    # a method refused before the lookup asked for nobody.
    refused = [(pk, client_of(team)), (NO_SUCH_PK, None)] if accepts(name, method) else []
    assert_refused_lines(other_caseworker, refused)


@pytest.mark.parametrize("name", PARAMETERISED)
@pytest.mark.parametrize("role", ["manager", "admin_user"])
def test_manager_and_admin_get_404_on_client_scoped_urls(
    request, client, team, caseworker, name, role
):
    pk = BUILDERS[name](team, caseworker)
    user = request.getfixturevalue(role)
    client.force_login(user)
    method = "post" if name in POST_ONLY else "get"
    before = database_state()

    response = getattr(client, method)(url(name, pk))

    assert response.status_code == 404
    assert database_state() == before
    # Refused for the role before any lookup: a `denied` line naming the page and the
    # number asked for; the client is unknown (AL-3).
    assert_refused_lines(user, [(pk, None)])


@pytest.mark.parametrize("name", PARAMETERISED)
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_user_is_sent_to_login(client, team, caseworker, name, method):
    pk = BUILDERS[name](team, caseworker)
    before = database_state()

    response = getattr(client, method)(url(name, pk))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert database_state() == before


@pytest.mark.parametrize("name", PARAMETERISED)
def test_owning_team_caseworker_can_open_the_page(caseworker_client, team, caseworker, name):
    pk = BUILDERS[name](team, caseworker)

    response = caseworker_client.get(url(name, pk))

    assert response.status_code == (405 if name in POST_ONLY else 200)


@pytest.mark.parametrize("name", sorted(set(PARAMETERISED) - GET_ONLY))
def test_the_matrix_post_data_really_changes_the_dossier_for_the_owning_team(
    caseworker_client, team, caseworker, colleague, name
):
    """Proves the 404 tests above post data that would have had an effect."""
    pk = BUILDERS[name](team, caseworker)
    before = database_state()

    response = caseworker_client.post(
        url(name, pk), post_data(name, caseworker=caseworker, colleague=colleague)
    )

    assert response.status_code == 302
    assert database_state() != before


@pytest.mark.parametrize("name", sorted(set(PARAMETERISED) - GET_ONLY - POST_ONLY))
def test_form_pages_render_the_fields_of_their_forms(caseworker_client, team, caseworker, name):
    response = caseworker_client.get(url(name, BUILDERS[name](team, caseworker)))

    content = response.content.decode()
    forms = page_forms(response)
    assert forms
    for form in forms:
        for field in form:
            assert f'name="{field.html_name}"' in content, field.html_name


@pytest.mark.parametrize("name", PLAIN)
@pytest.mark.parametrize("role", ["manager", "admin_user"])
def test_manager_and_admin_get_404_on_the_team_pages(request, client, name, role):
    client.force_login(request.getfixturevalue(role))

    # The BSN search only takes POST: a GET is refused before anything is looked up.
    expected = 405 if name == "client-search-bsn" else 404
    assert client.get(reverse(f"cases:{name}")).status_code == expected


@pytest.mark.parametrize("name", ["client-create", "caseload-handover", "client-search-bsn"])
def test_manager_cannot_post_to_the_team_pages(manager_client, caseworker, colleague, name):
    TrajectoryFactory(client__team=caseworker.team, caseworker=caseworker)
    before = database_state()
    data = {
        "client-first_name": "Mila",
        "client-last_name": "Manager",
        "client-date_of_birth": "2003-05-01",
        "client-address_kind": "address",
        "client-lvb": "unknown",
        "trajectory-situation": "registered",
        "trajectory-caseworker": caseworker.pk,
        "trajectory-started_on": days(0).isoformat(),
        "trajectory-regie": "case",
        "source": caseworker.pk,
        "to": colleague.pk,
        "note": "Overdracht.",
        "bsn": "123456782",
    }

    response = manager_client.post(reverse(f"cases:{name}"), data)

    assert response.status_code == 404
    assert database_state() == before


# --- AC-3: lists, search and choice fields -----------------------------------------------------


@pytest.fixture
def two_teams(team, other_team, caseworker, other_caseworker):
    mine = TrajectoryFactory(
        client__team=team,
        client__first_name="Anouk",
        client__last_name="Aarts",
        caseworker=caseworker,
    )
    theirs = TrajectoryFactory(
        client=ClientFactory(team=other_team, first_name="Bram", last_name="Bakker", with_bsn=True),
        caseworker=other_caseworker,
    )
    return mine.client, theirs.client


def test_caseload_never_lists_another_teams_clients(caseworker_client, two_teams):
    response = caseworker_client.get(reverse("cases:caseload"))

    content = response.content.decode()
    assert "Aarts" in content
    assert "Bakker" not in content
    assert [row["client"] for row in response.context["rows"]] == [two_teams[0]]


@pytest.mark.parametrize("query", ["Bakker", "Bram Bakker", "123456782"])
def test_search_never_finds_another_teams_clients(caseworker_client, two_teams, query):
    response = caseworker_client.get(reverse("cases:caseload"), {"q": query})

    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0


def test_bsn_search_never_opens_another_teams_client(caseworker_client, two_teams):
    response = caseworker_client.post(reverse("cases:client-search-bsn"), {"bsn": "123456782"})

    assert response.status_code == 302
    assert response["Location"] == reverse("cases:caseload")
    assert f'href="{reverse("cases:client-detail", args=[two_teams[1].pk])}"' not in (
        response.content.decode()
    )


def test_filtering_the_caseload_by_another_teams_caseworker_shows_none_of_their_clients(
    caseworker_client, two_teams, other_caseworker
):
    response = caseworker_client.get(reverse("cases:caseload"), {"caseworker": other_caseworker.pk})

    assert response.context["form"].has_error("caseworker")
    assert "Bakker" not in response.content.decode()
    assert two_teams[1] not in [row["client"] for row in response.context["rows"]]


@pytest.fixture
def people_around(team, caseworker, colleague, other_caseworker, manager, admin_user):
    """Everyone a choice field could wrongly offer."""
    inactive = UserFactory(username="rio1-weg", team=team, is_active=False)
    return {
        "own": {caseworker, colleague},
        "inactive": inactive,
        "strangers": {other_caseworker, manager, admin_user},
    }


CHOICE_FIELDS = [
    ("trajectory-create", a_client, "caseworker"),
    ("client-create", None, "caseworker"),
    ("trajectory-handover", a_trajectory, "to"),
    ("caseload-handover", None, "to"),
    ("caseload-handover", None, "source"),
    ("caseload", None, "caseworker"),
]


@pytest.mark.parametrize(("name", "builder", "field"), CHOICE_FIELDS)
def test_choice_fields_only_offer_caseworkers_of_the_own_team(
    caseworker_client, team, caseworker, colleague, people_around, name, builder, field
):
    target = reverse(f"cases:{name}", args=[builder(team, caseworker)] if builder else [])

    response = caseworker_client.get(target)

    assert response.status_code == 200
    # The caseload's filter form is `form`; the form pages list theirs in `sections`.
    forms = [response.context["form"]] if name == "caseload" else page_forms(response)
    offered = {
        user for form in forms if field in form.fields for user in form.fields[field].queryset
    }
    assert colleague in offered
    assert not offered & people_around["strangers"]
    assert all(user.team_id == team.pk and user.is_caseworker for user in offered)


# The fields that give work to someone; a deactivated colleague cannot take it.
GIVING_WORK = [
    (name, builder, field)
    for name, builder, field in CHOICE_FIELDS
    if (name, field) not in {("caseload-handover", "source"), ("caseload", "caseworker")}
]


@pytest.mark.parametrize(("name", "builder", "field"), GIVING_WORK)
def test_choices_that_give_work_never_offer_a_deactivated_colleague(
    caseworker_client, team, caseworker, colleague, people_around, name, builder, field
):
    target = reverse(f"cases:{name}", args=[builder(team, caseworker)] if builder else [])

    response = caseworker_client.get(target)

    offered = {
        user
        for form in page_forms(response)
        if field in form.fields
        for user in form.fields[field].queryset
    }
    assert colleague in offered
    assert people_around["inactive"] not in offered


def test_the_caseload_filter_offers_a_deactivated_colleague_to_find_who_they_left_behind(
    caseworker_client, team, people_around
):
    inactive = people_around["inactive"]
    left_behind = TrajectoryFactory(client__team=team, caseworker=inactive).client

    response = caseworker_client.get(reverse("cases:caseload"), {"caseworker": inactive.pk})

    assert inactive in response.context["form"].fields["caseworker"].queryset
    assert [row["client"] for row in response.context["rows"]] == [left_behind]
    assert response.context["rows"][0]["caseworker"] == inactive
    assert escape(f"{inactive} (niet actief)") + "</option>" in response.content.decode()


def test_handover_to_another_teams_caseworker_is_a_form_error(
    caseworker_client, team, caseworker, other_caseworker
):
    trajectory = TrajectoryFactory(client__team=team, caseworker=caseworker)
    before = database_state()

    response = caseworker_client.post(
        reverse("cases:trajectory-handover", args=[trajectory.pk]),
        {"to": other_caseworker.pk, "note": "Naar het andere team."},
    )

    assert response.status_code == 200
    assert page_forms(response)[0].has_error("to")
    assert database_state() == before


def test_caseload_handover_to_another_teams_caseworker_is_a_form_error(
    caseworker_client, team, caseworker, other_caseworker
):
    TrajectoryFactory.create_batch(2, client__team=team, caseworker=caseworker)
    before = database_state()

    response = caseworker_client.post(
        reverse("cases:caseload-handover"),
        {"source": caseworker.pk, "to": other_caseworker.pk, "note": "Alles naar Rotterdam."},
    )

    assert response.status_code == 200
    assert page_forms(response)[0].has_error("to")
    assert database_state() == before


def test_caseload_handover_of_another_teams_caseworker_is_a_form_error(
    caseworker_client, other_team, caseworker, other_caseworker
):
    TrajectoryFactory.create_batch(2, client__team=other_team, caseworker=other_caseworker)
    before = database_state()

    response = caseworker_client.post(
        reverse("cases:caseload-handover"),
        {"source": other_caseworker.pk, "to": caseworker.pk, "note": "Alles naar mij."},
    )

    assert response.status_code == 200
    assert page_forms(response)[0].has_error("source")
    assert database_state() == before
    assert not Trajectory.objects.filter(caseworker=caseworker).exists()


@pytest.mark.parametrize("who", ["colleague", "other_caseworker"])
def test_editing_a_trajectory_never_changes_its_caseworker(
    caseworker_client, team, caseworker, colleague, other_caseworker, who
):
    """The caseworker changes only by a handover, with its note and timeline line."""
    trajectory = TrajectoryFactory(client__team=team, caseworker=caseworker)
    posted = {"colleague": colleague, "other_caseworker": other_caseworker}[who]
    data = post_data("trajectory-update", caseworker=posted, colleague=caseworker)

    response = caseworker_client.post(
        reverse("cases:trajectory-update", args=[trajectory.pk]), data
    )

    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.caseworker == caseworker
    assert trajectory.penitentiary_institution == "PI Vught"
    assert not TimelineEvent.objects.filter(kind=TimelineEvent.Kind.HANDOVER).exists()


def test_the_trajectory_edit_form_does_not_offer_the_caseworker(
    caseworker_client, team, caseworker
):
    trajectory = TrajectoryFactory(client__team=team, caseworker=caseworker)

    response = caseworker_client.get(reverse("cases:trajectory-update", args=[trajectory.pk]))

    assert response.status_code == 200
    assert 'name="caseworker"' not in response.content.decode()
