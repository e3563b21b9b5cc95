"""`Trajectory.last_contact_on`: the stored date of the latest contact (issue 13).

Every way a contact changes keeps it equal to the aggregate over the contacts: the
contact pages, the verbs, bulk inserts and updates, deletes (one, many, a cascade),
anonymisation, a move to another trajectory; and a random sequence of all of these.
"""

from __future__ import annotations

import datetime
import importlib
import random

import pytest
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from cases.models import ContactMoment, Trajectory
from privacy.retention import ANONYMISED
from tests.factories import ContactFactory, TrajectoryFactory

pytestmark = pytest.mark.django_db


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def stored(trajectory: Trajectory) -> datetime.date | None:
    return Trajectory.objects.values_list("last_contact_on", flat=True).get(pk=trajectory.pk)


def aggregate(trajectory: Trajectory) -> datetime.date | None:
    return ContactMoment.objects.filter(trajectory=trajectory).aggregate(latest=Max("date"))[
        "latest"
    ]


@pytest.fixture
def trajectory(caseworker):
    return TrajectoryFactory(client__team=caseworker.team, caseworker=caseworker)


def contact_form(day: datetime.date, **extra) -> dict:
    return {
        "date": day.isoformat(),
        "kind": ContactMoment.Kind.CONVERSATION,
        "with_whom": [ContactMoment.With.CLIENT],
        "regie": "case",
        "summary": "Gesprek over werk.",
        **extra,
    }


def test_a_trajectory_without_contacts_has_no_last_contact(trajectory):
    assert stored(trajectory) is None


def test_logging_a_contact_on_the_page_sets_the_date(caseworker_client, trajectory):
    response = caseworker_client.post(
        reverse("cases:contact-create", args=[trajectory.pk]), contact_form(days_ago(5))
    )
    assert response.status_code == 302
    assert stored(trajectory) == days_ago(5)


def test_an_older_contact_does_not_move_the_date_back(caseworker, trajectory):
    trajectory.log_contact(
        ContactFactory.build(trajectory=trajectory, date=days_ago(2)), by=caseworker
    )
    trajectory.log_contact(
        ContactFactory.build(trajectory=trajectory, date=days_ago(40)), by=caseworker
    )
    assert stored(trajectory) == days_ago(2)


def test_editing_the_date_on_the_page_moves_it_both_ways(caseworker_client, trajectory):
    latest = ContactFactory(trajectory=trajectory, date=days_ago(3))
    ContactFactory(trajectory=trajectory, date=days_ago(20))
    url = reverse("cases:contact-update", args=[latest.pk])

    response = caseworker_client.post(url, contact_form(days_ago(50), version=latest.version))
    assert response.status_code == 302
    assert stored(trajectory) == days_ago(20)

    latest.refresh_from_db()
    caseworker_client.post(url, contact_form(days_ago(1), version=latest.version))
    assert stored(trajectory) == days_ago(1)


def test_editing_only_the_text_leaves_the_date(trajectory):
    contact = ContactFactory(trajectory=trajectory, date=days_ago(7))
    ContactMoment.objects.filter(pk=contact.pk).update(summary="Anders verwoord.")
    assert stored(trajectory) == days_ago(7)


def test_deleting_the_latest_falls_back_to_the_one_before_and_then_to_none(trajectory):
    latest = ContactFactory(trajectory=trajectory, date=days_ago(3))
    earlier = ContactFactory(trajectory=trajectory, date=days_ago(30))
    latest.delete()
    assert stored(trajectory) == days_ago(30)
    earlier.delete()
    assert stored(trajectory) is None


def test_moving_a_contact_to_another_trajectory_updates_both(caseworker, trajectory):
    other = TrajectoryFactory(client__team=caseworker.team, caseworker=caseworker)
    contact = ContactFactory(trajectory=trajectory, date=days_ago(3))
    ContactFactory(trajectory=other, date=days_ago(60))
    ContactMoment.objects.filter(pk=contact.pk).update(trajectory=other)
    assert stored(trajectory) is None
    assert stored(other) == days_ago(3)


def test_bulk_inserts_updates_and_deletes_of_many_trajectories_at_once(caseworker):
    trajectories = [
        TrajectoryFactory(client__team=caseworker.team, caseworker=caseworker) for _ in range(3)
    ]
    ContactMoment.objects.bulk_create(
        ContactFactory.build(trajectory=t, date=days_ago(n)) for t in trajectories for n in (4, 9)
    )
    assert [stored(t) for t in trajectories] == [days_ago(4)] * 3

    ContactMoment.objects.filter(trajectory__in=trajectories[:2], date=days_ago(4)).update(
        date=days_ago(70)
    )
    assert [stored(t) for t in trajectories] == [days_ago(9), days_ago(9), days_ago(4)]

    ContactMoment.objects.filter(trajectory=trajectories[0]).delete()
    assert [stored(t) for t in trajectories] == [None, days_ago(9), days_ago(4)]


def test_anonymising_a_contact_as_retention_does_keeps_its_date(trajectory):
    ContactFactory(trajectory=trajectory, date=days_ago(12))
    blanked = next(rule.blanked for rule in ANONYMISED if rule.model is ContactMoment)
    ContactMoment.objects.filter(trajectory=trajectory).update(**blanked)
    assert stored(trajectory) == days_ago(12)


def test_deleting_the_client_deletes_its_contacts_and_trajectory(trajectory):
    ContactFactory(trajectory=trajectory, date=days_ago(12))
    trajectory.client.delete()
    assert not Trajectory.objects.filter(pk=trajectory.pk).exists()


def test_a_change_of_the_stored_date_alone_writes_no_change_history(trajectory):
    before = trajectory.history.count()
    ContactFactory(trajectory=trajectory, date=days_ago(2))
    assert stored(trajectory) == days_ago(2)
    assert trajectory.history.count() == before


def test_the_rule_reads_the_stored_date(trajectory, settings):
    settings.RIO_NO_CONTACT_WARNING_DAYS = 30
    today = timezone.localdate()
    contact = ContactFactory(trajectory=trajectory, date=days_ago(31))
    assert Trajectory.objects.out_of_contact(today).filter(pk=trajectory.pk).exists()
    # The stored value is what the rule reads: made wrong by hand, the rule follows it.
    Trajectory.objects.filter(pk=trajectory.pk).update(last_contact_on=days_ago(1))
    assert not Trajectory.objects.out_of_contact(today).filter(pk=trajectory.pk).exists()
    contact.delete()
    assert Trajectory.objects.out_of_contact(today).filter(pk=trajectory.pk).exists()


def test_after_a_random_sequence_of_changes_the_stored_date_is_the_aggregate(caseworker):
    rng = random.Random(13)
    trajectories = [
        TrajectoryFactory(client__team=caseworker.team, caseworker=caseworker) for _ in range(4)
    ]
    for _step in range(120):
        contacts = list(ContactMoment.objects.filter(trajectory__in=trajectories))
        action = rng.choice(["log", "bulk", "edit", "move", "delete", "delete_many", "text"])
        target = rng.choice(trajectories)
        if action == "log" or not contacts:
            target.log_contact(
                ContactFactory.build(trajectory=target, date=days_ago(rng.randrange(400))),
                by=caseworker,
            )
        elif action == "bulk":
            ContactMoment.objects.bulk_create(
                ContactFactory.build(trajectory=target, date=days_ago(rng.randrange(400)))
                for _ in range(rng.randrange(1, 4))
            )
        elif action == "edit":
            contact = rng.choice(contacts)
            contact.date = days_ago(rng.randrange(400))
            contact.save_versioned(update_fields=["date"])
        elif action == "move":
            ContactMoment.objects.filter(pk=rng.choice(contacts).pk).update(trajectory=target)
        elif action == "delete":
            rng.choice(contacts).delete()
        elif action == "delete_many":
            ContactMoment.objects.filter(trajectory=target, date__lt=days_ago(200)).delete()
        else:
            ContactMoment.objects.filter(trajectory=target).update(summary="Anders.")
        for trajectory in trajectories:
            assert stored(trajectory) == aggregate(trajectory), (action, trajectory.pk)
    assert any(stored(t) is not None for t in trajectories)


def test_the_data_migration_fills_the_date_of_existing_trajectories(caseworker, trajectory):
    from django.apps import apps

    migration = importlib.import_module("cases.migrations.0011_trajectory_last_contact_on")
    without = TrajectoryFactory(client__team=caseworker.team, caseworker=caseworker)
    ContactFactory(trajectory=trajectory, date=days_ago(8))
    ContactFactory(trajectory=trajectory, date=days_ago(80))
    Trajectory.objects.update(last_contact_on=None)
    migration.fill_last_contact_on(apps, None)
    assert stored(trajectory) == days_ago(8)
    assert stored(without) is None
