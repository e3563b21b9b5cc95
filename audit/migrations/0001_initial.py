# The audit trail's access log (moved here from cases, see cases 0005).

import django.db.models.deletion
import django.utils.timezone
import pgtrigger.compiler
import pgtrigger.migrations
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AccessLogEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(default=django.utils.timezone.now)),
                ('action', models.CharField(choices=[('view', 'Viewed'), ('create', 'Created'), ('update', 'Changed'), ('download', 'Downloaded'), ('search', 'Searched'), ('export', 'Exported')], max_length=10)),
                ('client_ref', models.PositiveBigIntegerField(blank=True, null=True, verbose_name='client number')),
                ('what', models.CharField(max_length=200)),
                ('result', models.CharField(choices=[('ok', 'Allowed'), ('denied', 'Refused')], default='ok', max_length=20)),
                ('ip_address', models.GenericIPAddressField(blank=True, null=True)),
                ('user', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'access log entry',
                'verbose_name_plural': 'access log',
                'ordering': ['-at', '-pk'],
                'indexes': [models.Index(fields=['-at', '-id'], name='access_log_at'), models.Index(fields=['client_ref', '-at'], name='access_log_client_at'), models.Index(fields=['user', '-at'], name='access_log_user_at')],
                'constraints': [models.CheckConstraint(condition=models.Q(('action__in', ['view', 'create', 'update', 'download', 'search', 'export'])), name='access_log_action_valid'), models.CheckConstraint(condition=models.Q(('result__in', ['ok', 'denied'])), name='access_log_result_valid')],
            },
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='accesslogentry',
            trigger=pgtrigger.compiler.Trigger(name='access_log_append_only', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;", hash='bd55d80fb2d19be801230ee9a151d084007581f4', operation='UPDATE OR DELETE', pgid='pgtrigger_access_log_append_only_e73ec', table='audit_accesslogentry', when='BEFORE')),
        ),
    ]
