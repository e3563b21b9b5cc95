import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def test_five_failed_logins_lock_the_account_from_that_address(client, caseworker, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"login": "rio1", "password": "wrong"})
    response = client.post(LOGIN, {"login": "rio1", "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert "tijdelijk geblokkeerd" in response.content.decode()
    assert SESSION_KEY not in client.session
    attempt = AccessAttempt.objects.get(username="rio1")
    assert attempt.failures_since_start >= settings.AXES_FAILURE_LIMIT


def test_lockout_is_per_account_and_address(client, caseworker, other_caseworker, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"login": "rio1", "password": "wrong"}, REMOTE_ADDR="10.0.0.1")
    # The same account from another address, and another account, still work.
    response = client.post(
        LOGIN, {"login": "rio1", "password": TEST_PASSWORD}, REMOTE_ADDR="10.0.0.2"
    )
    assert response.status_code == 302
    client.logout()
    response = client.post(
        LOGIN, {"login": "rio2", "password": TEST_PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 302


def test_a_few_failures_do_not_lock(client, caseworker):
    client.post(LOGIN, {"login": "rio1", "password": "wrong"})
    response = client.post(LOGIN, {"login": "rio1", "password": TEST_PASSWORD})
    assert response.status_code == 302


def test_a_forged_forwarded_for_header_does_not_escape_the_lockout(client, caseworker, settings):
    # Without trusted proxies X-Forwarded-For is ignored, so changing it per
    # attempt does not make each attempt look like a new address.
    for number in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN,
            {"login": "rio1", "password": "wrong"},
            headers={"x-forwarded-for": f"203.0.113.{number}"},
        )
    response = client.post(
        LOGIN,
        {"login": "rio1", "password": TEST_PASSWORD},
        headers={"x-forwarded-for": "198.51.100.1"},
    )
    assert response.status_code == 429
    assert SESSION_KEY not in client.session


# Each case posts from its own address: allauth also rate-limits logins per
# address in the cache, which outlives the test transaction.
@pytest.mark.parametrize(
    ("spelling", "address"),
    [("RIO1", "10.1.0.1"), (" rio1 ", "10.1.0.2"), ("ｒｉｏ１", "10.1.0.3"), ("Rio1", "10.1.0.4")],
)
def test_another_spelling_of_a_locked_account_is_refused(
    client, caseworker, settings, spelling, address
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"login": "rio1", "password": "wrong"}, REMOTE_ADDR=address)
    response = client.post(
        LOGIN, {"login": spelling, "password": TEST_PASSWORD}, REMOTE_ADDR=address
    )
    assert response.status_code == 429
    assert SESSION_KEY not in client.session
    # The lock was not cleared by the other spelling either.
    response = client.post(LOGIN, {"login": "rio1", "password": TEST_PASSWORD}, REMOTE_ADDR=address)
    assert response.status_code == 429


def test_failures_under_different_spellings_add_up(client, caseworker, settings):
    address = "10.1.0.5"
    spellings = ["rio1", "RIO1", " rio1", "ｒｉｏ１", "Rio1"]
    for number in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN,
            {"login": spellings[number % len(spellings)], "password": "wrong"},
            REMOTE_ADDR=address,
        )
    response = client.post(LOGIN, {"login": "rio1", "password": TEST_PASSWORD}, REMOTE_ADDR=address)
    assert response.status_code == 429
