"""`make run`: the whole demo in one command.

Starts the embedded PostgreSQL and Redis when DATABASE_URL / REDIS_URL are not
set, migrates, loads the demo data, then serves the app together with a Celery
worker and beat. Ctrl-C stops everything it started.

Usage: python -m rio.devserver
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def main() -> int:
    if not os.environ.get("DATABASE_URL"):
        from rio.demo import apply_demo_environment

        # DEBUG off like production (error pages, static files through
        # WhiteNoise), MFA off so the demo logins work at once, no https-only
        # cookies on plain http: each set explicitly and said on stderr.
        apply_demo_environment(os.environ, who="make run")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rio.settings")
    # The daily e-mail digest goes to the console (EMAIL_URL's default) here.
    os.environ.setdefault("RIO_EMAIL_DIGEST", "true")
    env = os.environ.copy()
    port = env.get("PORT", "8000")
    var_dir = Path(env.get("RIO_VAR_DIR", BASE_DIR / "var"))
    python = sys.executable
    manage = [python, str(BASE_DIR / "manage.py")]

    pg_dir = var_dir / "pg"
    # Stop the embedded PostgreSQL at the end only if this run started it.
    stop_postgres = False
    if not env.get("DATABASE_URL"):
        from rio.embedded import ensure_database

        stop_postgres = not postgres_running(pg_dir)
        # Through settings, so the demo's keys are made (rio/demo.py) before a
        # new embedded database is.
        ensure_database()

    redis_server = None
    if not env.get("REDIS_URL"):
        from rio.embedded import start_redis

        redis_server = start_redis(var_dir / "redis" / "rio.rdb")
        env["REDIS_URL"] = f"unix://{redis_server.socket_file}"

    subprocess.run([*manage, "migrate", "--noinput"], env=env, check=True)  # noqa: S603
    subprocess.run([*manage, "seed_demo"], env=env, check=True)  # noqa: S603
    # DEBUG is off, so WhiteNoise serves the static files from STATIC_ROOT.
    subprocess.run([*manage, "collectstatic", "--noinput", "-v", "0"], env=env, check=True)  # noqa: S603

    celery = [python, "-m", "celery", "-A", "rio"]
    processes = [
        subprocess.Popen([*manage, "runserver", f"127.0.0.1:{port}"], env=env),  # noqa: S603
        subprocess.Popen([*celery, "worker", "--loglevel=INFO", "--concurrency=2"], env=env),  # noqa: S603
        subprocess.Popen(  # noqa: S603
            [*celery, "beat", "--loglevel=INFO", f"--schedule={var_dir / 'celerybeat-schedule'}"],
            env=env,
        ),
    ]
    print(f"\nRIO demo: http://127.0.0.1:{port}/  (Ctrl-C stops everything)\n", flush=True)

    def stop(*_args):
        for process in processes:
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + 10
        for process in processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        while all(process.poll() is None for process in processes):
            time.sleep(0.5)
        print("A demo process stopped; stopping the others.", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, SystemExit):
        return 0
    finally:
        stop()
        if redis_server is not None:
            redis_server.shutdown()
        if stop_postgres:
            stop_embedded_postgres(pg_dir)


def postgres_running(pg_dir: Path) -> bool:
    """Whether a PostgreSQL server runs on `pg_dir` (its postmaster.pid names a live process)."""
    try:
        pid = int((pg_dir / "postmaster.pid").read_text().split()[0])
        os.kill(pid, 0)
    except (OSError, ValueError, IndexError):
        return False
    return True


def stop_embedded_postgres(pg_dir: Path) -> None:
    """Stop the embedded PostgreSQL once web, worker and beat have ended.

    pgserver's own last-handle bookkeeping is not used: a child stopped by a
    signal never removes its handle, so the server would be left running.
    """
    import pgserver

    server = pgserver.get_server(pg_dir, cleanup_mode=None)
    try:
        pgserver.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pg_dir, user=server.system_user)
    except subprocess.CalledProcessError:
        print("The embedded PostgreSQL had already stopped.", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
