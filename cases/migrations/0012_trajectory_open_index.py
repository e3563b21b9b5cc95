"""A partial index of the open trajectories by id (issue 13).

Serves `Trajectory.objects.open()` ordered and ranged by id: the follow-up sweep's
chunks (`followup.reminders.chunks`, an index-only scan of the open ids) and each
chunk's own range of open trajectories (`followup.reminders.Scope.trajectories`).
Closed trajectories accumulate over the years; the index holds only the open ones.
Built concurrently, so a production table stays writable meanwhile.
"""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("cases", "0011_trajectory_last_contact_on"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="trajectory",
            index=models.Index(
                condition=models.Q(("status", "closed"), _negated=True),
                fields=["id"],
                name="trajectory_open",
            ),
        ),
    ]
