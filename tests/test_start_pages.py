"""Each role's start page, and the roles that may not open it."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_caseworker_sees_an_empty_caseload_with_a_clear_empty_state(caseworker_client, team):
    response = caseworker_client.get(reverse("cases:caseload"))
    assert response.status_code == 200
    content = response.content.decode()
    assert '<h1 class="utrecht-heading-1">Mijn jongeren</h1>' in content
    assert "Nog geen jongeren" in content
    assert team.name in content
    assert 'aria-current="page"' in content


@pytest.mark.parametrize("fixture", ["manager_client", "admin_client"])
def test_other_roles_get_404_on_the_caseload(request, fixture):
    client = request.getfixturevalue(fixture)
    assert client.get(reverse("cases:caseload")).status_code == 404


def test_manager_sees_reports_for_their_municipality(manager_client, municipality):
    response = manager_client.get(reverse("reports:index"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Rapportages" in content
    assert municipality.name in content
    assert "&lt;5" in content


def test_admin_sees_reports_for_the_whole_country(admin_client):
    response = admin_client.get(reverse("reports:index"))
    assert response.status_code == 200
    assert "Cijfers voor Nederland" in response.content.decode()


def test_caseworker_gets_404_on_reports(caseworker_client):
    assert caseworker_client.get(reverse("reports:index")).status_code == 404


def test_caseworker_navigation_shows_the_caseload_not_reports(caseworker_client):
    page = caseworker_client.get(reverse("cases:caseload")).content.decode()
    assert f'href="{reverse("cases:caseload")}"' in page
    assert f'href="{reverse("reports:index")}"' not in page


def test_manager_navigation_shows_reports_not_the_caseload(manager_client):
    page = manager_client.get(reverse("reports:index")).content.decode()
    assert f'href="{reverse("reports:index")}"' in page
    assert f'href="{reverse("cases:caseload")}"' not in page


def test_admin_site_is_dutch(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "Beheer" in response.content.decode()
    assert admin_client.get(reverse("admin:accounts_user_changelist")).status_code == 200


def test_empty_caseload_query_count_is_pinned(caseworker_client, django_assert_num_queries):
    # session, user, TOTP check, client count, the team's caseworkers (filter
    # choices, rendered and for the rows), team, the access log line, the inbox count, and
    # the session save (with its savepoint); tests/cases/test_caseload.py pins it with rows.
    with django_assert_num_queries(12):
        caseworker_client.get(reverse("cases:caseload"))


def test_english_is_available(caseworker_client):
    response = caseworker_client.post(
        reverse("set_language"), {"language": "en", "next": reverse("cases:caseload")}
    )
    assert response.status_code == 302
    content = caseworker_client.get(reverse("cases:caseload")).content.decode()
    assert '<html lang="en">' in content
    assert "My young people" in content


def test_interface_is_dutch_even_for_an_english_browser(caseworker_client):
    response = caseworker_client.get(
        reverse("cases:caseload"), headers={"accept-language": "en-US,en;q=0.9"}
    )
    assert '<html lang="nl">' in response.content.decode()
    assert "Mijn jongeren" in response.content.decode()


def test_admin_navigation_shows_administration_and_reports(admin_client):
    page = admin_client.get(reverse("reports:index")).content.decode()
    assert f'href="{reverse("admin:index")}"' in page
    assert f'href="{reverse("reports:index")}"' in page
    assert f'href="{reverse("cases:caseload")}"' not in page
