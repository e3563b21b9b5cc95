"""Error pages: styled, Dutch, and never a debug page (the demo runs with DEBUG off too).

The 400 and 500 pages render without a request context or database; 403 and 404
are ordinary pages in the site's layout.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import path
from django.views.defaults import server_error

from rio.urls import urlpatterns as project_urlpatterns

pytestmark = pytest.mark.django_db

BSN = "111222333"


def failing_view(request):
    raise ValueError("a bug")


def forbidden_view(request):
    raise PermissionDenied


# This module is also the URLconf of the tests marked with it: the project's URLs
# plus one view that fails and one that refuses, which the project (rightly) lacks.
urlpatterns = [
    path("kapot/", failing_view),
    path("verboden/", forbidden_view),
    *project_urlpatterns,
]


def test_an_unknown_address_gives_the_styled_404_without_the_url_patterns(caseworker_client):
    response = caseworker_client.get("/bestaat-niet/")
    assert response.status_code == 404
    content = response.content.decode()
    assert '<h1 class="utrecht-heading-1">Pagina niet gevonden</h1>' in content
    assert "rio-header" in content  # the site's own layout
    assert "URLconf" not in content
    assert "jongeren/&lt;int:pk&gt;" not in content


def test_the_500_page_needs_no_request_context_and_no_database(rf, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    content = response.content.decode()
    assert "Er is iets misgegaan" in content
    assert "/static/css/rio.css" in content


@pytest.mark.urls("tests.test_error_pages")
def test_a_failing_view_shows_the_500_page_and_not_what_was_posted(caseworker):
    browser = Client(raise_request_exception=False)
    browser.force_login(caseworker)
    response = browser.post("/kapot/", {"bsn": BSN})
    assert response.status_code == 500
    content = response.content.decode()
    assert "Er is iets misgegaan" in content
    assert BSN not in content
    assert "Traceback" not in content


@pytest.mark.urls("tests.test_error_pages")
def test_a_refusal_shows_the_styled_403(caseworker_client):
    response = caseworker_client.get("/verboden/")
    assert response.status_code == 403
    content = response.content.decode()
    assert "Geen toegang" in content
    assert "rio-header" in content


def test_a_bad_host_header_gets_the_dutch_400_page(client):
    response = client.get("/accounts/login/", headers={"host": "evil.example"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Ongeldig verzoek" in content
    assert "evil.example" not in content


def test_a_form_without_its_csrf_token_gets_the_dutch_403_page():
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"login": "rio1"})
    assert response.status_code == 403
    assert "Formulier niet verstuurd" in response.content.decode()
