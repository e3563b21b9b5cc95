#!/usr/bin/env python
"""Django's command-line utility.

Without DATABASE_URL it starts (or reuses) the embedded PostgreSQL first, so
every management command works the same in the demo as in production.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rio.settings")
    from django.core.management import execute_from_command_line

    from rio.embedded import ensure_database

    ensure_database()
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
