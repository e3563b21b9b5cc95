"""The plausible range of dates anyone can enter, written once for every form (the admin's too).

A date far outside it is a typo (9999 for 2025, 0001 for 2001); refused at the field, it can
no longer overflow the follow-up schedule or plan moments in year 1.
"""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Detention, release, contact, assessment and due dates: within this many years of today.
PLAUSIBLE_YEARS = 30
# A date of birth: in the past, and at most this many years ago.
BIRTH_YEARS = 100


def years_from(day: datetime.date, years: int) -> datetime.date:
    """`day` shifted by whole years (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def plausible_range(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    today = today or timezone.localdate()
    return years_from(today, -PLAUSIBLE_YEARS), years_from(today, PLAUSIBLE_YEARS)


def validate_plausible_date(value: datetime.date | None) -> None:
    if value is None:
        return
    first, last = plausible_range()
    if not first <= value <= last:
        raise ValidationError(
            _("Enter a date between %(first)s and %(last)s."),
            code="implausible_date",
            params={"first": f"{first:%d-%m-%Y}", "last": f"{last:%d-%m-%Y}"},
        )


def validate_birth_date(value: datetime.date | None) -> None:
    if value is None:
        return
    today = timezone.localdate()
    if value >= today:
        raise ValidationError(_("The date of birth must be in the past."), code="future")
    if value < years_from(today, -BIRTH_YEARS):
        raise ValidationError(_("Check the year of birth."), code="too_old")


class PlausibleDatesMixin:
    """Gives every date field of the form its plausible range (a date of birth its own)."""

    birth_date_fields: tuple[str, ...] = ("date_of_birth",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.DateField):
                validator = (
                    validate_birth_date
                    if name in self.birth_date_fields
                    else validate_plausible_date
                )
                field.validators.append(validator)
