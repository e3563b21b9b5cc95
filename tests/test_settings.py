"""Settings refuse unsafe production starts; production settings pass check --deploy.

Each case runs in a fresh interpreter, because settings are read once per process.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "x" * 30 + "-production-like-secret-key-for-the-deploy-check",
    "ALLOWED_HOSTS": "rio.example.nl",
    "DATABASE_URL": "postgres://rio:rio@127.0.0.1:5432/rio",
    "FIELD_ENCRYPTION_KEYS": "dGVzdC1vbmx5LWZpZWxkLWVuY3J5cHRpb24ta2V5LTE=",
    "BLIND_INDEX_KEY": "production-like-blind-index-key",
}


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run a Python command with only PATH and `env` as its environment."""
    return subprocess.run(  # noqa: S603
        [sys.executable, *args],
        cwd=BASE_DIR,
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "rio.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def setting_value(name: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    code = (
        f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    )
    return run(["-c", code], env)


def test_production_refuses_to_start_without_secret_key():
    result = setting_value("DEBUG", {**PRODUCTION_ENV, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_refuses_to_start_without_encryption_keys():
    result = setting_value("DEBUG", {**PRODUCTION_ENV, "FIELD_ENCRYPTION_KEYS": ""})
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS and BLIND_INDEX_KEY must be set" in result.stderr


def test_production_refuses_to_start_with_mfa_switched_off():
    result = setting_value("RIO_REQUIRE_MFA", {**PRODUCTION_ENV, "RIO_REQUIRE_MFA": "false"})
    assert result.returncode != 0
    assert "RIO_REQUIRE_MFA=false is refused with DEBUG off" in result.stderr


def test_the_demo_may_switch_mfa_off():
    result = setting_value(
        "RIO_REQUIRE_MFA", {**PRODUCTION_ENV, "RIO_REQUIRE_MFA": "false", "DEBUG": "true"}
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_manage_py_says_what_it_sets_for_the_demo_and_nothing_with_a_database_url():
    code = (
        "import os, sys; sys.argv = ['manage.py', 'version'];"
        "import rio.embedded; rio.embedded.ensure_database = lambda: None;"
        "import manage; manage.main();"
        "print(os.environ.get('DEBUG'), os.environ.get('RIO_REQUIRE_MFA'))"
    )
    demo = {k: v for k, v in PRODUCTION_ENV.items() if k not in {"DATABASE_URL", "DEBUG"}}
    result = run(["-c", code], demo)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "true false"
    assert "DEBUG=true, RIO_REQUIRE_MFA=false" in result.stderr

    production = {k: v for k, v in PRODUCTION_ENV.items() if k != "DEBUG"}
    result = run(["-c", code], production)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "None None"
    assert "local demo" not in result.stderr


def test_debug_run_may_go_without_secret_key():
    result = setting_value("DEBUG", {**PRODUCTION_ENV, "SECRET_KEY": "", "DEBUG": "true"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_check_deploy_reports_nothing_with_production_settings():
    result = run(
        [str(BASE_DIR / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("DEBUG", "False"),
        ("SECURE_SSL_REDIRECT", "True"),
        ("SESSION_COOKIE_SECURE", "True"),
        ("CSRF_COOKIE_SECURE", "True"),
        ("SECURE_HSTS_SECONDS", "31536000"),
        ("RIO_REQUIRE_MFA", "True"),
        ("SESSION_COOKIE_HTTPONLY", "True"),
    ],
)
def test_safe_defaults_when_only_the_secrets_are_set(setting, expected):
    env = {
        name: PRODUCTION_ENV[name]
        for name in ("SECRET_KEY", "DATABASE_URL", "FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY")
    }
    result = setting_value(setting, env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected
