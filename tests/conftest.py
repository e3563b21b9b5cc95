"""Role fixtures: the four people every view is tested as."""

import pytest

from rio.embedded import ensure_database
from tests.factories import MunicipalityFactory, TeamFactory, UserFactory


def pytest_configure(config):
    # Without DATABASE_URL the suite uses the embedded PostgreSQL: start it
    # before pytest-django creates the test databases.
    ensure_database()
    # Every test user gets a password, and production's PBKDF2 is slow on
    # purpose (about half a second a user here): hash with MD5 in tests only,
    # as Django's "speeding up the tests" advises. Nothing tests the hasher.
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files of a test go to its own temporary folder, never to var/."""
    root = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


@pytest.fixture(autouse=True)
def demo_without_history(monkeypatch):
    """`seed_demo` without the three years of history behind the dashboards
    (reports.demo): it doubles the time of every seed, and the tests of the
    caseloads' demo data seed often. tests/reports/test_demo.py seeds it, once."""
    from reports import demo

    monkeypatch.setattr(demo, "HISTORIES", ())


@pytest.fixture
def municipality():
    return MunicipalityFactory(name="Dordrecht", cbs_code="GM0505")


@pytest.fixture
def other_municipality():
    return MunicipalityFactory(name="Rotterdam", cbs_code="GM0599")


@pytest.fixture
def team(municipality):
    return TeamFactory(name="RIO Dordrecht", municipality=municipality)


@pytest.fixture
def other_team(other_municipality):
    return TeamFactory(name="RIO Rotterdam", municipality=other_municipality)


@pytest.fixture
def caseworker(team):
    """A caseworker of the team that owns the clients under test."""
    return UserFactory(username="rio1", team=team)


@pytest.fixture
def colleague(team):
    """A second caseworker of the same team, to hand work over to."""
    return UserFactory(username="rio1b", first_name="Cor", last_name="Collega", team=team)


@pytest.fixture
def coordinator(team):
    """The team coordinator of `team`: may hand over any colleague's caseload."""
    return UserFactory(
        username="rio1k", first_name="Kim", last_name="Coördinator", team=team, coordinator=True
    )


@pytest.fixture
def other_caseworker(other_team):
    """A caseworker of another team: sees nothing of `team`'s clients."""
    return UserFactory(username="rio2", team=other_team)


@pytest.fixture
def manager(municipality):
    return UserFactory(username="manager1", manager=True, municipality=municipality)


@pytest.fixture
def admin_user():
    return UserFactory(username="beheer", admin=True)


@pytest.fixture
def caseworker_client(client, caseworker):
    client.force_login(caseworker)
    return client


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def other_caseworker_client(client, other_caseworker):
    client.force_login(other_caseworker)
    return client


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client
