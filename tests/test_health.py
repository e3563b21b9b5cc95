import pytest
from django.db import connection

from rio.embedded import start_redis

pytestmark = pytest.mark.django_db(transaction=True)


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


def test_database_down_gives_503(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    original = connection.settings_dict.copy()
    connection.close()
    connection.settings_dict.update({"HOST": "127.0.0.1", "PORT": "1"})
    try:
        response = client.get("/health/")
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(original)
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
