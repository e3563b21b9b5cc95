"""`make bench`: the app measured at national scale (issue 13). A script, not a test.

For each size it makes a database of its own (on DATABASE_URL's server, or an
embedded PostgreSQL under var/bench-pg without one), fills it with
`manage.py seed_scale`, serves it with gunicorn (2 workers, production settings
except HTTPS), logs in through the login page with password and TOTP as a
caseworker, a manager and an admin, and times at least `--requests` requests per
page after a warm-up. It prints one line per page and size

    page=<name> size=<N> p50_ms=<x> p95_ms=<y> ratio_to_floor=<r> queries=<q>

then `sweep size=<N> due=<d> seconds=<s> queries=<q>`, `rss_mb=<m>` for the largest
web worker after the run, and `load users=50 seconds=60 requests=<n> errors=<e>
p95_ms=<y>`: fifty caseworkers browsing their own caseloads at once, against
127.0.0.1 only. Query counts come from the same page requested once in-process
(`python -m rio.bench inspect`, with CaptureQueriesContext).

    make bench                       # sizes 10 000 and 100 000
    make bench SIZES=2000,10000      # quicker
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import http.cookiejar
import json
import os
import re
import secrets
import statistics
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PASSWORD = "bench-" + secrets.token_urlsafe(9)
TOTP_SECRET = base64.b32encode(secrets.token_bytes(20)).decode()
CASEWORKER, MANAGER, ADMIN = "scale-rio-1", "scale-manager-1", "scale-admin"


# --- Databases ------------------------------------------------------------------------------


def server_url() -> str:
    """The PostgreSQL server the bench databases are made on."""
    if url := os.environ.get("DATABASE_URL"):
        return url
    import pgserver

    return pgserver.get_server(BASE_DIR / "var" / "bench-pg", cleanup_mode=None).get_uri()


def with_database(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def recreate(url: str, name: str, *, template: str | None = None) -> str:
    import psycopg

    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if template:
            connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        else:
            connection.execute(f'CREATE DATABASE "{name}"')
    return with_database(url, name)


def environment(database_url: str, keys: dict[str, str]) -> dict[str, str]:
    """Production settings, except HTTPS (plain http on 127.0.0.1)."""
    return {
        **os.environ,
        **keys,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "RIO_REQUIRE_MFA": "true",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "USE_X_FORWARDED_PROTO": "false",
        "MEDIA_ROOT": str(BASE_DIR / "var" / "bench-media"),
        "AXES_FAILURE_LIMIT": "1000",
    }


def manage(env: dict, *args: str, capture: bool = False) -> str:
    result = subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return result.stdout or ""


# --- HTTP -----------------------------------------------------------------------------------


def totp(secret: str, at: float | None = None) -> str:
    """RFC 6238: six digits, 30 seconds, SHA-1, as allauth's TOTP."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One logged-in person: a cookie jar, requests to 127.0.0.1 only."""

    def __init__(self, port: int):
        self.base = f"http://127.0.0.1:{port}"
        self.location = ""
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect()
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, float, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)  # noqa: S310 (http to 127.0.0.1)
        if data is not None:
            request.add_header("Referer", self.base + path)
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=60) as response:
                status, text = response.status, response.read().decode()
                self.location = ""
        except urllib.error.HTTPError as error:  # also every redirect, which is not followed
            status, text = error.code, error.read().decode(errors="replace")
            self.location = error.headers.get("Location", "")
        return status, (time.perf_counter() - started) * 1000, text

    def csrf(self, path: str) -> str:
        _status, _ms, text = self.request(path)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
        return match.group(1) if match else ""

    def log_in(self, username: str) -> None:
        token = self.csrf("/accounts/login/")
        status, _ms, _text = self.request(
            "/accounts/login/",
            {"csrfmiddlewaretoken": token, "login": username, "password": PASSWORD},
        )
        token = self.csrf("/accounts/2fa/authenticate/")
        status, _ms, _text = self.request(
            "/accounts/2fa/authenticate/", {"csrfmiddlewaretoken": token, "code": totp(TOTP_SECRET)}
        )
        status, _ms, _text = self.request("/")  # logged in: home sends on by role
        if status != 302 or "/accounts/" in self.location:
            raise SystemExit(f"bench: could not log in as {username}")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(browser: Browser, path: str, count: int, warmup: int) -> tuple[float, float]:
    for _ in range(warmup):
        browser.request(path)
    times = []
    for _ in range(count):
        status, ms, _text = browser.request(path)
        if status not in (200, 302):
            raise SystemExit(f"bench: {path} answered {status}")
        times.append(ms)
    return statistics.median(times), percentile(times, 0.95)


def load(port: int, users: list[str], seconds: float) -> tuple[int, int, float]:
    """Each user logs in, then asks for their caseload again and again."""
    times: list[float] = []
    errors = [0]
    lock = threading.Lock()
    browsers = []
    for username in users:
        browser = Browser(port)
        browser.log_in(username)
        browsers.append(browser)
    stop = time.monotonic() + seconds

    def browse(browser: Browser) -> None:
        while time.monotonic() < stop:
            try:
                status, ms, _text = browser.request("/jongeren/")
            except OSError:
                status, ms = 0, 0.0
            with lock:
                times.append(ms)
                errors[0] += status != 200

    threads = [threading.Thread(target=browse, args=(b,)) for b in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(times), errors[0], percentile(times, 0.95) if times else 0.0


def worker_rss_mb(master: int) -> float:
    out = subprocess.run(  # noqa: S603
        ["ps", "--ppid", str(master), "-o", "rss="],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return max((int(line) for line in out.split()), default=0) / 1024


# --- In-process: the pages' query counts and the sweep --------------------------------------


def inspect() -> None:
    """Run with the bench database's settings: prints JSON with the pages to measure, the
    query count of each (one request in-process) and one sweep over the whole database."""
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.test import Client as TestClient
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from cases.models import Client
    from followup.models import Notification
    from followup.reminders import sweep

    caseworker = User.objects.get(username=CASEWORKER)
    client = (
        Client.objects.visible_to(caseworker)
        .annotate(contacts=Count("trajectories__contacts"))
        .order_by("-contacts", "pk")
        .first()
    )
    pages = {
        "floor": (CASEWORKER, "/"),
        "caseload": (CASEWORKER, "/jongeren/"),
        "dossier": (CASEWORKER, f"/jongeren/{client.pk}/"),
        "inbox": (CASEWORKER, "/meldingen/"),
        "bottlenecks": (CASEWORKER, "/knelpunten/"),
        "dashboard": (MANAGER, "/reports/"),
        "access-log": (ADMIN, f"/beheer/audit/accesslogentry/?client={client.pk}"),
    }
    queries = {}
    for name, (username, path) in pages.items():
        browser = TestClient()
        browser.force_login(User.objects.get(username=username))
        with CaptureQueriesContext(connection) as captured:
            status = browser.get(path).status_code
        if status not in (200, 302):
            raise SystemExit(f"bench: {name} ({path}) answered {status} in-process")
        queries[name] = len(captured)
    # A full night's sweep: every reminder due today made anew.
    Notification.objects.all().delete()
    with CaptureQueriesContext(connection) as captured:
        started = time.monotonic()
        due = sweep()
        seconds = time.monotonic() - started
    print(json.dumps({
        "pages": {name: path for name, (_user, path) in pages.items()},
        "users": {name: user for name, (user, _path) in pages.items()},
        "queries": queries,
        "sweep": {"due": due, "seconds": round(seconds, 2), "queries": len(captured)},
    }))  # fmt: skip


# --- The run --------------------------------------------------------------------------------


def bench_size(size: int, url: str, template: str, keys: dict, args) -> None:
    name = f"rio_bench_{size}"
    env = environment(recreate(url, name, template=template), keys)
    started = time.monotonic()
    manage(env, "seed_scale", f"--clients={size}", f"--password={PASSWORD}",
           f"--totp-secret={TOTP_SECRET}")  # fmt: skip
    print(f"# seeded size={size} in {time.monotonic() - started:.0f} s", flush=True)
    found = json.loads(manage(env, "shell", "-c", "from rio.bench import inspect; inspect()",
                              capture=True).strip().splitlines()[-1])  # fmt: skip
    port = args.port
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "rio.wsgi:application", "--workers", "2",
         "--bind", f"127.0.0.1:{port}", "--timeout", "120", "--log-level", "warning"],
        cwd=BASE_DIR, env=env,
    )  # fmt: skip
    try:
        wait_for(port)
        browsers = {}
        for user in set(found["users"].values()):
            browsers[user] = Browser(port)
            browsers[user].log_in(user)
        results = {}
        for page, path in found["pages"].items():
            browser = browsers[found["users"][page]]
            results[page] = timed(browser, path, args.requests, args.warmup)
        floor = results["floor"][0]
        for page, (p50, p95) in results.items():
            print(f"page={page} size={size} p50_ms={p50:.0f} p95_ms={p95:.0f} "
                  f"ratio_to_floor={p50 / floor:.1f} queries={found['queries'][page]}",
                  flush=True)  # fmt: skip
        sweep = found["sweep"]
        print(f"sweep size={size} due={sweep['due']} seconds={sweep['seconds']} "
              f"queries={sweep['queries']}", flush=True)  # fmt: skip
        users = [f"scale-rio-{n}" for n in range(1, args.users + 1)]
        requests, errors, p95 = load(port, users, args.seconds)
        print(f"rss_mb={worker_rss_mb(server.pid):.0f}")
        print(f"load users={len(users)} seconds={args.seconds:.0f} requests={requests} "
              f"errors={errors} p95_ms={p95:.0f}", flush=True)  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)


def wait_for(port: int) -> None:
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("bench: gunicorn did not start")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("command", nargs="?", default="run", choices=["run", "inspect"])
    parser.add_argument("--sizes", default=os.environ.get("SIZES", "10000,100000"))
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    if args.command == "inspect":
        inspect()
        return
    url = server_url()
    keys = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "BLIND_INDEX_KEY": secrets.token_urlsafe(32),
    }
    template = "rio_bench_template"
    env = environment(recreate(url, template), keys)
    manage(env, "migrate", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    for size in (int(s) for s in args.sizes.split(",")):
        bench_size(size, url, template, keys, args)


if __name__ == "__main__":
    main()
