"""Backup and restore (RF-7): a dump restored into a fresh database keeps every row."""

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from audit.models import AccessLogEntry
from rio.backup import dump, libpq_env, restore
from tests.factories import ContactFactory, TrajectoryFactory


def row_counts(database: dict) -> dict[str, int]:
    env = libpq_env(database)
    conninfo = {
        "host": env.get("PGHOST"),
        "port": env.get("PGPORT"),
        "user": env.get("PGUSER"),
        "password": env.get("PGPASSWORD"),
        "dbname": database["NAME"],
    }
    with psycopg.connect(**{k: v for k, v in conninfo.items() if v}) as conn:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {
            table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            for table in tables
        }


@pytest.mark.django_db(transaction=True)
def test_a_restored_dump_has_every_table_with_every_row(tmp_path, caseworker):
    trajectory = TrajectoryFactory(client__team=caseworker.team, caseworker=caseworker)
    ContactFactory.create_batch(3, trajectory=trajectory)
    AccessLogEntry.objects.create(user=caseworker, action="view", what="dossier", client_ref=1)
    source = settings.DATABASES["default"] | {"NAME": connection.settings_dict["NAME"]}
    target = source | {"NAME": f"{source['NAME']}_restore"}
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{target["NAME"]}"')
        cursor.execute(f'CREATE DATABASE "{target["NAME"]}"')
    try:
        path = tmp_path / "rio.dump"
        dump(path, source)
        restore(path, target)
        before, after = row_counts(source), row_counts(target)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target["NAME"]}"')
    assert after == before
    assert before["cases_contactmoment"] == 3
    assert before["audit_accesslogentry"] == 1
    assert len(before) > 30  # every app's tables, not a lucky few
