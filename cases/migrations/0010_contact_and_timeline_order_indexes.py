"""A trajectory's contacts and timeline in the order the dossier shows them.

`contact_trajectory_date` serves `... FROM cases_contactmoment WHERE trajectory_id = %s
ORDER BY date DESC, id DESC LIMIT 10` (the dossier's contacts section), the last
contact (`last_contact_of`: the caseload's column and its "longest without
contact" sort) and the out-of-contact rule (`date > %s`). At a trajectory with
2 000 contacts: 4.4 ms (bitmap scan of all its contacts and a sort) to 0.07 ms.

`timeline_trajectory_at` serves `... FROM cases_timelineevent WHERE trajectory_id = %s
ORDER BY at DESC, id DESC LIMIT 15` (the dossier's timeline section, the timeline
page). Without it the planner walked the index on `at` backwards, filtering out
every other trajectory's lines: quick for a recent one, the whole table for an
old one.

Built concurrently: both tables are written all day.
"""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("cases", "0009_client_destroyed_on"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="contactmoment",
            index=models.Index(
                fields=["trajectory", "-date", "-id"], name="contact_trajectory_date"
            ),
        ),
        AddIndexConcurrently(
            model_name="timelineevent",
            index=models.Index(fields=["trajectory", "-at", "-id"], name="timeline_trajectory_at"),
        ),
    ]
