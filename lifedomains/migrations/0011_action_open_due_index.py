"""A partial index of the open actions by goal and due date (issue 13).

Serves the sweep's `Action.objects.overdue(today)` for one chunk of trajectory ids
(`followup.reminders.actions_overdue`: done_on IS NULL, due before today, reached
through the goals of the chunk's trajectories). Done actions are most of them over a
two-year plan; the index holds only the open ones. Built concurrently, so a production
table stays writable meanwhile.
"""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("lifedomains", "0010_readiness_history_note"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="action",
            index=models.Index(
                condition=models.Q(("done_on__isnull", True)),
                fields=["goal", "due_date"],
                name="action_open_due",
            ),
        ),
    ]
