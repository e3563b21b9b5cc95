"""AL-1: every GET that shows client data writes exactly one access log line.

The matrix is generated from the URLconf: every route of the app namespaces is
either in READS (who opens it and whether its line names one client) or in
NOT_LOGGED with the reason, so a new route cannot be forgotten.
"""

import pytest
from django.urls import reverse

from audit.models import AccessLogEntry
from cases.models import ContactMoment
from lifedomains.domains import Regie
from tests.access_log import client_of
from tests.cases.test_scoping import BUILDERS as CASES
from tests.factories import TrajectoryFactory, days
from tests.followup.test_scoping import BUILDERS as FOLLOWUP
from tests.lifedomains.test_scoping import BUILDERS as LIFEDOMAINS
from tests.partners.test_scoping import BUILDERS as PARTNERS
from tests.partners.test_scoping import a_bottleneck_of
from tests.routes import namespace_routes

pytestmark = pytest.mark.django_db

NAMESPACES = ["cases", "partners", "lifedomains", "followup", "reports"]
BUILDERS = {
    f"{namespace}:{name}": builder
    for namespace, builders in [
        ("cases", CASES),
        ("partners", PARTNERS),
        ("lifedomains", LIFEDOMAINS),
        ("followup", FOLLOWUP),
    ]
    for name, builder in builders.items()
}

CASEWORKER, MANAGER, ADMIN = "caseworker", "manager", "admin_user"
ONE_CLIENT, NO_CLIENT = True, False

# Route: (who opens it, whether its one line names the client of the record).
READS = {
    "cases:caseload": (CASEWORKER, NO_CLIENT),
    "cases:client-detail": (CASEWORKER, ONE_CLIENT),
    "cases:client-update": (CASEWORKER, ONE_CLIENT),
    "cases:trajectory-create": (CASEWORKER, ONE_CLIENT),
    "cases:network-create": (CASEWORKER, ONE_CLIENT),
    "cases:document-create": (CASEWORKER, ONE_CLIENT),
    "cases:trajectory-update": (CASEWORKER, ONE_CLIENT),
    "cases:trajectory-close": (CASEWORKER, ONE_CLIENT),
    "cases:trajectory-handover": (CASEWORKER, ONE_CLIENT),
    "cases:timeline": (CASEWORKER, ONE_CLIENT),
    "cases:contact-create": (CASEWORKER, ONE_CLIENT),
    "cases:dji-create": (CASEWORKER, ONE_CLIENT),
    "cases:contact-update": (CASEWORKER, ONE_CLIENT),
    "cases:network-update": (CASEWORKER, ONE_CLIENT),
    "cases:document-download": (CASEWORKER, ONE_CLIENT),
    "partners:organisation-list": (CASEWORKER, NO_CLIENT),
    "partners:organisation-detail": (CASEWORKER, NO_CLIENT),
    "partners:involvement-create": (CASEWORKER, ONE_CLIENT),
    "partners:involvement-update": (CASEWORKER, ONE_CLIENT),
    "partners:basis-create": (CASEWORKER, ONE_CLIENT),
    "partners:basis-update": (CASEWORKER, ONE_CLIENT),
    "partners:request-create": (CASEWORKER, ONE_CLIENT),
    "partners:request-answer": (CASEWORKER, ONE_CLIENT),
    "partners:conference-create": (CASEWORKER, ONE_CLIENT),
    "partners:detention-place-update": (CASEWORKER, ONE_CLIENT),
    # A bottleneck names the young people whose trajectories it blocks: one line.
    "partners:bottleneck-list": (CASEWORKER, NO_CLIENT),
    "partners:bottleneck-create": (CASEWORKER, NO_CLIENT),
    "partners:bottleneck-detail": (CASEWORKER, NO_CLIENT),
    "partners:bottleneck-update": (CASEWORKER, NO_CLIENT),
    "lifedomains:assessment-create": (CASEWORKER, ONE_CLIENT),
    "lifedomains:assessment-update": (CASEWORKER, ONE_CLIENT),
    "lifedomains:goal-create": (CASEWORKER, ONE_CLIENT),
    "lifedomains:goal-update": (CASEWORKER, ONE_CLIENT),
    "lifedomains:action-create": (CASEWORKER, ONE_CLIENT),
    "lifedomains:action-update": (CASEWORKER, ONE_CLIENT),
    "lifedomains:agreement-action-create": (CASEWORKER, ONE_CLIENT),
    "lifedomains:readiness-update": (CASEWORKER, ONE_CLIENT),
    "lifedomains:personal-plan": (CASEWORKER, ONE_CLIENT),
    "lifedomains:personal-plan-pdf": (CASEWORKER, ONE_CLIENT),
    "lifedomains:personal-plan-update": (CASEWORKER, ONE_CLIENT),
    "lifedomains:changes": (CASEWORKER, ONE_CLIENT),
    "followup:inbox": (CASEWORKER, NO_CLIENT),
    "followup:moment-done": (CASEWORKER, ONE_CLIENT),
    "reports:index": (MANAGER, NO_CLIENT),
    "reports:table-export": (MANAGER, NO_CLIENT),
    "reports:dashboard-export": (MANAGER, NO_CLIENT),
    "reports:research-export": (ADMIN, NO_CLIENT),
}

POST_ONLY = "takes only POST; a change writes its own line"
NOT_LOGGED = {
    "cases:client-search-bsn": POST_ONLY,
    "cases:trajectory-transition": POST_ONLY,
    "cases:network-delete": POST_ONLY,
    "cases:client-create": "an empty form: the young person is not registered yet",
    "cases:caseload-handover": "offers caseworkers, no young person; the handover logs per client",
    "partners:organisation-create": "registry form: organisations, no client data",
    "partners:organisation-update": "registry form: organisations, no client data",
    "partners:contact-create": "registry form: a partner's contact person, no client data",
    "partners:contact-update": "registry form: a partner's contact person, no client data",
    "partners:bottleneck-escalate": POST_ONLY,
    "partners:bottleneck-status": POST_ONLY,
    "lifedomains:action-done": POST_ONLY,
    "followup:notification-read": POST_ONLY,
    "followup:notification-open": POST_ONLY,
    "followup:inbox-read-all": POST_ONLY,
}

# The URL arguments and query of the routes that take other than a pk.
REPORT_ARGS = {
    "reports:table-export": ["status", "csv"],
    "reports:research-export": ["csv"],
}
REPORT_QUERY = {"year": "2025"}


def all_routes() -> list[str]:
    routes = []
    for namespace in NAMESPACES:
        parameterised, plain = namespace_routes(namespace)
        routes += [f"{namespace}:{name}" for name in parameterised + plain]
    return sorted(routes)


def target(route: str, team, caseworker) -> str:
    if route in BUILDERS:
        return reverse(route, kwargs={"pk": BUILDERS[route](team, caseworker)})
    return reverse(route, args=REPORT_ARGS.get(route, []))


def test_every_route_is_logged_or_says_why_not():
    assert not set(READS) & set(NOT_LOGGED)
    assert sorted({*READS, *NOT_LOGGED}) == all_routes()


def test_every_route_not_logged_takes_no_get_or_shows_no_client_data(
    caseworker_client, team, caseworker
):
    """The POST-only routes really refuse a GET, so nothing is shown unlogged."""
    for route, reason in NOT_LOGGED.items():
        if reason == POST_ONLY:
            assert caseworker_client.get(target(route, team, caseworker)).status_code == 405


@pytest.mark.parametrize("route", sorted(READS))
def test_every_read_writes_exactly_one_line_for_the_user(request, client, team, caseworker, route):
    role, names_client = READS[route]
    user = request.getfixturevalue(role)
    client.force_login(user)
    url = target(route, team, caseworker)
    query = REPORT_QUERY if route.startswith("reports:") else {}

    response = client.get(url, query)

    assert response.status_code == 200
    line = AccessLogEntry.objects.get()
    assert line.user == user
    assert line.result == AccessLogEntry.Result.OK
    assert line.action in {
        AccessLogEntry.Action.VIEW,
        AccessLogEntry.Action.DOWNLOAD,
        AccessLogEntry.Action.EXPORT,
    }
    assert line.client_ref == (client_of(team) if names_client else None)
    assert line.ip_address == "127.0.0.1"


def test_the_caseload_writes_one_line_with_the_number_of_clients_shown(
    caseworker_client, team, caseworker
):
    TrajectoryFactory.create_batch(3, client__team=team, caseworker=caseworker)

    caseworker_client.get(reverse("cases:caseload"))

    line = AccessLogEntry.objects.get()
    assert line.what == "caseload (3 clients)"
    assert line.client_ref is None


def test_a_caseload_search_writes_its_search_line_only(caseworker_client, team, caseworker):
    TrajectoryFactory(client__team=team, client__last_name="Aarts", caseworker=caseworker)

    caseworker_client.get(reverse("cases:caseload"), {"q": "Aarts"})

    line = AccessLogEntry.objects.get()
    assert line.action == AccessLogEntry.Action.SEARCH
    assert line.what == "caseload search: 1 results"


def test_the_bottleneck_detail_says_how_many_young_people_it_names(
    caseworker_client, team, caseworker
):
    bottleneck = a_bottleneck_of(team, caseworker)

    response = caseworker_client.get(reverse("partners:bottleneck-detail", args=[bottleneck.pk]))

    assert "Teamgenoot" in response.content.decode()
    assert AccessLogEntry.objects.get().what == f"bottleneck {bottleneck.pk} (1 clients)"


def test_a_post_with_errors_shows_the_form_again_and_writes_one_view_line(
    caseworker_client, team, caseworker
):
    trajectory = TrajectoryFactory(client__team=team, caseworker=caseworker)

    response = caseworker_client.post(
        reverse("cases:contact-create", args=[trajectory.pk]), {"summary": "Alleen tekst."}
    )

    assert response.status_code == 200
    assert not ContactMoment.objects.exists()
    line = AccessLogEntry.objects.get()
    assert (line.action, line.client_ref) == (AccessLogEntry.Action.VIEW, trajectory.client_id)


def test_a_saved_change_writes_its_change_line_only(caseworker_client, team, caseworker):
    trajectory = TrajectoryFactory(client__team=team, caseworker=caseworker)

    response = caseworker_client.post(
        reverse("cases:contact-create", args=[trajectory.pk]),
        {
            "date": days(-1).isoformat(),
            "kind": ContactMoment.Kind.PHONE,
            "with_whom": [ContactMoment.With.CLIENT],
            "domains": ["housing"],
            "regie": Regie.CASE,
            "summary": "Gebeld.",
        },
    )

    assert response.status_code == 302
    line = AccessLogEntry.objects.get()
    assert (line.action, line.client_ref) == (AccessLogEntry.Action.CREATE, trajectory.client_id)


def test_the_contacts_section_with_htmx_writes_one_view_line(caseworker_client, team, caseworker):
    trajectory = TrajectoryFactory(client__team=team, caseworker=caseworker)

    response = caseworker_client.get(
        reverse("cases:contact-create", args=[trajectory.pk]), headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    line = AccessLogEntry.objects.get()
    assert (line.action, line.client_ref) == (AccessLogEntry.Action.VIEW, trajectory.client_id)


def test_a_bottleneck_started_from_another_teams_trajectory_leaves_a_denied_line(
    caseworker_client, caseworker, other_team, other_caseworker
):
    theirs = TrajectoryFactory(client__team=other_team, caseworker=other_caseworker)

    response = caseworker_client.get(
        reverse("partners:bottleneck-create"), {"trajectory": theirs.pk}
    )

    assert response.status_code == 404
    line = AccessLogEntry.objects.get()
    assert (line.user, line.result, line.client_ref) == (
        caseworker,
        AccessLogEntry.Result.DENIED,
        theirs.client_id,
    )
    assert line.what == f"trajectory {theirs.pk}"


@pytest.mark.parametrize("asked", ["²", "١٢"])
def test_a_digit_that_is_not_ascii_in_the_bottleneck_link_is_ignored(caseworker_client, asked):
    response = caseworker_client.get(reverse("partners:bottleneck-create"), {"trajectory": asked})

    assert response.status_code == 200
    assert AccessLogEntry.objects.get().what == "bottleneck form"
