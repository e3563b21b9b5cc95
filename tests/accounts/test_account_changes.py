"""An admin who sets someone's password or changes their role or team could step
into that account: the change is in the history, the owner gets an e-mail, and a
password set by someone else needs a new TOTP before any dossier opens."""

from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.management import CommandError, call_command
from django.urls import reverse

from audit.models import UserHistory
from tests.accounts.test_admin import change_data
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Nieuw-wachtwoord-2026!"


@pytest.fixture(autouse=True)
def mfa_required(settings):
    settings.RIO_REQUIRE_MFA = True


def set_password(admin_client, user):
    return admin_client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )


def test_a_password_set_by_an_admin_is_recorded_mailed_and_needs_a_new_totp(
    admin_client,
    admin_user,
    client,
    caseworker,
    team,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    dossier = reverse("cases:client-detail", args=[ClientFactory(team=team).pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = set_password(admin_client, caseworker)

    assert response.status_code == 302
    caseworker.refresh_from_db()
    assert caseworker.check_password(NEW_PASSWORD)
    # (a) In the change history, with who did it, and without the hash.
    event = caseworker.history.filter(pgh_label="password").latest("pgh_id")
    assert event.pgh_context.metadata["user"] == admin_user.pk
    assert "password" not in {field.name for field in UserHistory._meta.fields}
    # (b) The owner is told, in Dutch.
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [caseworker.email]
    assert mail.subject == "Uw RIO-account is gewijzigd"
    assert "uw wachtwoord is ingesteld" in mail.body
    assert "tweestapsverificatie" in mail.body
    # (c) The TOTP from before the reset opens nothing: set up a new one first.
    client.force_login(caseworker)
    response = client.get(dossier)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # allauth's set-up page asks for the password again, then has the old device
    # removed first; both pages stay reachable.
    setup = client.get(reverse("mfa_activate_totp"))
    assert setup["Location"].startswith(reverse("account_reauthenticate"))
    assert client.get(setup["Location"]).status_code == 200

    Authenticator.objects.filter(user=caseworker).delete()
    TOTP.activate(caseworker, generate_totp_secret())
    assert client.get(dossier).status_code == 200


def test_a_role_or_team_change_by_an_admin_is_recorded_and_mailed(
    admin_client, admin_user, caseworker, other_team, mailoutbox, django_capture_on_commit_callbacks
):
    url = reverse("admin:accounts_user_change", args=[caseworker.pk])
    data = change_data(admin_client.get(url))

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, {**data, "team": other_team.pk})

    assert response.status_code == 302
    event = caseworker.history.get(pgh_label="account")
    assert event.team_id == other_team.pk
    assert event.pgh_context.metadata["user"] == admin_user.pk
    assert len(mailoutbox) == 1
    assert "uw team is gewijzigd" in mailoutbox[0].body
    assert "wachtwoord" not in mailoutbox[0].body
    # A team change is no password reset: the caseworker's TOTP still counts.
    caseworker.refresh_from_db()
    assert not caseworker.needs_totp_enrolment()


def test_an_edit_that_changes_neither_role_nor_team_sends_nothing(
    admin_client, caseworker, mailoutbox, django_capture_on_commit_callbacks
):
    url = reverse("admin:accounts_user_change", args=[caseworker.pk])
    data = change_data(admin_client.get(url))
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url, {**data, "first_name": "Rianne"})
    assert mailoutbox == []
    assert not caseworker.history.filter(pgh_label="account").exists()


def test_an_admin_setting_their_own_password_gets_no_mail_and_keeps_their_totp(
    admin_client, admin_user, mailoutbox, django_capture_on_commit_callbacks
):
    # Nobody else knows the new password: nothing to warn about, no new TOTP needed.
    with django_capture_on_commit_callbacks(execute=True):
        response = set_password(admin_client, admin_user)

    assert response.status_code == 302
    assert mailoutbox == []
    admin_user.refresh_from_db()
    assert admin_user.password_set_by_other_at is None
    assert not admin_user.needs_totp_enrolment()
    # Still recorded: the history has every password change.
    assert admin_user.history.filter(pgh_label="password").exists()


def test_a_password_set_with_manage_py_changepassword_is_mailed_and_needs_a_new_totp(
    caseworker, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    # Whoever runs the command on the server knows the new password, as an admin
    # who sets it in Django admin does.
    from accounts.management.commands.changepassword import Command

    monkeypatch.setattr(Command, "_get_pass", lambda self, prompt="Password: ": NEW_PASSWORD)
    assert not caseworker.needs_totp_enrolment()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("changepassword", caseworker.username, stdout=StringIO())

    caseworker.refresh_from_db()
    assert caseworker.check_password(NEW_PASSWORD)
    assert caseworker.password_set_by_other_at is not None
    assert caseworker.needs_totp_enrolment()
    assert [mail.to for mail in mailoutbox] == [[caseworker.email]]
    assert "uw wachtwoord is ingesteld" in mailoutbox[0].body
    assert caseworker.history.filter(pgh_label="password").exists()


def test_changepassword_for_an_unknown_user_changes_and_sends_nothing(mailoutbox):
    with pytest.raises(CommandError):
        call_command("changepassword", "niemand", stdout=StringIO())
    assert mailoutbox == []


def test_an_e_mail_change_by_an_admin_is_recorded_and_told_to_the_old_address_too(
    admin_client, admin_user, caseworker, mailoutbox, django_capture_on_commit_callbacks
):
    # Otherwise the notice of a later password reset could go to an address the
    # admin chose, and the owner would never hear of it.
    old = caseworker.email
    url = reverse("admin:accounts_user_change", args=[caseworker.pk])
    data = change_data(admin_client.get(url))

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, {**data, "email": "elders@example.org"})

    assert response.status_code == 302
    event = caseworker.history.get(pgh_label="account")
    assert event.email == "elders@example.org"
    assert event.pgh_context.metadata["user"] == admin_user.pk
    assert len(mailoutbox) == 1
    assert set(mailoutbox[0].to) == {old, "elders@example.org"}
    assert "uw e-mailadres is gewijzigd" in mailoutbox[0].body


def test_nobodys_totp_can_be_removed_in_admin(admin_client, caseworker):
    from allauth.mfa.models import Authenticator
    from django.contrib import admin

    assert not admin.site.is_registered(Authenticator)
    device = Authenticator.objects.filter(user=caseworker).first()
    assert device is not None
    assert admin_client.get(f"/beheer/mfa/authenticator/{device.pk}/delete/").status_code == 404
    assert Authenticator.objects.filter(pk=device.pk).exists()
