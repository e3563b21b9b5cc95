"""Optimistic locking for records that two people may edit at once (RF-4).

A form carries the version it was opened at; the save succeeds only if the
row is still at that version, so a concurrent change is never overwritten
unnoticed.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F


class ConflictError(Exception):
    """Someone else saved the record after this form was opened (RF-4)."""


class Versioned(models.Model):
    """Optimistic locking: a save only succeeds on the version it was read at."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def save_versioned(self, *, update_fields: list[str]) -> None:
        """Save `update_fields` if nobody saved in between, else raise ConflictError."""
        values = {
            self._meta.get_field(name).attname: getattr(self, self._meta.get_field(name).attname)
            for name in update_fields
        }
        # .update() skips auto_now, which only save() applies: set each such
        # field here, or "updated at" would never move on a versioned save.
        for field in self._meta.concrete_fields:
            if getattr(field, "auto_now", False):
                values[field.attname] = field.pre_save(self, add=False)
        updated = (
            type(self)
            ._base_manager.filter(pk=self.pk, version=self.version)
            .update(version=F("version") + 1, **values)
        )
        if updated != 1:
            raise ConflictError
        self.version += 1
