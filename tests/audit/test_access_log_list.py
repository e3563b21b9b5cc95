"""The access log's admin list at any size of the log: by client number, user and period
through indexed filters, a page at a time without counting the log (issue 13)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.admin import MAX_LOG_PAGE
from audit.models import AccessLogEntry

pytestmark = pytest.mark.django_db

LOG = reverse("admin:audit_accesslogentry_changelist")
PAGE = 100


def lines(user, count: int, *, client_ref=7, at=None, **fields) -> None:
    at = at or timezone.now()
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(
            user=user,
            action=AccessLogEntry.Action.VIEW,
            client_ref=client_ref,
            what=f"line {number}",
            at=at - datetime.timedelta(minutes=number),
            **fields,
        )
        for number in range(count)
    )


def shown(response) -> list[AccessLogEntry]:
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def log_sql(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "audit_accesslogentry" in q["sql"]]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"client": "7"},
        {"username": "rio1"},
        {"date_from": "2026-01-01", "date_to": "2026-12-31"},
        {"result__exact": "denied"},
        {"action__exact": "export"},
    ],
)
def test_the_list_neither_counts_nor_deduplicates_and_its_queries_do_not_grow(
    admin_client, caseworker, params
):
    counts = []
    # 10 lines, then 500 (the log is append-only: the second round adds 490).
    for added in (10, 490):
        lines(caseworker, added)
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(LOG, params)
        assert response.status_code == 200
        counts.append(len(queries.captured_queries))
        sql = log_sql(queries)
        assert sql, "the page reads the log"
        assert not [q for q in sql if "COUNT(" in q.upper()]
        assert not [q for q in sql if "DISTINCT" in q.upper()]
        # One read of the log: a page and one line more.
        [page] = [q for q in sql if q.startswith("SELECT")]
        assert f"LIMIT {PAGE + 1}" in page

    assert counts[0] == counts[1]


@pytest.fixture
def log(caseworker, other_caseworker):
    now = timezone.now()
    lines(caseworker, 3, client_ref=11, at=now)
    lines(other_caseworker, 2, client_ref=11, at=now - datetime.timedelta(days=40))
    lines(caseworker, 1, client_ref=12, at=now - datetime.timedelta(days=400))
    return now


def test_the_list_by_client_number_shows_only_that_clients_lines(admin_client, log):
    assert {line.client_ref for line in shown(admin_client.get(LOG, {"client": " 11 "}))} == {11}
    assert len(shown(admin_client.get(LOG, {"client": "11"}))) == 5
    assert shown(admin_client.get(LOG, {"client": "13"})) == []


@pytest.mark.parametrize("typed", ["elf", "11a", "-3", "99999999999999999999999"])
def test_a_client_number_that_is_no_number_gets_a_message_next_to_the_box(admin_client, log, typed):
    response = admin_client.get(LOG, {"client": typed})

    assert shown(response) == []
    content = response.content.decode()
    assert 'id="filter-client-error"' in content
    assert 'aria-describedby="filter-client-error"' in content


def test_the_client_number_box_keeps_the_other_filters(admin_client, log):
    content = admin_client.get(LOG, {"username": "rio1"}).content.decode()

    assert '<label for="filter-client">' in content
    assert '<input type="hidden" name="username" value="rio1">' in content


def test_the_list_by_user_and_client_combines_both(admin_client, log, other_caseworker):
    found = shown(admin_client.get(LOG, {"client": "11", "username": other_caseworker.username}))

    assert len(found) == 2
    assert {line.user for line in found} == {other_caseworker}


def test_the_list_by_period_includes_both_days(admin_client, log):
    day = timezone.localdate(log - datetime.timedelta(days=40))

    found = shown(admin_client.get(LOG, {"date_from": day, "date_to": day}))

    assert len(found) == 2
    assert {timezone.localdate(line.at) for line in found} == {day}
    since = shown(admin_client.get(LOG, {"date_from": day.isoformat()}))
    assert len(since) == 5


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_from": "2026-13-45"}, "date_from"),
        ({"date_from": "2026-03-02", "date_to": "2026-03-01"}, "date_to"),
    ],
)
def test_a_wrong_period_gets_a_message_next_to_the_field(admin_client, log, params, field):
    response = admin_client.get(LOG, params)

    assert shown(response) == []
    assert f'id="filter-{field}_error"' in response.content.decode()


def test_the_list_pages_to_older_lines_without_counting(admin_client, caseworker):
    lines(caseworker, PAGE + 5)

    first = admin_client.get(LOG)
    second = admin_client.get(LOG, {"p": 2})

    assert len(shown(first)) == PAGE
    assert len(shown(second)) == 5
    assert not set(shown(first)) & set(shown(second))
    assert shown(first)[0].what == "line 0"  # newest first
    assert 'href="?p=2">' in first.content.decode()
    assert 'href="?p=3"' not in second.content.decode()
    assert 'href="?p=1">' in second.content.decode()


@pytest.mark.parametrize("page", ["0", "-1", "nul", str(10**30)])
def test_a_page_number_out_of_range_is_no_error(admin_client, caseworker, page):
    lines(caseworker, 3)

    response = admin_client.get(LOG, {"p": page})

    assert response.status_code == 200
    assert response.context["cl"].page_num in (1, MAX_LOG_PAGE)


def test_the_list_ignores_a_sort_by_another_column(admin_client, caseworker):
    """A sort on `what` would sort the whole log; the list stays newest first."""
    lines(caseworker, 3)

    found = shown(admin_client.get(LOG, {"o": "5"}))

    assert [line.what for line in found] == ["line 0", "line 1", "line 2"]


def test_the_list_offers_no_facets_nor_date_hierarchy(admin_client, caseworker):
    lines(caseworker, 3)

    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(LOG, {"_facets": "1"})
    sql = log_sql(queries)
    assert len([q for q in sql if q.startswith("SELECT")]) == 1
    assert 'class="xfull"' not in response.content.decode()  # the date hierarchy's bar
