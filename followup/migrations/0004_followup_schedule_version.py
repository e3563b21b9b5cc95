"""The version of the schedule rules each trajectory's moments were planned by (issue 13).

The nightly sweep re-planned every open schedule (82 s of Python at 100 000 clients);
it now re-plans only the trajectories without a row at the current rules version.
The table starts empty, so the first sweep after this migration plans every open
trajectory once and marks it.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0011_trajectory_last_contact_on"),
        ("followup", "0003_change_history"),
    ]

    operations = [
        migrations.CreateModel(
            name="FollowUpSchedule",
            fields=[
                (
                    "trajectory",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="cases.trajectory",
                    ),
                ),
                ("rules_version", models.CharField(max_length=64)),
                ("synced_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "verbose_name": "follow-up schedule",
                "verbose_name_plural": "follow-up schedules",
            },
        ),
    ]
