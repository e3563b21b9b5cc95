"""What the local demo sets, and the keys it keeps under var/.

The demo is recognised by what it is: no DATABASE_URL, so the embedded
PostgreSQL (settings.RIO_DEMO). It runs with DEBUG off, like production, and
switches off only what a plain-http demo on 127.0.0.1 with known logins must:
`DEMO_ENVIRONMENT`. manage.py and `make run` apply it and say on stderr what
they set. Its secrets are generated once per checkout and kept in var/keys/,
so no key is a constant in the code.
"""

from __future__ import annotations

import base64
import os
import secrets
import sys
from collections.abc import Callable, MutableMapping
from pathlib import Path

# Each is only a default: a value set in the environment wins.
DEMO_ENVIRONMENT = {
    # Error pages, not debug pages: a debug 500 would show a posted BSN.
    "DEBUG": "false",
    # The demo users have no TOTP device; the login page says MFA is off.
    "RIO_REQUIRE_MFA": "false",
    # The demo serves plain http on 127.0.0.1: secure-only cookies would never
    # be sent back, and a redirect to https would find no server.
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
}


def apply_demo_environment(environ: MutableMapping[str, str], *, who: str) -> dict[str, str]:
    """Set the demo's defaults in `environ` and say on stderr what they are."""
    chosen = {key: environ.setdefault(key, value) for key, value in DEMO_ENVIRONMENT.items()}
    print(
        f"{who}: no DATABASE_URL, so the local demo: embedded PostgreSQL, "
        + ", ".join(f"{key}={value}" for key, value in chosen.items()),
        file=sys.stderr,
    )
    return chosen


# The fixed keys the demo used before it generated its own. They are adopted
# only for an embedded database that already existed when the demo's keys
# were first made, so the BSNs already stored there stay readable; a new
# demo never uses them.
LEGACY_DEMO_KEYS = {
    "field_encryption_key": "ZGV2ZWxvcG1lbnQtb25seS1maWVsZC1rZXktMzJieXQ=",
    "blind_index_key": "development-only-blind-index-key",
}

KEY_MAKERS: dict[str, Callable[[], str]] = {
    "secret_key": lambda: secrets.token_urlsafe(50),
    "field_encryption_key": lambda: base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
    "blind_index_key": lambda: secrets.token_urlsafe(32),
}


def local_key(var_dir: Path, name: str, *, existing_data: bool = False) -> str:
    """The demo's key `name`, made on first use and kept in var_dir/keys/.

    Written to a temporary file and linked into place, which fails if the key
    exists: processes starting together (web, worker, beat) agree on one key
    and never read a half-written one. Readable by the owner only.
    """
    path = var_dir / "keys" / name
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if existing_data and name in LEGACY_DEMO_KEYS:
        value = LEGACY_DEMO_KEYS[name]
    else:
        value = KEY_MAKERS[name]()
    temporary = path.with_name(f".{name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as file:
        file.write(value + "\n")
    try:
        os.link(temporary, path)
    except FileExistsError:
        value = path.read_text().strip()
    finally:
        temporary.unlink()
    return value
