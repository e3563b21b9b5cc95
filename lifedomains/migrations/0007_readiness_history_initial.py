"""One "initial" event per readiness item that existed before the history did.

The triggers of 0006 record every change from then on; a row stored earlier
has no history. This records the state each such row had at the moment of
this migration, so "as it stood on day D" knows it from here on. What the
items were before this migration is unknown: a day before it counts as if
the item had not been touched.
"""

from django.db import migrations


def record_initial_state(apps, schema_editor):
    ReadinessItem = apps.get_model("lifedomains", "ReadinessItem")
    ReadinessItemEvent = apps.get_model("lifedomains", "ReadinessItemEvent")
    rows = ReadinessItem.objects.order_by("pk").values(
        "pk", "trajectory_id", "item", "status", "date"
    )
    # pgh_created_at is set to now (auto_now_add): the state is known from here on.
    ReadinessItemEvent.objects.bulk_create(
        (
            ReadinessItemEvent(
                pgh_label="initial",
                pgh_obj_id=row["pk"],
                trajectory_id=row["trajectory_id"],
                item=row["item"],
                status=row["status"],
                date=row["date"],
            )
            for row in rows.iterator(chunk_size=2000)
        ),
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("lifedomains", "0006_readiness_history"),
    ]

    operations = [
        # Backwards there is nothing to undo: reversing 0006 drops the table.
        migrations.RunPython(record_initial_state, migrations.RunPython.noop),
    ]
