"""Encryption at rest for the few fields that need it (the BSN).

Fernet (AES-128-CBC + HMAC) through MultiFernet: the first key in
FIELD_ENCRYPTION_KEYS encrypts, every key decrypts, so keys can be rotated by
putting a new key first and running `manage.py rotate_field_keys`
(`rotate_column` below), which re-encrypts every value with the new first key.
"""

from __future__ import annotations

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import connection, models, transaction


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def encrypt(value: str) -> str:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS)).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS)).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("cannot decrypt field: wrong FIELD_ENCRYPTION_KEYS?") from exc


class EncryptedCharField(models.TextField):
    """Plain text in Python, a Fernet token in the database.

    Empty values stay empty (not encrypted), so "not filled in" remains
    visible to queries. Not searchable: pair it with a blind index.
    """

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(value)

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return decrypt(value)


def rotate_column(model: type[models.Model], field_name: str, *, batch_size: int = 1000) -> int:
    """Re-encrypt every value of an encrypted column with the first key; returns how many.

    Works on the stored tokens, so no value is decrypted into Python objects.
    Idempotent: a token the first key already opens is left alone, so a second
    run (or one after an interruption) changes nothing it has done. Each batch
    is its own transaction, and a row is only rewritten if its token is still
    the one that was read, so a concurrent save is never overwritten.
    """
    keys = tuple(settings.FIELD_ENCRYPTION_KEYS)
    current, every_key = Fernet(keys[0].encode()), _fernet(keys)
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(model._meta.get_field(field_name).column)
    pk = connection.ops.quote_name(model._meta.pk.column)
    rotated, last = 0, None
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {pk}, {column} FROM {table} "  # noqa: S608 (names from the model)
                f"WHERE {column} <> '' AND (%s::bigint IS NULL OR {pk} > %s) "
                f"ORDER BY {pk} LIMIT %s",
                [last, last, batch_size],
            )
            rows = cursor.fetchall()
            if not rows:
                return rotated
            for row_pk, token in rows:
                try:
                    current.decrypt(token.encode())
                    continue  # already under the first key
                except InvalidToken:
                    pass
                cursor.execute(
                    f"UPDATE {table} SET {column} = %s "  # noqa: S608
                    f"WHERE {pk} = %s AND {column} = %s",
                    [every_key.rotate(token.encode()).decode(), row_pk, token],
                )
                rotated += cursor.rowcount
            last = rows[-1][0]
