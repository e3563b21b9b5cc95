"""The citizen service number (BSN): validation, lookup index and masking.

A BSN is stored encrypted; searching uses a keyed hash ("blind index") so the
database never holds it in the clear and an exact match still works.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# ASCII digits only: Python's \d would also accept e.g. Arabic-Indic digits.
_NINE_DIGITS = re.compile(r"[0-9]{9}")
_SEPARATORS = re.compile(r"[\s.\-]")


def normalise(value: str) -> str:
    """Drop spaces, dots and dashes people type in a BSN."""
    return _SEPARATORS.sub("", value or "")


def is_valid(value: str) -> bool:
    """Nine ASCII digits passing the elfproef (weights 9..2 and -1), not all zeros."""
    digits = normalise(value)
    if not _NINE_DIGITS.fullmatch(digits) or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    total -= int(digits[8])
    return total % 11 == 0


def validate_bsn(value: str) -> None:
    digits = normalise(value)
    if not _NINE_DIGITS.fullmatch(digits):
        raise ValidationError(
            _("A BSN has exactly 9 digits (spaces and dots are allowed)."), code="bsn_format"
        )
    if not is_valid(digits):
        raise ValidationError(
            _("This is not a valid BSN: it does not pass the eleven test. Check the number."),
            code="bsn_elfproef",
        )


def blind_index(value: str) -> str:
    """A keyed hash of the normalised BSN, for exact-match lookups."""
    if not value:
        return ""
    key = settings.BLIND_INDEX_KEY.encode()
    return hmac.new(key, normalise(value).encode(), hashlib.sha256).hexdigest()


def mask(value: str) -> str:
    """Show only the last three digits: *****6782."""
    digits = normalise(value)
    return f"******{digits[-3:]}" if digits else ""
