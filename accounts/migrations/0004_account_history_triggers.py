# The account's change history (audit.UserHistory): the triggers live on the
# user table, so in this app, after the history table exists.

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_password_set_by_other_at'),
        ('audit', '0003_account_history'),
    ]

    operations = [
        pgtrigger.migrations.AddTrigger(
            model_name='user',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "audit_userhistory" ("is_active", "is_staff", "is_superuser", "is_team_coordinator", "municipality_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "role", "team_id", "username") VALUES (NEW."is_active", NEW."is_staff", NEW."is_superuser", NEW."is_team_coordinator", NEW."municipality_id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."role", NEW."team_id", NEW."username"); RETURN NULL;', hash='b97f055a35b91a8808ec34d2449348c6e1b55c98', operation='INSERT', pgid='pgtrigger_insert_insert_3867c', table='accounts_user', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='user',
            trigger=pgtrigger.compiler.Trigger(name='account_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD."is_active" IS DISTINCT FROM (NEW."is_active") OR OLD."is_staff" IS DISTINCT FROM (NEW."is_staff") OR OLD."is_superuser" IS DISTINCT FROM (NEW."is_superuser") OR OLD."is_team_coordinator" IS DISTINCT FROM (NEW."is_team_coordinator") OR OLD."municipality_id" IS DISTINCT FROM (NEW."municipality_id") OR OLD."role" IS DISTINCT FROM (NEW."role") OR OLD."team_id" IS DISTINCT FROM (NEW."team_id") OR OLD."username" IS DISTINCT FROM (NEW."username"))', func='INSERT INTO "audit_userhistory" ("is_active", "is_staff", "is_superuser", "is_team_coordinator", "municipality_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "role", "team_id", "username") VALUES (NEW."is_active", NEW."is_staff", NEW."is_superuser", NEW."is_team_coordinator", NEW."municipality_id", _pgh_attach_context(), NOW(), \'account\', NEW."id", NEW."role", NEW."team_id", NEW."username"); RETURN NULL;', hash='2ea06695a16ea02d540d25f5802f5383f35b1211', operation='UPDATE', pgid='pgtrigger_account_update_43b33', table='accounts_user', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='user',
            trigger=pgtrigger.compiler.Trigger(name='password_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD."password" IS DISTINCT FROM (NEW."password"))', func='INSERT INTO "audit_userhistory" ("is_active", "is_staff", "is_superuser", "is_team_coordinator", "municipality_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "role", "team_id", "username") VALUES (NEW."is_active", NEW."is_staff", NEW."is_superuser", NEW."is_team_coordinator", NEW."municipality_id", _pgh_attach_context(), NOW(), \'password\', NEW."id", NEW."role", NEW."team_id", NEW."username"); RETURN NULL;', hash='c32109b7c727930455e84b2bfe433474480afbeb', operation='UPDATE', pgid='pgtrigger_password_update_cf375', table='accounts_user', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='user',
            trigger=pgtrigger.compiler.Trigger(name='delete_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "audit_userhistory" ("is_active", "is_staff", "is_superuser", "is_team_coordinator", "municipality_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "role", "team_id", "username") VALUES (OLD."is_active", OLD."is_staff", OLD."is_superuser", OLD."is_team_coordinator", OLD."municipality_id", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."role", OLD."team_id", OLD."username"); RETURN NULL;', hash='d69055a382597f7354355f24d2dedc4060d46a0b', operation='DELETE', pgid='pgtrigger_delete_delete_19f14', table='accounts_user', when='AFTER')),
        ),
    ]
