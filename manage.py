#!/usr/bin/env python
"""Django's command-line utility.

Without DATABASE_URL this is the local demo: it starts (or reuses) the
embedded PostgreSQL and, unless told otherwise, sets what `make run` sets
(rio/demo.py: DEBUG off, MFA off, no https-only cookies), and says so on
stderr. With DATABASE_URL set (production, CI) nothing is assumed: settings
apply their safe defaults, and MFA cannot be switched off there.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rio.settings")
    from django.core.management import execute_from_command_line

    from rio.demo import apply_demo_environment
    from rio.embedded import ensure_database

    if not os.environ.get("DATABASE_URL"):
        apply_demo_environment(os.environ, who="manage.py")
    ensure_database()
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
