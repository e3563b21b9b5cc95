"""AC-2 for the follow-up: another team, a manager or an admin sees nothing; reminders are personal.

The matrix is generated from the URLconf: every parameterised route in the
`followup` namespace must have a builder below, so a new route cannot be forgotten.
"""

import pytest
from django.apps import apps
from django.urls import reverse

from cases.models import Trajectory
from followup.models import FollowUpMoment, Notification
from tests.access_log import assert_refused_lines, client_of
from tests.factories import TrajectoryFactory, days
from tests.routes import namespace_routes

pytestmark = pytest.mark.django_db


PARAMETERISED, PLAIN = namespace_routes("followup")

# The views that accept only one method; the others accept GET and POST.
# `inbox-read-all` is a plain route, listed here so the fuzz gives it a field list.
POST_ONLY = {"notification-read", "notification-open", "inbox-read-all"}
GET_ONLY = {"inbox"}

NO_SUCH_PK = 2_147_483_000


# --- Builders: one object of team A per route, returning the pk for the URL ------------------


def trajectory_of(team, caseworker) -> Trajectory:
    return TrajectoryFactory(
        client__team=team,
        client__first_name="Tamara",
        client__last_name="Teamgenoot",
        caseworker=caseworker,
    )


def a_moment_object(team, caseworker) -> FollowUpMoment:
    trajectory = trajectory_of(team, caseworker)
    return FollowUpMoment.objects.create(
        trajectory=trajectory,
        kind=FollowUpMoment.Kind.RELEASE_MINUS_1W,
        planned_on=days(3),
        due_on=days(3),
    )


def a_moment(team, caseworker) -> int:
    return a_moment_object(team, caseworker).pk


def a_notification(team, caseworker, *, recipient=None) -> int:
    """An unread reminder for `recipient` (the caseworker) about a due moment of team A."""
    moment = a_moment_object(team, recipient or caseworker)
    return Notification.objects.create(
        recipient=recipient or caseworker,
        trajectory=moment.trajectory,
        kind=Notification.Kind.MOMENT_DUE,
        ref=moment.pk,
        due_on=moment.due_on,
        moment=moment,
    ).pk


BUILDERS = {
    "notification-read": a_notification,
    "notification-open": a_notification,
    "moment-done": a_moment,
}


def post_data(name: str, pk: int) -> dict:
    """Data the owning team's caseworker could really submit on that route's object."""
    if name == "moment-done":
        return {"done_on": days(0).isoformat(), "contact": "", "assessment": "", "note": "Gebeld."}
    return {}


def database_state() -> dict[str, list[dict]]:
    return {
        model.__name__: list(model._base_manager.order_by("pk").values())
        for app in ("cases", "lifedomains", "partners", "followup")
        for model in apps.get_app_config(app).get_models()
    }


def accepts(name: str, method: str) -> bool:
    refused = POST_ONLY if method == "get" else GET_ONLY
    return name not in refused


def url(name: str, pk: int | None = None) -> str:
    return reverse(f"followup:{name}", kwargs={"pk": pk} if pk is not None else {})


def assert_untouched(name: str, pk: int) -> None:
    """The object behind the route is as it was: the reminder unread, the moment open."""
    if name == "moment-done":
        moment = FollowUpMoment.objects.get(pk=pk)
        assert moment.status == FollowUpMoment.Status.OPEN
        assert moment.done_on is None
    else:
        assert Notification.objects.get(pk=pk).read_at is None


# --- The matrix ------------------------------------------------------------------------------


def test_every_parameterised_followup_url_has_a_builder():
    assert set(PARAMETERISED) == set(BUILDERS)
    assert set(PARAMETERISED) == {"notification-read", "notification-open", "moment-done"}


def test_the_plain_followup_urls_are_the_inbox_and_read_all():
    assert PLAIN == ["inbox", "inbox-read-all"]


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
    assert_untouched(name, pk)
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

    assert response.status_code == 404
    assert database_state() == before
    assert_untouched(name, pk)


@pytest.mark.parametrize("name", PARAMETERISED)
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("role", ["manager", "admin_user"])
def test_manager_and_admin_get_404_and_change_nothing(
    request, client, team, caseworker, name, method, role
):
    pk = BUILDERS[name](team, caseworker)
    client.force_login(request.getfixturevalue(role))
    before = database_state()

    response = getattr(client, method)(
        url(name, pk), post_data(name, pk) if method == "post" else {}
    )

    assert response.status_code == (404 if accepts(name, method) else 405)
    assert database_state() == before
    assert_untouched(name, pk)


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
    assert_untouched(name, pk)


@pytest.mark.parametrize("name", PARAMETERISED)
def test_owning_team_caseworker_can_open_the_page(caseworker_client, team, caseworker, name):
    pk = BUILDERS[name](team, caseworker)

    response = caseworker_client.get(url(name, pk))

    assert response.status_code == (405 if name in POST_ONLY else 200)
    assert_untouched(name, pk)


@pytest.mark.parametrize("name", PARAMETERISED)
def test_the_matrix_post_data_really_changes_the_dossier_for_the_owning_team(
    caseworker_client, team, caseworker, name
):
    """Proves the 404 tests above post data that would have had an effect."""
    pk = BUILDERS[name](team, caseworker)
    before = database_state()

    response = caseworker_client.post(url(name, pk), post_data(name, pk))

    assert response.status_code == 302
    assert database_state() != before
    if name == "moment-done":
        moment = FollowUpMoment.objects.get(pk=pk)
        assert moment.status == FollowUpMoment.Status.DONE
        assert moment.done_on == days(0)
        assert moment.done_by == caseworker
    else:
        assert Notification.objects.get(pk=pk).read_at is not None


# --- Reminders are personal, even within the team -----------------------------------------


@pytest.mark.parametrize("name", ["notification-read", "notification-open"])
@pytest.mark.parametrize("htmx", [False, True])
def test_a_colleagues_notification_is_404_for_the_caseworker(
    caseworker_client, team, caseworker, colleague, name, htmx
):
    pk = a_notification(team, caseworker, recipient=colleague)
    before = database_state()

    response = caseworker_client.post(url(name, pk), headers={"HX-Request": "true"} if htmx else {})

    assert response.status_code == 404
    assert database_state() == before
    assert Notification.objects.get(pk=pk).read_at is None


def test_the_colleague_can_read_their_own_notification(client, team, caseworker, colleague):
    pk = a_notification(team, caseworker, recipient=colleague)
    client.force_login(colleague)

    response = client.post(url("notification-read", pk))

    assert response.status_code == 302
    assert Notification.objects.get(pk=pk).read_at is not None


# --- The plain routes: caseworkers only ------------------------------------------------------


@pytest.mark.parametrize("name", PLAIN)
@pytest.mark.parametrize("role", ["manager", "admin_user"])
def test_manager_and_admin_get_404_on_the_inbox_routes(
    request, client, team, caseworker, name, role
):
    pk = a_notification(team, caseworker)
    client.force_login(request.getfixturevalue(role))
    method = "post" if name in POST_ONLY else "get"
    before = database_state()

    response = getattr(client, method)(url(name))

    assert response.status_code == 404
    assert database_state() == before
    assert Notification.objects.get(pk=pk).read_at is None


@pytest.mark.parametrize("name", PLAIN)
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_user_is_sent_to_login_from_the_inbox_routes(
    client, team, caseworker, name, method
):
    pk = a_notification(team, caseworker)

    response = getattr(client, method)(url(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert Notification.objects.get(pk=pk).read_at is None


@pytest.mark.parametrize("name", PLAIN)
def test_the_inbox_routes_refuse_the_other_method(caseworker_client, team, caseworker, name):
    pk = a_notification(team, caseworker)
    method = "get" if name in POST_ONLY else "post"

    response = getattr(caseworker_client, method)(url(name))

    assert response.status_code == 405
    assert Notification.objects.get(pk=pk).read_at is None
