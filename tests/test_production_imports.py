"""Production code runs without the development dependencies: Faker is only for
the demo data (seed_demo) and the tests."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

BASE_DIR = Path(__file__).resolve().parent.parent

# Runs in a fresh interpreter with Faker made unimportable, as in the
# production image: set up Django, then import every module of the project
# except the demo modules and the tests.
SCRIPT = textwrap.dedent(
    """
    import importlib, pkgutil, sys

    class NoFaker:
        def find_spec(self, name, path=None, target=None):
            if name == "faker" or name.startswith("faker."):
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)

    sys.meta_path.insert(0, NoFaker())

    import django
    from django.conf import settings

    django.setup()
    imported, refused = [], []
    for package in [*settings.PROJECT_APPS, "rio"]:
        module = importlib.import_module(package)
        for info in pkgutil.walk_packages(module.__path__, f"{package}."):
            if info.name.endswith(".demo"):
                try:
                    importlib.import_module(info.name)
                except ModuleNotFoundError:
                    refused.append(info.name)
                continue
            importlib.import_module(info.name)
            imported.append(info.name)
    assert "faker" not in sys.modules
    print(len(imported), " ".join(sorted(refused)))
    """
)


def test_every_module_but_the_demo_imports_without_faker():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rio.settings",
        "DEBUG": "true",
        "PYTHONPATH": str(BASE_DIR),
    }
    result = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", SCRIPT],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    count, refused = result.stdout.split(" ", 1)
    assert int(count) > 50
    # The blocker works: the demo module that uses Faker could not be imported.
    assert "cases.demo" in refused.split()


@pytest.mark.django_db
def test_seed_demo_without_faker_says_what_to_install(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setitem(sys.modules, "faker", None)  # None makes the import fail
    monkeypatch.delitem(sys.modules, "cases.demo", raising=False)
    with pytest.raises(CommandError, match=r"faker is not installed.*requirements-dev\.txt"):
        call_command("seed_demo")
