#!/usr/bin/env python
"""Django's command-line utility.

Without DATABASE_URL it starts (or reuses) the embedded PostgreSQL of the
demo. It never switches DEBUG on or MFA off by itself: settings apply their
safe defaults, and a development run says what it wants (`DEBUG=true
.venv/bin/python manage.py shell`), as `make run` does (rio/devserver.py).
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
