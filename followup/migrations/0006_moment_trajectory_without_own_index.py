"""Drop the follow-up moments' own index on the trajectory (issue 13).

`followup_moment_once` (trajectory, kind, sequence) starts with the trajectory and
serves every look-up by it. With a second, plain index the planner chose that one for
the sweep's `due_for_followup` per chunk (reading every moment of the chunk's
trajectories: 96 ms for 2 000 trajectories) over the partial open-moments index
`followup_moment_open_due` (30 ms, EXPLAIN ANALYZE on 640 000 moments). One index less
to write, too.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0005_open_moment_due_index"),
    ]

    operations = [
        migrations.AlterField(
            model_name="followupmoment",
            name="trajectory",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="followup_moments",
                to="cases.trajectory",
            ),
        ),
    ]
