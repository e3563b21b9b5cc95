"""The status history of the release checklist."""

import datetime

import pytest
from django.apps import apps
from django.db import ProgrammingError, connection, transaction
from django.urls import reverse

from lifedomains.models import ReadinessItem, ReadinessItemEvent
from tests.factories import ClientFactory, TrajectoryFactory
from tests.lifedomains.test_readiness import checklist_data

pytestmark = pytest.mark.django_db

ITEM = ReadinessItem.Item
STATUS = ReadinessItem.Status


def events(trajectory) -> list[tuple[str, str, str]]:
    return list(
        ReadinessItemEvent.objects.filter(trajectory=trajectory)
        .order_by("pgh_id")
        .values_list("pgh_label", "item", "status")
    )


# --- What is recorded -------------------------------------------------------------------------


def test_every_insert_update_and_delete_of_an_item_is_recorded():
    trajectory = TrajectoryFactory()
    row = ReadinessItem.objects.create(trajectory=trajectory, item=ITEM.HOUSING)
    row.status = STATUS.ARRANGED
    row.date = datetime.date(2026, 3, 1)
    row.save()
    pk = row.pk
    row.delete()

    assert events(trajectory) == [
        ("insert", "housing", "needed"),
        ("update", "housing", "arranged"),
        ("delete", "housing", "arranged"),
    ]
    update = ReadinessItemEvent.objects.get(pgh_label="update")
    assert update.date == datetime.date(2026, 3, 1)
    assert update.pgh_obj_id == pk


def test_a_change_by_update_and_a_bulk_create_are_recorded_too():
    trajectory = TrajectoryFactory()
    ReadinessItem.objects.bulk_create(
        [
            ReadinessItem(trajectory=trajectory, item=ITEM.HOUSING),
            ReadinessItem(trajectory=trajectory, item=ITEM.INCOME),
        ]
    )

    ReadinessItem.objects.filter(trajectory=trajectory).update(status=STATUS.IN_PROGRESS)

    assert events(trajectory) == [
        ("insert", "housing", "needed"),
        ("insert", "income", "needed"),
        ("update", "housing", "in_progress"),
        ("update", "income", "in_progress"),
    ]


def test_the_note_is_not_kept_and_changing_only_the_note_records_nothing():
    trajectory = TrajectoryFactory()
    row = ReadinessItem.objects.create(trajectory=trajectory, item=ITEM.DEBTS, note="Schuld CJIB")

    ReadinessItem.objects.filter(pk=row.pk).update(note="Schuld bij de zorgverzekeraar")

    assert events(trajectory) == [("insert", "debts", "needed")]
    assert "note" not in {field.name for field in ReadinessItemEvent._meta.get_fields()}


def test_an_event_is_stamped_with_the_databases_clock():
    row = ReadinessItem.objects.create(trajectory=TrajectoryFactory(), item=ITEM.CARE)

    with connection.cursor() as cursor:
        cursor.execute("SELECT NOW()")
        (now,) = cursor.fetchone()
    assert row.events.get().pgh_created_at == now


def test_the_database_refuses_to_change_or_remove_a_recorded_change():
    ReadinessItem.objects.create(trajectory=TrajectoryFactory(), item=ITEM.CARE)
    event = ReadinessItemEvent.objects.get()

    with pytest.raises(ProgrammingError, match="pgtrigger"), transaction.atomic():
        ReadinessItemEvent.objects.filter(pk=event.pk).update(status=STATUS.ARRANGED)
    with pytest.raises(ProgrammingError, match="pgtrigger"), transaction.atomic():
        ReadinessItemEvent.objects.filter(pk=event.pk).delete()
    with (
        pytest.raises(ProgrammingError, match="pgtrigger"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f'DELETE FROM "{ReadinessItemEvent._meta.db_table}"')  # noqa: S608

    assert ReadinessItemEvent.objects.get().status == STATUS.NEEDED


def test_saving_the_checklist_records_who_changed_it(caseworker_client, caseworker, team):
    trajectory = TrajectoryFactory(client=ClientFactory(team=team), caseworker=caseworker)
    url = reverse("lifedomains:readiness-update", args=[trajectory.pk])

    response = caseworker_client.post(
        url, checklist_data(housing=(STATUS.IN_PROGRESS, None, "Bij de tante"))
    )

    assert response.status_code == 302
    event = ReadinessItemEvent.objects.select_related("pgh_context").get()
    assert (event.pgh_label, event.item, event.status) == ("insert", "housing", "in_progress")
    assert event.pgh_context.metadata == {"user": caseworker.pk, "url": url}


def test_the_initial_state_of_existing_items_is_recorded_by_the_migration():
    """Migration 0007 gives each item stored before the history one "initial" event."""
    migration = __import__(
        "lifedomains.migrations.0007_readiness_history_initial", fromlist=["record_initial_state"]
    )
    trajectory = TrajectoryFactory()
    ReadinessItem.objects.create(trajectory=trajectory, item=ITEM.INCOME, status=STATUS.ARRANGED)

    migration.record_initial_state(apps, connection.schema_editor())

    assert events(trajectory) == [
        ("insert", "income", "arranged"),
        ("initial", "income", "arranged"),
    ]
