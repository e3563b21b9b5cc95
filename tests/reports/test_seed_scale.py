"""`manage.py seed_scale`: national-scale data of the demo's shape, written with COPY."""

import io

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import User
from audit.models import AccessLogEntry
from cases import bsn as bsn_rules
from cases.models import Client, ContactMoment, Trajectory
from followup.models import FollowUpMoment, Notification
from followup.reminders import sweep
from followup.schedule import sync_schedules
from lifedomains.models import Assessment
from reports import scale
from tests.accounts.test_login import LOGIN, totp_code
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CLIENTS = 300
# Few municipalities keep the test quick; the shape per team is the same.
MUNICIPALITIES = 12
PASSWORD = "scale-test-password"
SECRET = "JBSWY3DPEHPK3PXP"
# What neither the demo nor seed_scale fills: the change history (its triggers are off
# while seeding), the e-mail digests, what retention leaves, Django's own permissions.
NOT_SEEDED = {
    "accounts.User_groups",
    "accounts.User_user_permissions",
    "followup.DigestLog",
    "privacy.DestructionStatement",
    "privacy.DestroyedTrajectory",
}
# Per young person at full scale (the 100 000: 2 million contacts, half a million
# assessments, 10 million access-log lines), within a margin for a small sample.
PER_CLIENT = {ContactMoment: (15, 26), Assessment: (3.5, 6.5), AccessLogEntry: (70, 130)}


def seed_scale(**options) -> str:
    out = io.StringIO()
    call_command(
        "seed_scale",
        clients=options.pop("clients", CLIENTS),
        municipalities=MUNICIPALITIES,
        password=PASSWORD,
        totp_secret=SECRET,
        stdout=out,
        **options,
    )
    return out.getvalue()


def history_models():
    from pghistory.core import event_models

    return {model._meta.label for model in event_models()} - {"lifedomains.ReadinessItemEvent"}


def test_every_model_the_demo_fills_has_rows_and_the_history_has_none():
    output = seed_scale()
    labels = (*settings.PROJECT_APPS,)
    history = history_models()
    empty, unexpected = [], []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.app_label not in labels or meta.proxy or not meta.managed:
            continue
        has_rows = model._base_manager.exists()
        if meta.label in history:
            if has_rows:
                unexpected.append(meta.label)
        elif meta.label not in NOT_SEEDED and not has_rows:
            empty.append(meta.label)
    assert not empty
    assert not unexpected  # no "insert" events that nobody made
    assert f"seed_scale: {CLIENTS} clients in" in output
    assert "cases.ContactMoment" in output  # the row counts per table


def test_every_status_and_end_reason_is_there_and_counts_are_in_proportion():
    seed_scale()
    assert Client.objects.count() == CLIENTS
    statuses = set(Trajectory.objects.values_list("status", flat=True))
    assert statuses == set(Trajectory.Status.values)
    reasons = set(Trajectory.objects.exclude(end_reason="").values_list("end_reason", flat=True))
    assert len(reasons) >= 5  # of six; "deceased" is 2% and may miss a small sample
    for model, (low, high) in PER_CLIENT.items():
        assert low <= model.objects.count() / CLIENTS <= high, model
    # BSNs pass the eleven test and are found by their blind index, as one typed in.
    with_bsn = Client.objects.exclude(bsn="").first()
    assert bsn_rules.is_valid(with_bsn.bsn)
    assert list(Client.objects.with_bsn(with_bsn.bsn)) == [with_bsn]
    assert scale.dangling_references(rows.model for rows in scale.tables().values()) == []
    # The biggest team has the first caseworker, and both roles besides exist.
    biggest = User.objects.get(username="scale-rio-1")
    assert Client.objects.filter(team=biggest.team).count() == max(
        Client.objects.filter(team=team).count() for team in biggest.team.municipality.teams.all()
    )
    assert User.objects.filter(role=User.Role.MANAGER).count() == MUNICIPALITIES
    assert User.objects.get(username="scale-admin").is_functional_admin


def test_follow_up_moments_are_the_schedule_and_the_sweep_runs_on_them():
    seed_scale()
    open_ids = list(Trajectory.objects.open().values_list("pk", flat=True))
    # The moments are what followup.schedule plans: syncing them changes nothing.
    assert sync_schedules(open_ids).changed == 0
    assert FollowUpMoment.objects.filter(status=FollowUpMoment.Status.DONE).exists()
    assert Notification.objects.exists()  # the seed's own sweep made the reminders
    # Running the sweep again (as every night) works and makes no reminder twice.
    assert sweep() == 0


def test_the_stored_last_contact_is_the_latest_contact_although_no_trigger_fired():
    from django.db.models import Max

    seed_scale()
    latest = dict(
        ContactMoment.objects.values("trajectory")
        .annotate(m=Max("date"))
        .values_list("trajectory", "m")
    )
    stored = dict(Trajectory.objects.values_list("pk", "last_contact_on"))
    assert latest
    assert {pk: day for pk, day in stored.items() if day is not None} == latest


def test_a_database_with_data_is_refused_and_force_empties_it_first():
    UserFactory(username="someone")
    with pytest.raises(CommandError, match="holds data"):
        seed_scale(clients=10)
    assert Client.objects.count() == 0

    seed_scale(clients=10, force=True)
    assert not User.objects.filter(username="someone").exists()
    first = sorted(Client.objects.values_list("pk", "first_name", "date_of_birth"))
    contacts = ContactMoment.objects.count()

    seed_scale(clients=10, force=True)  # a second run: the same rows again
    assert sorted(Client.objects.values_list("pk", "first_name", "date_of_birth")) == first
    assert ContactMoment.objects.count() == contacts


def test_a_seeded_caseworker_logs_in_with_password_and_totp_and_opens_caseload_and_dossier(
    client, settings
):
    settings.RIO_REQUIRE_MFA = True
    seed_scale()
    response = client.post(LOGIN, {"login": "scale-rio-1", "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(SECRET)})
    assert response.status_code == 302

    response = client.get(reverse("cases:caseload"))
    assert response.status_code == 200
    user = User.objects.get(username="scale-rio-1")
    longest = (
        Client.objects.visible_to(user)
        .filter(trajectories__status=Trajectory.Status.AFTERCARE)
        .order_by("trajectories__started_on")
        .first()
    )
    response = client.get(reverse("cases:client-detail", args=[longest.pk]))
    assert response.status_code == 200
    assert longest.first_name in response.content.decode()
