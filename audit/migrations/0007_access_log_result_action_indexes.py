"""Indexes for the access-log admin's result and action filters (audit.admin).

They serve `SELECT ... FROM audit_accesslogentry WHERE result = %s [AND ...]
ORDER BY at DESC, id DESC LIMIT 101` and the same with `action = %s`: the admin's
page of refused (or found / not found) lines and of searches, exports, downloads
and changes, newest first. Without them a rare value walked `access_log_at` to
the end of the log (an export filter with no exports: 174 ms at 500 000 lines, a
parallel sequential scan). Partial, so the allowed views (the bulk of the log)
are not indexed again. Built concurrently: the log is written on every page, and
a plain CREATE INDEX would hold those writes for the whole build.
"""

from django.conf import settings
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("audit", "0006_access_log_role_and_team"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # WHERE result = 'denied' ORDER BY at DESC, id DESC (AL-3: refused attempts).
        AddIndexConcurrently(
            model_name="accesslogentry",
            index=models.Index(
                condition=models.Q(("result", "ok"), _negated=True),
                fields=["result", "-at", "-id"],
                name="access_log_result_at",
            ),
        ),
        # WHERE action = 'export' (or search, download, create, update) ORDER BY at DESC, id DESC.
        AddIndexConcurrently(
            model_name="accesslogentry",
            index=models.Index(
                condition=models.Q(("action", "view"), _negated=True),
                fields=["action", "-at", "-id"],
                name="access_log_action_at",
            ),
        ),
    ]
