"""The timeline refers to the contact, DJI message or document it is about instead of
copying its text, so rectification and erasure reach it (PR-2).

Existing lines are linked to their record where one can be found: the same
trajectory, written within a day of the record, the one with the same text first,
then the nearest in time, each record once. A linked line's copy is blanked; so is
the copy on a contact or DJI line whose record no longer exists (it was deleted,
and its text should have gone with it). The old trigger is dropped before and the
new one created after, so these one-off updates pass.
"""

import datetime
from collections import defaultdict

import django.db.models.deletion
import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations, models


LINKS = [
    # (timeline kind, reference field, model, its time field, its text field, line's field)
    ("contact", "contact", "ContactMoment", "created_at", "summary", "text"),
    ("dji", "dji_message", "DJIMessage", "created_at", "summary", "text"),
    ("document", "document", "Document", "uploaded_at", "title", "title"),
]
WITHIN = datetime.timedelta(days=1)


def link_existing_lines(apps, schema_editor):
    TimelineEvent = apps.get_model("cases", "TimelineEvent")
    for kind, reference, model_name, time_field, text_field, line_field in LINKS:
        model = apps.get_model("cases", model_name)
        unused = defaultdict(list)
        for record in model.objects.exclude(trajectory=None).only(
            "pk", "trajectory_id", time_field, text_field
        ):
            unused[record.trajectory_id].append(record)
        for line in TimelineEvent.objects.filter(kind=kind).order_by("at", "pk"):
            candidates = [
                record
                for record in unused[line.trajectory_id]
                if abs(getattr(record, time_field) - line.at) <= WITHIN
            ]
            if not candidates:
                if line_field == "text" and line.text:
                    TimelineEvent.objects.filter(pk=line.pk).update(text="")
                continue
            record = min(
                candidates,
                key=lambda r: (
                    not getattr(line, line_field).endswith(getattr(r, text_field)),
                    abs(getattr(r, time_field) - line.at),
                ),
            )
            unused[line.trajectory_id].remove(record)
            blanked = {"text": ""} if line_field == "text" else {"title": "Document"}
            TimelineEvent.objects.filter(pk=line.pk).update(**{reference: record}, **blanked)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_change_history"),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name="timelineevent",
            name="timeline_append_only",
        ),
        migrations.AddField(
            model_name="timelineevent",
            name="contact",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="cases.contactmoment",
            ),
        ),
        migrations.AddField(
            model_name="timelineevent",
            name="dji_message",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="cases.djimessage",
            ),
        ),
        migrations.AddField(
            model_name="timelineevent",
            name="document",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="cases.document",
            ),
        ),
        migrations.RunPython(link_existing_lines, migrations.RunPython.noop, elidable=True),
        pgtrigger.migrations.AddTrigger(
            model_name="timelineevent",
            trigger=pgtrigger.compiler.Trigger(
                name="timeline_append_only",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition='WHEN (OLD."id" IS DISTINCT FROM (NEW."id") OR OLD."trajectory_id" IS DISTINCT FROM (NEW."trajectory_id") OR OLD."at" IS DISTINCT FROM (NEW."at") OR OLD."kind" IS DISTINCT FROM (NEW."kind") OR OLD."title" IS DISTINCT FROM (NEW."title") OR OLD."by_id" IS DISTINCT FROM (NEW."by_id") OR (OLD."text" IS DISTINCT FROM (NEW."text") AND NOT (NEW."text" = \'\')) OR (OLD."contact_id" IS DISTINCT FROM (NEW."contact_id") AND NEW."contact_id" IS NOT NULL) OR (OLD."dji_message_id" IS DISTINCT FROM (NEW."dji_message_id") AND NEW."dji_message_id" IS NOT NULL) OR (OLD."document_id" IS DISTINCT FROM (NEW."document_id") AND NEW."document_id" IS NOT NULL))',
                    func="RAISE EXCEPTION 'pgtrigger: Cannot update rows from % table', TG_TABLE_NAME;",
                    hash="4f70e8579e8df449329a9a09c2c5085d3e12d463",
                    operation="UPDATE",
                    pgid="pgtrigger_timeline_append_only_cd895",
                    table="cases_timelineevent",
                    when="BEFORE",
                ),
            ),
        ),
    ]
