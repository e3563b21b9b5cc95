import pytest
from django.db import connections

from rio import health
from rio.embedded import start_redis

# Not transactional: a transactional test would flush the data migrations'
# rows (e.g. the level descriptions) from a reused test database.
pytestmark = pytest.mark.django_db


def test_health_is_public_and_reports_ok(client, settings, tmp_path):
    server = start_redis(tmp_path / "redis.rdb")
    try:
        settings.REDIS_URL = f"unix://{server.socket_file}"
        response = client.get("/health/")
    finally:
        server.shutdown()
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "redis": "ok"}


def test_redis_down_is_reported_but_still_200(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "redis": "down"}


def test_database_down_gives_503(client, settings, monkeypatch):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    # A real connection to a port where no database listens, in place of the default one.
    dead = connections.create_connection("default")
    dead.settings_dict = {**dead.settings_dict, "HOST": "127.0.0.1", "PORT": "1"}
    monkeypatch.setattr(health, "connection", dead)
    try:
        response = client.get("/health/")
    finally:
        dead.close()
    assert response.status_code == 503
    assert response.json()["database"] == "down"
    assert response.json()["status"] == "error"


def test_health_reveals_no_versions_or_settings(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/health/")
    body = response.content.decode()
    assert set(response.json()) == {"status", "database", "redis"}
    assert "Server" not in response.headers
    for secret in ("postgres", "5432", "django", "5.2", settings.SECRET_KEY):
        assert secret not in body.lower()
    assert response["Cache-Control"].startswith("max-age=0")
