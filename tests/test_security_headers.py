"""AS-2 and AS-6: headers on every response, TLS redirect, Host header check."""

import pytest
from django.test import Client

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


def test_bad_host_header_gets_400(client):
    response = client.get("/accounts/login/", headers={"host": "evil.example"})
    assert response.status_code == 400
