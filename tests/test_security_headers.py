"""AS-2 and AS-6: headers on every response, TLS redirect, Host header check."""

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_security_headers_on_pages(caseworker_client):
    response = caseworker_client.get("/jongeren/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_pages_contain_no_inline_script(caseworker_client):
    content = caseworker_client.get("/jongeren/").content.decode()
    assert "<script>" not in content
    assert " onclick=" not in content
    assert "<script src=" in content  # htmx, from our own origin


def test_hsts_and_tls_redirect_when_enabled(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get("/accounts/login/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    response = client.get("/accounts/login/", secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_session_and_csrf_cookies_are_secure_and_http_only(client, caseworker, settings):
    from tests.factories import TEST_PASSWORD

    response = client.post("/accounts/login/", {"login": "rio1", "password": TEST_PASSWORD})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_the_csrf_cookie_is_sent_secure_http_only_and_same_site(client):
    """On a real response, not only by setting: the login form sets the CSRF cookie."""
    response = client.get("/accounts/login/")

    cookie = response.cookies["csrftoken"]
    assert cookie.value
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_bad_host_header_gets_400(client):
    response = client.get("/accounts/login/", headers={"host": "evil.example"})
    assert response.status_code == 400


# --- Names out of caches: private, no-store for a logged-in user -------------------------

NO_STORE = "private, no-store"


@pytest.fixture
def trajectory(caseworker):
    from tests.factories import TrajectoryFactory

    return TrajectoryFactory(client__team=caseworker.team, caseworker=caseworker)


def test_dossier_page_is_not_stored(caseworker_client, trajectory):
    response = caseworker_client.get(reverse("cases:client-detail", args=[trajectory.client.pk]))
    assert response.status_code == 200
    assert trajectory.client.first_name in response.content.decode()
    assert response["Cache-Control"] == NO_STORE


def test_edit_form_is_not_stored(caseworker_client, trajectory):
    response = caseworker_client.get(reverse("cases:client-update", args=[trajectory.client.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == NO_STORE


def test_caseload_is_not_stored(caseworker_client, trajectory):
    response = caseworker_client.get(reverse("cases:caseload"))
    assert response.status_code == 200
    assert trajectory.client.last_name in response.content.decode()
    assert response["Cache-Control"] == NO_STORE


def test_dashboard_is_not_stored(manager_client):
    response = manager_client.get(reverse("reports:index"))
    assert response.status_code == 200
    assert response["Cache-Control"] == NO_STORE


def test_a_page_that_is_not_found_is_not_stored_either(caseworker_client):
    response = caseworker_client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert response["Cache-Control"] == NO_STORE


def test_document_download_keeps_its_own_header(caseworker_client, trajectory):
    from tests.factories import DocumentFactory

    document = DocumentFactory(client=trajectory.client)
    response = caseworker_client.get(reverse("cases:document-download", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == NO_STORE
    response.close()


def test_a_response_with_its_own_cache_control_keeps_it(rf, caseworker):
    from accounts.middleware import PrivateNoStoreMiddleware

    request = rf.get("/jongeren/")
    request.user = caseworker

    def own_header(_request):
        response = HttpResponse("ok")
        response["Cache-Control"] = "max-age=0, no-cache"
        return response

    response = PrivateNoStoreMiddleware(own_header)(request)
    assert response["Cache-Control"] == "max-age=0, no-cache"
    response = PrivateNoStoreMiddleware(lambda _request: HttpResponse("ok"))(request)
    assert response["Cache-Control"] == NO_STORE


def test_static_files_keep_caching_while_pages_are_not_stored(settings, caseworker):
    # WhiteNoise serves from STATIC_ROOT after collectstatic; the test run has
    # none, so it looks the files up through the finders as the demo's would be.
    settings.WHITENOISE_USE_FINDERS = True
    anonymous = Client()
    response = anonymous.get("/static/css/rio.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")

    logged_in = Client()
    logged_in.force_login(caseworker)
    response = logged_in.get("/static/css/rio.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert logged_in.get("/jongeren/")["Cache-Control"] == NO_STORE
