"""Key rotation: rotate_field_keys re-encrypts every BSN with the first key (README)."""

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import call_command
from django.db import connection

from cases import bsn as bsn_rules
from cases.models import Client
from tests.factories import ClientFactory

OLD = Fernet.generate_key().decode()
NEW = Fernet.generate_key().decode()


def stored_token(client: Client) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT bsn FROM cases_client WHERE id = %s", [client.pk])
        return cursor.fetchone()[0]


def opens(key: str, token: str) -> bool:
    try:
        Fernet(key.encode()).decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def test_rotation_moves_every_bsn_to_the_first_key_in_batches_and_is_idempotent(
    db, team, settings, capsys
):
    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    bsns = ["111222333", "123456782", "999999990"]
    clients = [
        ClientFactory(team=team, bsn=bsn, bsn_index=bsn_rules.blind_index(bsn)) for bsn in bsns
    ]
    without = ClientFactory(team=team, bsn="", bsn_index="")
    assert all(opens(OLD, stored_token(c)) for c in clients)

    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    call_command("rotate_field_keys", batch_size=2)
    assert "3 value(s) of cases.Client.bsn re-encrypted" in capsys.readouterr().out

    tokens = [stored_token(c) for c in clients]
    assert all(opens(NEW, t) and not opens(OLD, t) for t in tokens)
    assert stored_token(without) == ""
    # The old key can go: every BSN still reads back, and lookups still work.
    settings.FIELD_ENCRYPTION_KEYS = [NEW]
    assert [Client.objects.get(pk=c.pk).bsn for c in clients] == bsns
    assert Client.objects.with_bsn("123456782").get() == clients[1]

    call_command("rotate_field_keys")
    assert "0 value(s) of cases.Client.bsn re-encrypted" in capsys.readouterr().out
    assert [stored_token(c) for c in clients] == tokens


def test_rotation_reaches_the_change_historys_copies_so_the_old_key_can_go(
    db, team, settings, capsys
):
    from audit.history import history_of

    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    client = ClientFactory(team=team, bsn="123456782", bsn_index=bsn_rules.blind_index("123456782"))
    Client.objects.filter(pk=client.pk).update(first_name="Anders")  # a second history row
    history = history_of(Client)
    assert history.objects.filter(pgh_obj_id=client.pk).count() == 2

    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    call_command("rotate_field_keys")
    out = capsys.readouterr().out
    assert "1 value(s) of cases.Client.bsn re-encrypted" in out
    assert "2 value(s) of cases.ClientHistory (change history).bsn re-encrypted" in out

    settings.FIELD_ENCRYPTION_KEYS = [NEW]
    # Every copy opens with the new key alone, and the history still reads.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT bsn FROM {history._meta.db_table} WHERE pgh_obj_id = %s",  # noqa: S608
            [client.pk],
        )
        tokens = [row[0] for row in cursor.fetchall()]
    assert all(opens(NEW, token) and not opens(OLD, token) for token in tokens)
    assert {row.bsn for row in history.objects.filter(pgh_obj_id=client.pk)} == {"123456782"}
    # Still append-only for anything else.
    from django.db import ProgrammingError, transaction

    with pytest.raises(ProgrammingError), transaction.atomic():
        history.objects.filter(pgh_obj_id=client.pk).update(first_name="Vervalst")
