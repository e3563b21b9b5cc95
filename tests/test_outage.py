"""While the database cannot be reached a request gets the styled 503 page, and recovers by itself.

Two faults, each in place of the real database for one request: a connection that
is refused (the server is restarting: every connect fails, in whichever middleware
first needs the session or the user), and a connection that breaks under a running
request (the server was stopped: the next query fails). The request after the fault
is served as usual, by the same app, without anything being restarted.
"""

import logging

import pytest
from django.db import OperationalError, connections
from django.test import Client
from django.urls import path, reverse
from django.utils import translation

from rio import outage
from rio.urls import handler500 as project_handler500
from rio.urls import urlpatterns as project_urlpatterns
from tests.factories import ClientFactory, TrajectoryFactory

# Not transactional: a transactional test would flush the data migrations'
# rows (e.g. the level descriptions) from a reused test database.
pytestmark = pytest.mark.django_db

CASELOAD = "/jongeren/"


def failing_view(request):
    raise ValueError("a bug")


# This module is also the URLconf of the tests marked with it: the project's URLs and
# 500 handler plus one view that fails for another reason than the database.
urlpatterns = [path("kapot/", failing_view), *project_urlpatterns]
handler500 = project_handler500


@pytest.fixture
def browser(caseworker):
    """A logged-in caseworker whose browser sees the error pages, not the exception."""
    browser = Client(raise_request_exception=False)
    browser.force_login(caseworker)
    return browser


@pytest.fixture
def refused():
    """For the duration of the `with`: the default database refuses every connection.

    A real connection to a port where no database listens takes the place of the
    default one, as during a restart; the test's own connection is put back after.
    """

    class Refused:
        def __enter__(self):
            self.real = connections["default"]
            dead = connections.create_connection("default")
            dead.settings_dict = {**dead.settings_dict, "HOST": "127.0.0.1", "PORT": "1"}
            connections["default"] = self.dead = dead
            return dead

        def __exit__(self, *exc):
            self.dead.close()
            connections["default"] = self.real

    return Refused()


def connection_lost(execute, sql, params, many, context):
    """An execute wrapper: every query fails as on a connection the server closed."""
    raise OperationalError("server closed the connection unexpectedly")


def assert_styled_503(response) -> str:
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    content = response.content.decode()
    assert '<h1 class="utrecht-heading-1">Tijdelijk niet beschikbaar</h1>' in content
    assert "/static/css/rio.css" in content  # the site's own look
    assert "Traceback" not in content
    assert "OperationalError" not in content
    assert "127.0.0.1" not in content
    return content


def test_a_refused_database_gives_the_styled_503_page_and_the_next_request_works(
    browser, refused, caplog
):
    with refused:
        response = browser.get(CASELOAD)

    assert_styled_503(response)
    # Logged for the operators, as a 500 would be.
    assert any(
        record.name == "django.request" and record.levelno == logging.ERROR
        for record in caplog.records
    )
    # The database is back: the same app serves the page, nothing was restarted.
    after = browser.get(CASELOAD)
    assert after.status_code == 200
    assert "Mijn jongeren" in after.content.decode()


def test_a_connection_lost_under_a_running_request_gives_the_503_page_and_then_recovers(
    browser, team, caseworker
):
    client = ClientFactory(team=team, first_name="Anouk", last_name="Aarts")
    TrajectoryFactory(client=client, caseworker=caseworker)
    url = reverse("cases:client-detail", args=[client.pk])

    with connections["default"].execute_wrapper(connection_lost):
        response = browser.get(url)

    content = assert_styled_503(response)
    assert "Aarts" not in content  # nothing of the dossier on the error page
    assert browser.get(url).status_code == 200


def test_a_save_while_the_database_is_down_gives_503_not_500(browser, refused):
    with refused:
        response = browser.post(reverse("cases:client-create"), {"first_name": "Anouk"})
    assert_styled_503(response)


def test_the_503_page_is_english_for_who_chose_english(browser, refused, settings):
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with refused:
        response = browser.get(CASELOAD)
    assert response.status_code == 503
    assert "Temporarily unavailable" in response.content.decode()


def test_the_503_page_renders_without_the_database(django_assert_num_queries):
    with django_assert_num_queries(0), translation.override("nl"):
        response = outage.service_unavailable()
    assert_styled_503(response)


@pytest.mark.urls("tests.test_outage")
def test_any_other_error_still_gives_the_500_page(browser):
    response = browser.get("/kapot/")
    assert response.status_code == 500
    assert "Er is iets misgegaan" in response.content.decode()


def fail_while_rendering():
    try:
        raise OperationalError("terminating connection due to administrator command")
    except OperationalError as cause:
        raise RuntimeError("while rendering") from cause


def test_a_database_error_raised_from_another_is_recognised():
    with pytest.raises(RuntimeError) as raised:
        fail_while_rendering()
    assert outage.is_database_unavailable(raised.value)
    assert not outage.is_database_unavailable(ValueError("a bug"))
    assert not outage.is_database_unavailable(None)


def test_health_says_503_while_the_database_refuses(client, refused, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    with refused:
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["database"] == "down"
    assert client.get("/health/").status_code == 200
