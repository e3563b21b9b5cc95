"""Settings refuse unsafe production starts; production settings pass check --deploy.

Each case runs in a fresh interpreter, because settings are read once per process.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from rio.demo import DEMO_ENVIRONMENT, LEGACY_DEMO_KEYS

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


def test_a_debug_run_on_this_machine_may_switch_mfa_off(tmp_path):
    result = setting_value(
        "RIO_REQUIRE_MFA",
        {
            **PRODUCTION_ENV,
            "RIO_REQUIRE_MFA": "false",
            "DEBUG": "true",
            "ALLOWED_HOSTS": "localhost,127.0.0.1",
            "RIO_VAR_DIR": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def demo_env(var_dir: Path, **extra: str) -> dict[str, str]:
    """The demo as manage.py starts it: no DATABASE_URL, no secrets, its own var/."""
    return {"RIO_VAR_DIR": str(var_dir), **DEMO_ENVIRONMENT, **extra}


def test_the_demo_runs_with_debug_off_and_mfa_off(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings;"
        "print(settings.RIO_DEMO, settings.DEBUG, settings.RIO_REQUIRE_MFA,"
        " settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE,"
        " settings.SECURE_SSL_REDIRECT)"
    )
    result = run(["-c", code], demo_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "False", "False", "False", "False", "False"]


def test_a_database_url_is_not_the_demo_even_with_the_demo_environment(tmp_path):
    env = {**demo_env(tmp_path), **PRODUCTION_ENV, "RIO_REQUIRE_MFA": "false"}
    result = setting_value("RIO_REQUIRE_MFA", env)
    assert result.returncode != 0
    assert "RIO_REQUIRE_MFA=false is refused" in result.stderr


def test_the_demo_makes_its_own_keys_once_and_keeps_them(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings;"
        "print(settings.SECRET_KEY, settings.FIELD_ENCRYPTION_KEYS[0], settings.BLIND_INDEX_KEY)"
    )
    first = run(["-c", code], demo_env(tmp_path))
    assert first.returncode == 0, first.stderr
    second = run(["-c", code], demo_env(tmp_path))
    assert second.returncode == 0, second.stderr
    secret_key, field_key, blind_index_key = first.stdout.split()
    assert second.stdout.split() == [secret_key, field_key, blind_index_key]
    assert len(secret_key) >= 50
    assert field_key != LEGACY_DEMO_KEYS["field_encryption_key"]
    assert blind_index_key != LEGACY_DEMO_KEYS["blind_index_key"]
    for name in ("secret_key", "field_encryption_key", "blind_index_key"):
        assert (tmp_path / "keys" / name).stat().st_mode & 0o077 == 0
    other = run(["-c", code], demo_env(tmp_path / "elsewhere"))
    assert other.returncode == 0, other.stderr
    assert set(other.stdout.split()).isdisjoint(first.stdout.split())


def test_an_older_demo_database_keeps_the_keys_its_bsns_were_encrypted_with(tmp_path):
    (tmp_path / "pg").mkdir()
    (tmp_path / "pg" / "PG_VERSION").write_text("16\n")
    code = (
        "import django; django.setup(); from django.conf import settings;"
        "print(settings.FIELD_ENCRYPTION_KEYS[0], settings.BLIND_INDEX_KEY)"
    )
    result = run(["-c", code], demo_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        LEGACY_DEMO_KEYS["field_encryption_key"],
        LEGACY_DEMO_KEYS["blind_index_key"],
    ]


@pytest.mark.parametrize(
    "hosts", ["rio.example.nl", "localhost,rio.example.nl", "*", "127.0.0.1,.example.nl"]
)
def test_debug_is_refused_when_the_app_answers_to_a_real_host_name(hosts, tmp_path):
    env = {**PRODUCTION_ENV, "DEBUG": "true", "ALLOWED_HOSTS": hosts, "RIO_VAR_DIR": str(tmp_path)}
    result = setting_value("DEBUG", env)
    assert result.returncode != 0
    assert "DEBUG=true is refused with ALLOWED_HOSTS" in result.stderr


def test_debug_is_accepted_on_this_machine_s_own_names(tmp_path):
    env = {
        **PRODUCTION_ENV,
        "DEBUG": "true",
        "ALLOWED_HOSTS": "localhost,127.0.0.1,[::1],testserver,.localhost",
        "RIO_VAR_DIR": str(tmp_path),
    }
    result = setting_value("DEBUG", env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_manage_py_says_what_it_sets_for_the_demo_and_nothing_with_a_database_url(tmp_path):
    code = (
        "import os, sys; sys.argv = ['manage.py', 'version'];"
        "import rio.embedded; rio.embedded.ensure_database = lambda: None;"
        "import manage; manage.main();"
        "print(os.environ.get('DEBUG'), os.environ.get('RIO_REQUIRE_MFA'),"
        " os.environ.get('SESSION_COOKIE_SECURE'))"
    )
    demo = {k: v for k, v in PRODUCTION_ENV.items() if k not in {"DATABASE_URL", "DEBUG"}}
    result = run(["-c", code], {**demo, "RIO_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "false false false"
    assert (
        "local demo: embedded PostgreSQL, DEBUG=false, RIO_REQUIRE_MFA=false, "
        "SECURE_SSL_REDIRECT=false, SESSION_COOKIE_SECURE=false, CSRF_COOKIE_SECURE=false"
    ) in result.stderr

    production = {k: v for k, v in PRODUCTION_ENV.items() if k != "DEBUG"}
    result = run(["-c", code], production)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "None None None"
    assert "local demo" not in result.stderr


def test_debug_run_may_go_without_secret_key(tmp_path):
    env = {
        **PRODUCTION_ENV,
        "SECRET_KEY": "",
        "DEBUG": "true",
        "ALLOWED_HOSTS": "localhost",
        "RIO_VAR_DIR": str(tmp_path),
    }
    result = setting_value("DEBUG", env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"
    assert (tmp_path / "keys" / "secret_key").exists()


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
