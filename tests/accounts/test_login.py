import datetime
import time

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

from accounts.middleware import LOGIN_AT_KEY
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_login_page_is_dutch_and_public(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="nl">' in content
    assert "Inloggen" in content
    assert 'href="#main"' in content  # skip link


def test_wrong_password_shows_a_dutch_error_and_does_not_log_in(client, caseworker):
    response = client.post(LOGIN, {"login": "rio1", "password": "wrong"})
    assert response.status_code == 200
    assert "incorrect" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_login_with_totp_asks_for_the_code_then_lands_on_caseload(client, caseworker):
    response = client.post(LOGIN, {"login": "rio1", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert SESSION_KEY not in client.session  # not logged in before the code

    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert SESSION_KEY not in client.session

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(caseworker.totp_secret)})
    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == caseworker.pk
    assert client.get(response["Location"], follow=True).redirect_chain[-1][0] == reverse(
        "cases:caseload"
    )


def test_user_without_totp_must_set_it_up_before_anything_else(client, team):
    UserFactory(username="nieuw", team=team, mfa=False)
    response = client.post(LOGIN, {"login": "nieuw", "password": TEST_PASSWORD})
    assert response.status_code == 302
    response = client.get(reverse("cases:caseload"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # allauth asks for the password once more before showing the secret.
    response = client.get(reverse("mfa_activate_totp"), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
    response = client.post(response.redirect_chain[-1][0], {"password": TEST_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("mfa_activate_totp")
    assert response.status_code == 200
    assert 'name="code"' in response.content.decode()


def test_mfa_off_in_demo_mode_lets_a_user_without_totp_in(client, team, settings):
    settings.RIO_REQUIRE_MFA = False
    UserFactory(username="demo", team=team, mfa=False)
    response = client.post(LOGIN, {"login": "demo", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("cases:caseload")).status_code == 200


def test_login_page_warns_when_mfa_is_off(client, settings):
    settings.RIO_REQUIRE_MFA = False
    assert "Demomodus" in client.get(LOGIN).content.decode()
    settings.RIO_REQUIRE_MFA = True
    assert "Demomodus" not in client.get(LOGIN).content.decode()


@pytest.mark.parametrize(
    ("fixture", "start_page"),
    [
        ("caseworker_client", "cases:caseload"),
        ("manager_client", "reports:index"),
        ("admin_client", "admin:index"),
    ],
)
def test_each_role_lands_on_its_start_page(request, fixture, start_page):
    client = request.getfixturevalue(fixture)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse(start_page)
    assert response.status_code == 200


def test_logout_ends_the_session_server_side(caseworker_client):
    session_key = caseworker_client.session.session_key
    response = caseworker_client.post(reverse("account_logout"))
    assert response.status_code == 302
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=session_key).exists()
    assert caseworker_client.get(reverse("cases:caseload")).status_code == 302


def test_logout_by_get_does_not_log_out(caseworker_client):
    caseworker_client.get(reverse("account_logout"))
    assert caseworker_client.get(reverse("cases:caseload")).status_code == 200


def test_deactivated_user_is_logged_out_at_once(caseworker_client, caseworker):
    assert caseworker_client.get(reverse("cases:caseload")).status_code == 200
    caseworker.is_active = False
    caseworker.save(update_fields=["is_active"])
    response = caseworker_client.get(reverse("cases:caseload"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_session_ends_twelve_hours_after_login_however_active(caseworker_client, settings):
    session = caseworker_client.session
    session[LOGIN_AT_KEY] = int(time.time()) - settings.SESSION_ABSOLUTE_TIMEOUT - 1
    session.save()
    response = caseworker_client.get(reverse("cases:caseload"))
    assert response.status_code == 302
    assert caseworker_client.get(reverse("cases:caseload")).status_code == 302


def test_a_session_unused_for_thirty_minutes_is_refused(caseworker_client):
    caseload = reverse("cases:caseload")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert caseworker_client.get(caseload).status_code == 200
        # Each request slides the window: an hour of steady use goes on working.
        for _ in range(3):
            clock.shift(datetime.timedelta(minutes=29))
            assert caseworker_client.get(caseload).status_code == 200
        clock.shift(datetime.timedelta(minutes=30, seconds=1))
        response = caseworker_client.get(caseload)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_open_redirect_after_login_is_refused(client, team, settings):
    settings.RIO_REQUIRE_MFA = False
    UserFactory(username="demo", team=team, mfa=False)
    response = client.post(
        LOGIN + "?next=https://evil.example/", {"login": "demo", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_sign_up_is_closed(client):
    response = client.post(
        reverse("account_signup"),
        {
            "username": "x",
            "email": "x@example.org",
            "password1": "a-long-pw-123",
            "password2": "a-long-pw-123",
        },
    )
    assert "gesloten" in response.content.decode()
    from accounts.models import User

    assert not User.objects.filter(username="x").exists()


def test_password_reset_page_is_public_and_dutch(client):
    response = client.get(reverse("account_reset_password"))
    assert response.status_code == 200
    assert "wachtwoord" in response.content.decode().lower()


def test_admin_login_goes_through_allauth(client):
    response = client.get("/beheer/login/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_success_messages_are_not_stored_in_a_cookie(rf, caseworker):
    # Messages name people; they must stay server-side, not in a readable cookie.
    from django.contrib.messages import success
    from django.contrib.messages.storage import default_storage
    from django.contrib.sessions.backends.db import SessionStore
    from django.http import HttpResponse

    request = rf.get("/")
    request.session = SessionStore()
    request.user = caseworker
    request._messages = default_storage(request)
    success(request, "Dossier van Jan Jansen opgeslagen")
    response = HttpResponse()
    request._messages.update(response)
    assert "messages" not in response.cookies
