"""Re-encrypt every encrypted value (the BSN) with the first key of FIELD_ENCRYPTION_KEYS.

Rotation: put the new key first in FIELD_ENCRYPTION_KEYS (keep the old one
after it), deploy, run this command, then drop the old key. Safe to run again.

The change history keeps its own copies of the BSN (`ClientHistory.bsn`): they
are re-encrypted too, or they could not be read once the old key is gone. That
rewrite of a token, value unchanged, is the one update the history's append-only
trigger is told to let through.
"""

import pgtrigger
from django.apps import apps
from django.core.management.base import BaseCommand

from audit.history import append_only, history_models
from cases.encryption import EncryptedCharField, rotate_column


def encrypted_columns():
    """Every (model, field name) stored encrypted, history tables included."""
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedCharField):
                yield model, field.name


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field (the BSN) with the first key of FIELD_ENCRYPTION_KEYS."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, batch_size: int, **options):
        histories = set(history_models())
        for model, field_name in encrypted_columns():
            if model in histories:
                with pgtrigger.ignore(append_only(model)):
                    rotated = rotate_column(model, field_name, batch_size=batch_size)
                where = f"{model._meta.label} (change history)"
            else:
                rotated = rotate_column(model, field_name, batch_size=batch_size)
                where = model._meta.label
            self.stdout.write(
                f"rotate_field_keys: {rotated} value(s) of {where}.{field_name} "
                "re-encrypted with the first key"
            )
