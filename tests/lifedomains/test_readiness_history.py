"""The status history of the release checklist, and the checklist as it stood on
the day of release (for the managers' "ready on the day of release")."""

import contextlib
import datetime
from zoneinfo import ZoneInfo

import pgtrigger
import pytest
from django.apps import apps
from django.db import ProgrammingError, connection, transaction
from django.db.models import F, Max
from django.urls import reverse

from cases.models import Trajectory
from lifedomains.models import (
    MonthsAfter,
    ReadinessItem,
    ReadinessItemEvent,
    with_readiness,
    with_readiness_at_end_of,
    with_readiness_on_release,
)
from tests.factories import ClientFactory, TrajectoryFactory
from tests.lifedomains.test_readiness import checklist_data

pytestmark = pytest.mark.django_db

ITEM = ReadinessItem.Item
STATUS = ReadinessItem.Status
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
RELEASE = datetime.date(2026, 3, 10)
APPEND_ONLY = ReadinessItemEvent.APPEND_ONLY


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """A moment on `day`, Dutch time."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=AMSTERDAM)


def after(day: datetime.date, days: int) -> datetime.date:
    return day + datetime.timedelta(days=days)


@contextlib.contextmanager
def changed_at(time_machine, moment: datetime.datetime):
    """Move the clock to `moment` and date the history written inside the block to it.

    The triggers stamp each event with the database's NOW(): the start of the
    test's transaction, which time-machine cannot move. So the events the
    triggers wrote are moved afterwards, past the append-only guard.
    """
    time_machine.move_to(moment, tick=False)
    last = ReadinessItemEvent.objects.aggregate(last=Max("pgh_id"))["last"] or 0
    yield
    with pgtrigger.ignore(APPEND_ONLY):
        ReadinessItemEvent.objects.filter(pgh_id__gt=last).update(pgh_created_at=moment)


def released(on: datetime.date = RELEASE, **kwargs) -> Trajectory:
    return TrajectoryFactory(
        status=Trajectory.Status.AFTERCARE,
        detention_start=after(on, -120),
        started_on=after(on, -100),
        expected_release=on,
        actual_release=on,
        **kwargs,
    )


def set_status(trajectory, item: str, status: str) -> None:
    ReadinessItem.objects.update_or_create(
        trajectory=trajectory, item=item, defaults={"status": status}
    )


def on_release(trajectory) -> dict[str, bool]:
    row = with_readiness_on_release(Trajectory.objects.filter(pk=trajectory.pk)).get()
    return {item: getattr(row, f"done_on_release_{item}") for item in ReadinessItem.BASIC}


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


def test_a_changed_note_is_recorded_with_its_before_and_after():
    trajectory = TrajectoryFactory()
    row = ReadinessItem.objects.create(trajectory=trajectory, item=ITEM.DEBTS, note="Schuld CJIB")

    ReadinessItem.objects.filter(pk=row.pk).update(note="Schuld bij de zorgverzekeraar")

    assert events(trajectory) == [("insert", "debts", "needed"), ("update", "debts", "needed")]
    assert list(
        ReadinessItemEvent.objects.filter(pgh_obj=row)
        .order_by("pgh_id")
        .values_list("note", flat=True)
    ) == ["Schuld CJIB", "Schuld bij de zorgverzekeraar"]


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
    assert event.pgh_context.metadata == {"user": caseworker.pk, "url": url, "ip": "127.0.0.1"}


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


# --- As it stood on the day of release ------------------------------------------------------------


def test_an_item_arranged_before_release_counts_even_if_it_was_set_back_later(time_machine):
    with changed_at(time_machine, at(after(RELEASE, -20), 10)):
        trajectory = released()
        set_status(trajectory, ITEM.HOUSING, STATUS.ARRANGED)
    with changed_at(time_machine, at(after(RELEASE, 5), 10)):
        set_status(trajectory, ITEM.HOUSING, STATUS.IN_PROGRESS)

    assert on_release(trajectory)["housing"] is True
    today = with_readiness(Trajectory.objects.filter(pk=trajectory.pk)).get()
    assert today.readiness_done == 0


def test_an_item_arranged_the_day_after_release_does_not_count(time_machine):
    with changed_at(time_machine, at(after(RELEASE, -20), 10)):
        trajectory = released()
        set_status(trajectory, ITEM.INCOME, STATUS.IN_PROGRESS)
    with changed_at(time_machine, at(after(RELEASE, 1), 9)):
        set_status(trajectory, ITEM.INCOME, STATUS.ARRANGED)

    assert on_release(trajectory)["income"] is False
    today = with_readiness(Trajectory.objects.filter(pk=trajectory.pk)).get()
    assert today.readiness_done == 1


def test_the_release_day_ends_at_midnight_dutch_time(time_machine):
    with changed_at(time_machine, at(after(RELEASE, -20), 10)):
        trajectory = released()
    # Not the UTC day: 23:30 in Amsterdam is still the release day, 00:10 is not.
    with changed_at(time_machine, at(RELEASE, 23, 30)):
        set_status(trajectory, ITEM.ID_DOCUMENT, STATUS.ARRANGED)
    with changed_at(time_machine, at(after(RELEASE, 1), 0, 10)):
        set_status(trajectory, ITEM.CARE, STATUS.ARRANGED)

    done = on_release(trajectory)
    assert (done["id_document"], done["care"]) == (True, False)


def test_untouched_needed_refused_and_removed_items_are_not_done_and_not_needed_is(time_machine):
    with changed_at(time_machine, at(after(RELEASE, -20), 10)):
        trajectory = released()
        set_status(trajectory, ITEM.HOUSING, STATUS.NEEDED)
        set_status(trajectory, ITEM.INCOME, STATUS.REFUSED)
        set_status(trajectory, ITEM.DEBTS, STATUS.NOT_NEEDED)
        set_status(trajectory, ITEM.CARE, STATUS.ARRANGED)
    with changed_at(time_machine, at(after(RELEASE, -2), 10)):
        ReadinessItem.objects.filter(trajectory=trajectory, item=ITEM.CARE).delete()

    assert on_release(trajectory) == {
        "id_document": False,  # never touched
        "housing": False,
        "income": False,
        "debts": True,
        "care": False,  # removed before release
    }


def test_a_trajectory_not_yet_released_has_nothing_done_on_release(time_machine):
    with changed_at(time_machine, at(after(RELEASE, -20), 10)):
        trajectory = TrajectoryFactory(expected_release=RELEASE)
        set_status(trajectory, ITEM.HOUSING, STATUS.ARRANGED)

    assert set(on_release(trajectory).values()) == {False}


def test_each_trajectory_is_read_at_its_own_release_day(time_machine):
    with changed_at(time_machine, at(after(RELEASE, -20), 10)):
        early = released(on=after(RELEASE, -10))
        late = released(on=RELEASE)
    with changed_at(time_machine, at(after(RELEASE, -5), 10)):
        set_status(early, ITEM.HOUSING, STATUS.ARRANGED)
        set_status(late, ITEM.HOUSING, STATUS.ARRANGED)

    assert on_release(early)["housing"] is False
    assert on_release(late)["housing"] is True


def test_the_checklist_can_be_read_at_the_end_of_any_day(time_machine):
    with changed_at(time_machine, at(after(RELEASE, -20), 10)):
        trajectory = released()
    with changed_at(time_machine, at(after(RELEASE, 30), 10)):
        set_status(trajectory, ITEM.DEBTS, STATUS.ARRANGED)

    def debts_done(day) -> bool:
        rows = with_readiness_at_end_of(Trajectory.objects.all(), day, prefix="done")
        return rows.get(pk=trajectory.pk).done_debts

    assert debts_done(after(RELEASE, 29)) is False
    assert debts_done(after(RELEASE, 30)) is True
    assert debts_done(MonthsAfter("actual_release", 6)) is True
    assert debts_done(F("actual_release")) is False


def test_six_months_after_the_31st_is_the_last_day_of_the_month():
    trajectory = released(on=datetime.date(2026, 8, 31))

    later = (
        Trajectory.objects.annotate(later=MonthsAfter("actual_release", 6))
        .values_list("later", flat=True)
        .get(pk=trajectory.pk)
    )

    assert later == datetime.date(2027, 2, 28)


@pytest.mark.parametrize("count", [3, 30])
def test_readiness_on_release_is_one_query_however_many_trajectories(
    time_machine, django_assert_num_queries, count
):
    with changed_at(time_machine, at(after(RELEASE, -20), 10)):
        trajectories = [released() for _ in range(count)]
        for trajectory in trajectories:
            set_status(trajectory, ITEM.HOUSING, STATUS.ARRANGED)

    with django_assert_num_queries(1):
        rows = list(with_readiness_on_release(Trajectory.objects.all()))

    assert len(rows) == count
    assert all(row.done_on_release_housing for row in rows)
    assert not any(row.done_on_release_income for row in rows)
