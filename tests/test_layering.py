"""An app imports only apps to its left (DESIGN.md), so the audit trail can sit
left of `cases` and `privacy` read everything from the right end.

`lifedomains.domains` (the five domain codes) is a leaf every app may use, and
`rio/` wires the apps together, so it is not an app in this order.
"""

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LEAVES = {"lifedomains.domains"}


def imported_modules(path: Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


@pytest.mark.parametrize("app", settings.PROJECT_APPS)
def test_an_app_imports_only_apps_to_its_left(app):
    allowed = set(settings.PROJECT_APPS[: settings.PROJECT_APPS.index(app) + 1])
    wrong = set()
    for path in (ROOT / app).rglob("*.py"):
        for module in imported_modules(path):
            top = module.split(".")[0]
            leaf = any(module == name or module.startswith(name + ".") for name in LEAVES)
            if top in settings.PROJECT_APPS and top not in allowed and not leaf:
                wrong.add(f"{path.relative_to(ROOT)}: {module}")
    # "from lifedomains import domains" names the leaf as lifedomains + domains.
    wrong = {line for line in wrong if not line.endswith(": lifedomains")}
    assert not wrong, sorted(wrong)


def test_the_audit_trail_knows_no_client_model():
    modules = {m for p in (ROOT / "audit").rglob("*.py") for m in imported_modules(p)}
    assert not {m for m in modules if m.split(".")[0] in {"cases", "partners", "lifedomains"}}
