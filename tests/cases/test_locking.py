"""Optimistic locking (RF-4): a versioned save behaves like save() for the
fields Django fills in itself."""

import datetime

import pytest
from django.urls import reverse

from cases.locking import ConflictError
from cases.models import Client, Trajectory
from tests.factories import ClientFactory, TrajectoryFactory, UserFactory

pytestmark = pytest.mark.django_db

AMSTERDAM = datetime.timezone(datetime.timedelta(hours=2))
OPENED = datetime.datetime(2026, 6, 15, 9, 0, tzinfo=AMSTERDAM)
SAVED = OPENED + datetime.timedelta(minutes=10)


def edit_data(client: Client, **overrides) -> dict:
    data = {
        "first_name": client.first_name,
        "last_name": client.last_name,
        "date_of_birth": client.date_of_birth.isoformat(),
        "bsn_input": "",
        "address_kind": client.address_kind,
        "street": client.street,
        "postcode": client.postcode,
        "city": client.city,
        "lvb": client.lvb,
        "version": client.version,
    }
    data.update(overrides)
    return data


def test_editing_a_client_on_the_edit_page_moves_its_updated_at(
    client, caseworker, team, time_machine
):
    time_machine.move_to(OPENED, tick=False)
    record = ClientFactory(team=team)
    assert record.updated_at == OPENED
    client.force_login(caseworker)

    time_machine.move_to(SAVED, tick=False)
    response = client.post(
        reverse("cases:client-update", args=[record.pk]), edit_data(record, city="Zwijndrecht")
    )

    assert response.status_code == 302
    record.refresh_from_db()
    assert record.city == "Zwijndrecht"
    assert record.updated_at == SAVED
    assert record.created_at == OPENED


def test_a_status_change_moves_the_trajectorys_updated_at(time_machine):
    time_machine.move_to(OPENED, tick=False)
    trajectory = TrajectoryFactory()
    assert trajectory.updated_at == OPENED

    time_machine.move_to(SAVED, tick=False)
    trajectory.release(on=SAVED.date(), by=trajectory.caseworker)

    assert trajectory.updated_at == SAVED
    trajectory.refresh_from_db()
    assert trajectory.updated_at == SAVED
    assert trajectory.status == Trajectory.Status.AFTERCARE


def test_a_conflicting_save_leaves_updated_at_alone(time_machine):
    time_machine.move_to(OPENED, tick=False)
    trajectory = TrajectoryFactory()
    stale = Trajectory.objects.get(pk=trajectory.pk)
    trajectory.hand_over(
        to=UserFactory(team=trajectory.client.team, mfa=False), by=trajectory.caseworker, note=""
    )

    time_machine.move_to(SAVED, tick=False)
    stale.penitentiary_institution = "PI Rotterdam"
    with pytest.raises(ConflictError):
        stale.save_versioned(update_fields=["penitentiary_institution"])

    trajectory.refresh_from_db()
    assert trajectory.updated_at == OPENED
    assert trajectory.penitentiary_institution == "PI Dordrecht"
