"""Backup and restore of the whole database with pg_dump / pg_restore (RF-7).

    python -m rio.backup dump  var/backup/rio.dump   # make backup
    python -m rio.backup restore var/backup/rio.dump # make restore FILE=...

The dump is PostgreSQL's custom format (compressed, restorable table by
table). Restore replaces what the configured database holds (`--clean`).
The tools of the server's own major version are used: the embedded
PostgreSQL's when it serves the demo, otherwise those on PATH.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


def tool(name: str) -> str:
    """pg_dump or pg_restore: the embedded server's own when it is in use."""
    if not os.environ.get("DATABASE_URL"):
        try:
            import pgserver
        except ImportError:
            pass
        else:
            bundled = Path(pgserver.__file__).parent / "pginstall" / "bin" / name
            if bundled.exists():
                return str(bundled)
    found = shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found: install the PostgreSQL client tools")
    return found


def libpq_env(database: dict) -> dict[str, str]:
    """The connection of a Django DATABASES entry as libpq environment variables."""
    env = os.environ.copy()
    for key, var in [
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ]:
        if database.get(key):
            env[var] = str(database[key])
    return env


def dump(path: Path, database: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(  # noqa: S603 (fixed arguments, no shell)
        [tool("pg_dump"), "--format=custom", "--no-owner", f"--file={path}"],
        env=libpq_env(database),
        check=True,
    )


def restore(path: Path, database: dict) -> None:
    subprocess.run(  # noqa: S603
        [
            tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={database['NAME']}",
            str(path),
        ],
        env=libpq_env(database),
        check=True,
    )


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in {"dump", "restore"}:
        print(__doc__, file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rio.settings")
    import django

    django.setup()
    from django.conf import settings

    from rio.embedded import ensure_database

    ensure_database()
    action, path = argv[0], Path(argv[1])
    (dump if action == "dump" else restore)(path, settings.DATABASES["default"])
    print(f"{action}: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
