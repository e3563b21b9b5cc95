"""AL-3: the admin lists the refused attempts per user, fast at any size of the log."""

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AccessLogEntry
from tests.factories import TrajectoryFactory

pytestmark = pytest.mark.django_db

LOG = reverse("admin:audit_accesslogentry_changelist")
DENIED = AccessLogEntry.Result.DENIED


@pytest.fixture
def probing(team, caseworker, other_caseworker, colleague):
    """rio2 opens a dossier of another team; rio1 and rio1b open their own."""
    trajectory = TrajectoryFactory(client__team=team, caseworker=caseworker)
    dossier = reverse("cases:client-detail", args=[trajectory.client_id])
    for user in (other_caseworker, caseworker, colleague):
        browser = Client()
        browser.force_login(user)
        browser.get(dossier)
    return trajectory.client


def shown(response) -> list[AccessLogEntry]:
    return list(response.context["cl"].result_list)


def test_the_admin_filters_the_log_by_result_denied(admin_client, probing, other_caseworker):
    response = admin_client.get(LOG, {"result__exact": DENIED})

    assert response.status_code == 200
    [line] = shown(response)
    assert (line.user, line.result, line.client_ref) == (other_caseworker, DENIED, probing.pk)
    assert line.what == f"client {probing.pk}"


def test_the_admin_filters_the_log_by_user_name(admin_client, probing, caseworker):
    response = admin_client.get(LOG, {"username": " rio1 "})

    assert {line.user for line in shown(response)} == {caseworker}
    assert len(shown(response)) == 1


def test_the_admin_lists_the_denied_lines_of_one_user(
    admin_client, probing, other_caseworker, caseworker
):
    assert len(shown(admin_client.get(LOG, {"result__exact": DENIED, "username": "rio2"}))) == 1
    assert shown(admin_client.get(LOG, {"result__exact": DENIED, "username": "rio1"})) == []


def test_the_user_filter_is_a_box_that_keeps_the_other_filters(admin_client, probing):
    response = admin_client.get(LOG, {"result__exact": DENIED})

    content = response.content.decode()
    assert '<label for="filter-username">' in content
    assert 'name="username"' in content
    assert '<input type="hidden" name="result__exact" value="denied">' in content


def test_the_log_admin_neither_lists_users_nor_counts_the_whole_log(
    admin_client, probing, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20) as queries:
        admin_client.get(LOG)

    sql = [query["sql"] for query in queries.captured_queries]
    # No list of users to pick from (a distinct scan of the log or all users) ...
    assert not [q for q in sql if "DISTINCT" in q.upper() and "user_id" in q]
    assert not [q for q in sql if q.startswith('SELECT "accounts_user"') and "LIMIT" not in q]
    # ... and no COUNT(*) of the whole log beside the filtered one.
    assert AccessLogEntry.objects.count() == 3
    assert len([q for q in sql if "COUNT(*)" in q and "audit_accesslogentry" in q]) <= 1


def test_a_page_refused_for_the_role_leaves_a_denied_line(client, caseworker):
    """A caseworker probing the managers' dashboard gets 404 and leaves a trace."""
    client.force_login(caseworker)

    response = client.get(reverse("reports:index"))

    assert response.status_code == 404
    line = AccessLogEntry.objects.get()
    assert (line.user, line.result, line.what) == (
        caseworker,
        AccessLogEntry.Result.DENIED,
        "reports:index",
    )
