"""Fill a database with national-scale data for measuring (reports.scale)."""

import secrets
import time

from allauth.mfa.totp.internal.auth import generate_totp_secret
from django.core.management.base import BaseCommand, CommandError

from reports import scale


class Command(BaseCommand):
    help = (
        "Fill an empty database with national-scale data of the demo's shape, for "
        "measuring. Creates users with one known password and TOTP secret."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--clients", type=int, default=100_000, help="Young people (default 100 000)."
        )
        parser.add_argument(
            "--municipalities",
            type=int,
            default=scale.MUNICIPALITIES,
            help=f"Municipalities (default {scale.MUNICIPALITIES}), one or two teams each.",
        )
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same rows.")
        parser.add_argument(
            "--password",
            help="The password of every seeded user (default: a random one, printed).",
        )
        parser.add_argument(
            "--totp-secret",
            help="The base32 TOTP secret of every seeded user (default: a new one, printed).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Empty the database first if it holds data. Never on a production database.",
        )

    def handle(self, *args, clients, municipalities, seed, password, totp_secret, force, **options):
        if scale.MISSING:
            raise CommandError(
                f"seed_scale needs the development dependencies ({scale.MISSING} is not "
                "installed): pip install -r requirements-dev.txt"
            )
        if clients < 0 or municipalities < 1:
            raise CommandError("--clients must be 0 or more and --municipalities 1 or more.")
        if found := scale.existing_data():
            if not force:
                raise CommandError(
                    "This database holds data (" + ", ".join(sorted(found)) + "). seed_scale "
                    "fills an empty database only; --force empties this one first."
                )
            self.stdout.write("Emptying the database (--force) ...")
            scale.empty_database()
        password = password or secrets.token_urlsafe(12)
        totp_secret = totp_secret or generate_totp_secret()
        started = time.monotonic()
        counts = scale.seed(
            clients=clients,
            municipalities=municipalities,
            seed=seed,
            password=password,
            totp_secret=totp_secret,
            progress=lambda message: self.stdout.write(f"  {message}"),
        )
        seconds = time.monotonic() - started
        for label, count in counts.items():
            self.stdout.write(f"{label:<45} {count:>12,}".replace(",", " "))
        self.stdout.write(self.style.SUCCESS(f"seed_scale: {clients} clients in {seconds:.1f} s"))
        self.stdout.write(
            f"Users {scale.PREFIX}rio-<team> (1 is the biggest team, a 'b' the second "
            f"caseworker), {scale.PREFIX}manager-<municipality>, {scale.PREFIX}admin; "
            f"password {password!r}, TOTP secret {totp_secret}"
        )
