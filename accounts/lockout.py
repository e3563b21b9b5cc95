"""The account name django-axes counts failed logins against (AS-4)."""

from __future__ import annotations

import unicodedata


def normalise_username(value: str) -> str:
    """Fold spellings of one account to one key.

    allauth finds the user case-insensitively (username__iexact) after the
    form strips spaces, so `RIO1B`, ` rio1b ` and full-width `ｒｉｏ１ｂ` must
    count against the same lock as `rio1b`, or a lock is undone by respelling.
    """
    return unicodedata.normalize("NFKC", value).strip().casefold()


def axes_username(request, credentials: dict | None) -> str | None:
    """The username django-axes locks on, normalised.

    allauth's form field is `login` but it calls authenticate() with
    `username=`; axes looks in one place only, so it is told both.
    """
    username = None
    if credentials:
        username = credentials.get("username") or credentials.get("login")
    if not username and request is not None:
        username = request.POST.get("login")
    return normalise_username(username) if username else None
