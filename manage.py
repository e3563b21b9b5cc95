#!/usr/bin/env python
"""Django's command-line utility.

Without DATABASE_URL this is a local development or demo run: it starts (or
reuses) the embedded PostgreSQL, and unless told otherwise runs with DEBUG on
and MFA off, like `make run`. With DATABASE_URL set (production, CI) nothing
is assumed: settings apply their safe defaults.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rio.settings")
    from django.core.management import execute_from_command_line

    from rio.embedded import ensure_database

    if not os.environ.get("DATABASE_URL"):
        os.environ.setdefault("DEBUG", "true")
        os.environ.setdefault("RIO_REQUIRE_MFA", "false")
    ensure_database()
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
