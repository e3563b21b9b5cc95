"""Re-encrypt every BSN with the first key of FIELD_ENCRYPTION_KEYS.

Rotation: put the new key first in FIELD_ENCRYPTION_KEYS (keep the old one
after it), deploy, run this command, then drop the old key. Safe to run again.
"""

from django.core.management.base import BaseCommand

from cases.encryption import rotate_column
from cases.models import Client


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field (the BSN) with the first key of FIELD_ENCRYPTION_KEYS."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, batch_size: int, **options):
        rotated = rotate_column(Client, "bsn", batch_size=batch_size)
        self.stdout.write(f"rotate_field_keys: {rotated} BSN(s) re-encrypted with the first key")
