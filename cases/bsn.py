"""The citizen service number (BSN): validation, lookup index and masking.

A BSN is stored encrypted; searching uses a keyed hash ("blind index") so the
database never holds it in the clear and an exact match still works.

The eleven test itself is python-stdnum's (`stdnum.nl.bsn`). Before it comes
our own stricter format rule (BI-1), exactly nine ASCII digits: stdnum does
refuse Arabic-Indic digits, but it pads a shorter number with leading zeros
and turns full-width digits into ASCII ones, and a BSN typed here must be
the nine digits on the document. The messages are ours, in Dutch.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.nl import bsn as stdnum_bsn

# ASCII digits only: Python's \d would also accept e.g. Arabic-Indic digits.
_NINE_DIGITS = re.compile(r"[0-9]{9}")
_SEPARATORS = re.compile(r"[\s.\-]")


def normalise(value: str) -> str:
    """Drop spaces, dots and dashes people type in a BSN."""
    return _SEPARATORS.sub("", value or "")


def is_valid(value: str) -> bool:
    """Nine ASCII digits passing the elfproef (weights 9..2 and -1), not all zeros."""
    digits = normalise(value)
    return bool(_NINE_DIGITS.fullmatch(digits)) and stdnum_bsn.is_valid(digits)


def validate_bsn(value: str) -> None:
    digits = normalise(value)
    if not _NINE_DIGITS.fullmatch(digits):
        raise ValidationError(
            _("A BSN has exactly 9 digits (spaces and dots are allowed)."), code="bsn_format"
        )
    try:
        stdnum_bsn.validate(digits)
    except StdnumValidationError:
        # Nine digits, so what stdnum refuses is the eleven test (or all zeros).
        raise ValidationError(
            _("This is not a valid BSN: it does not pass the eleven test. Check the number."),
            code="bsn_elfproef",
        ) from None


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
