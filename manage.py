#!/usr/bin/env python
"""Django's command-line utility.

Without DATABASE_URL this is the local demo: it starts (or reuses) the
embedded PostgreSQL and, unless told otherwise, runs with DEBUG on and MFA off
like `make run`, and says so on stderr. With DATABASE_URL set (production, CI)
nothing is assumed: settings apply their safe defaults, and MFA cannot be
switched off there.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rio.settings")
    from django.core.management import execute_from_command_line

    from rio.embedded import ensure_database

    if not os.environ.get("DATABASE_URL"):
        demo = {"DEBUG": "true", "RIO_REQUIRE_MFA": "false"}
        chosen = {key: os.environ.setdefault(key, value) for key, value in demo.items()}
        print(
            "manage.py: no DATABASE_URL, so the local demo: embedded PostgreSQL, "
            + ", ".join(f"{key}={value}" for key, value in chosen.items()),
            file=sys.stderr,
        )
    ensure_database()
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
