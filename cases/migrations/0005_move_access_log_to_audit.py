"""The access log moves to the audit app: its lines are copied, then the old table goes.

The copy keeps every line's id, so the new table's sequence is moved past them.
"""

from django.db import migrations

COPY = """
INSERT INTO audit_accesslogentry (id, at, user_id, action, client_ref, what, result, ip_address)
SELECT id, at, user_id, action, client_ref, what, result, ip_address FROM cases_accesslogentry;
SELECT setval(
    pg_get_serial_sequence('audit_accesslogentry', 'id'),
    COALESCE((SELECT MAX(id) FROM audit_accesslogentry), 0) + 1,
    false
);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_choice_checks"),
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(COPY, reverse_sql=migrations.RunSQL.noop),
        migrations.DeleteModel(name="AccessLogEntry"),
    ]
