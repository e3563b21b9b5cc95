"""Wie heeft mijn dossier bekeken: one client's access log as a page and a PDF (AL-3)."""

import pytest
from django.urls import reverse

from audit.models import AccessLogEntry
from tests.factories import ClientFactory, TrajectoryFactory, UserFactory
from tests.privacy.conftest import hours_ago, log

pytestmark = pytest.mark.django_db

# Session, user, the MFA check, the client, the count and the page of lines (with
# their users, teams and municipalities in one join), the line this view writes,
# and the session save (savepoint, update, release: the idle timeout's clock).
OVERVIEW_QUERIES = 10


@pytest.fixture
def young_person(team):
    return ClientFactory(team=team, first_name="Samira", last_name="Bakker")


def overview_url(client):
    return reverse("privacy:access-overview", args=[client.pk])


def test_admin_sees_the_lines_oldest_first_with_names_roles_and_teams(
    admin_client, young_person, caseworker, manager
):
    caseworker.first_name, caseworker.last_name = "Rina", "Oosterhout"
    caseworker.save()
    log(caseworker, young_person, at=hours_ago(1), what="dossier")
    log(manager, young_person, at=hours_ago(5), what="timeline")
    log(caseworker, young_person, at=hours_ago(3), what="contact", action="update")

    response = admin_client.get(overview_url(young_person))

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    lines = response.context["lines"]
    assert [line.what for line in lines] == ["timeline", "contact", "dossier"]
    assert lines[1].who == "Rina Oosterhout"
    assert lines[1].role == caseworker.get_role_display()
    assert lines[0].organisation == "Dordrecht"  # a manager: their municipality
    page = response.content.decode()
    assert "Rina Oosterhout" in page
    assert "RIO Dordrecht (Dordrecht)" in page
    assert page.index("timeline") < page.index(">contact<") < page.index(">dossier<")


def test_other_clients_lines_are_not_in_the_overview(admin_client, young_person, caseworker, team):
    other = ClientFactory(team=team)
    log(caseworker, other, at=hours_ago(2), what="someone else's file")
    response = admin_client.get(overview_url(young_person))
    assert "someone else" not in response.content.decode()


def test_the_overview_writes_its_own_line(admin_client, admin_user, young_person):
    admin_client.get(overview_url(young_person))
    line = AccessLogEntry.objects.get(user=admin_user)
    assert (line.action, line.client_ref, line.what) == ("view", young_person.pk, "access overview")


def test_the_pdf_is_a_pdf_and_writes_an_export_line(
    admin_client, admin_user, young_person, caseworker
):
    log(caseworker, young_person, at=hours_ago(1))
    response = admin_client.get(reverse("privacy:access-overview-pdf", args=[young_person.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.startswith(b"%PDF")
    line = AccessLogEntry.objects.get(user=admin_user)
    assert (line.action, line.client_ref) == ("export", young_person.pk)


@pytest.mark.parametrize("lines", [2, 120])
def test_the_page_makes_a_fixed_number_of_queries(
    admin_client, young_person, team, django_assert_num_queries, lines
):
    users = [UserFactory(team=team, mfa=False) for _ in range(4)]
    for number in range(lines):
        log(users[number % 4], young_person, at=hours_ago(number + 1))
    with django_assert_num_queries(OVERVIEW_QUERIES):
        response = admin_client.get(overview_url(young_person))
    assert len(response.context["lines"]) == min(lines, 50)


def test_the_page_is_paginated(admin_client, young_person, caseworker):
    for number in range(55):
        log(caseworker, young_person, at=hours_ago(100 - number), what=f"line {number}")
    first = admin_client.get(overview_url(young_person))
    second = admin_client.get(overview_url(young_person), {"page": 2})
    assert [line.what for line in first.context["lines"]][:2] == ["line 0", "line 1"]
    # The first page's own line is the newest: last on the last page.
    assert [line.what for line in second.context["lines"]] == [
        *(f"line {n}" for n in range(50, 55)),
        "access overview",
    ]


@pytest.mark.parametrize(
    "name", ["privacy:access-overview", "privacy:access-overview-pdf", "privacy:export"]
)
@pytest.mark.parametrize("role_client", ["caseworker_client", "manager_client"])
def test_caseworkers_and_managers_of_the_team_get_404(request, young_person, name, role_client):
    http = request.getfixturevalue(role_client)
    assert http.get(reverse(name, args=[young_person.pk])).status_code == 404


def test_an_unknown_client_is_404_for_the_admin(admin_client):
    assert admin_client.get(reverse("privacy:access-overview", args=[999999])).status_code == 404


def test_admin_finds_the_client_in_admin_with_links_to_overview_and_export(
    admin_client, admin_user, team
):
    client = ClientFactory(team=team, first_name="Samira", last_name="Bakker", with_bsn=True)
    ClientFactory(team=team, first_name="Dirk", last_name="Anderman")
    changelist = reverse("admin:privacy_subjectaccessclient_changelist")

    response = admin_client.get(changelist, {"q": "123456782"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Bakker" in page
    assert "Anderman" not in page
    assert reverse("privacy:access-overview", args=[client.pk]) in page
    assert reverse("privacy:export", args=[client.pk]) in page
    line = AccessLogEntry.objects.get(user=admin_user)
    assert (line.action, line.what) == ("search", "admin subject access search (1 clients)")


def test_the_admin_list_of_people_writes_one_line_with_the_number_shown(
    admin_client, admin_user, team
):
    ClientFactory.create_batch(3, team=team)

    response = admin_client.get(reverse("admin:privacy_subjectaccessclient_changelist"))

    assert response.status_code == 200
    line = AccessLogEntry.objects.get(user=admin_user)
    assert (line.action, line.what, line.client_ref) == (
        "view",
        "admin subject access list (3 clients)",
        None,
    )


def test_the_admin_list_cannot_change_a_client(admin_client, team):
    client = ClientFactory(team=team)
    url = reverse("admin:privacy_subjectaccessclient_change", args=[client.pk])
    response = admin_client.post(url, {"first_name": "Veranderd"})
    assert response.status_code in (302, 403)
    client.refresh_from_db()
    assert client.first_name != "Veranderd"


def test_a_line_shows_the_role_and_team_the_user_had_when_it_was_written(
    admin_client, caseworker, team, other_team
):
    from django.test import Client as Browser

    client = ClientFactory(team=team)
    TrajectoryFactory(client=client, caseworker=caseworker)
    browser = Browser()
    browser.force_login(caseworker)
    assert browser.get(reverse("cases:client-detail", args=[client.pk])).status_code == 200
    # The caseworker moves to Rotterdam afterwards.
    type(caseworker).objects.filter(pk=caseworker.pk).update(team=other_team)

    page = admin_client.get(reverse("privacy:access-overview", args=[client.pk])).content.decode()

    assert "RIO Dordrecht (Dordrecht)" in page
    assert "RIO Rotterdam" not in page
