"""Encryption at rest for the few fields that need it (the BSN).

Fernet (AES-128-CBC + HMAC) through MultiFernet: the first key in
FIELD_ENCRYPTION_KEYS encrypts, every key decrypts, so keys can be rotated by
putting a new key first and re-saving.
"""

from __future__ import annotations

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


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
