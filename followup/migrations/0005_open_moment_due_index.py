"""A partial index of the open follow-up moments by trajectory and due date (issue 13).

Serves the sweep's `FollowUpMoment.objects.due_for_followup(today)` for one chunk of
trajectory ids (`followup.reminders.moments_due`: status 'open', due on or before the
reminder day, trajectory id in the chunk's range) and the caseload's first open moment
per trajectory (`followup.models.annotate_next_moment`). The plain `due_on` index could
not skip the done and cancelled moments: the sweep read all 1.65M at national scale.
Built concurrently, so a production table stays writable meanwhile.
"""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("followup", "0004_followup_schedule_version"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="followupmoment",
            index=models.Index(
                condition=models.Q(("status", "open")),
                fields=["trajectory", "due_on"],
                name="followup_moment_open_due",
            ),
        ),
    ]
