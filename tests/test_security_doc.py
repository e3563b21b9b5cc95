"""docs/security.md stays true: every requirement is listed once, and every test it names exists.

The requirement IDs are the index of the norm (SECURITY.md in the team's shared folder,
outside this repository); the document is parsed, not trusted.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "security.md"

# The norm's index: AC-1..6, AL-1..3, PR-1..4, AS-1..7, RF-1..7, BI-1..5.
REQUIREMENTS = [
    f"{group}-{number}"
    for group, count in [("AC", 6), ("AL", 3), ("PR", 4), ("AS", 7), ("RF", 7), ("BI", 5)]
    for number in range(1, count + 1)
]

HEADING = re.compile(r"^#{1,6}\s+(.*)$", re.MULTILINE)
REQUIREMENT_HEADING = re.compile(r"^([A-Z]{2}-\d+)\b")
NODE_ID = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")
PENDING = re.compile(r"\bpending:", re.IGNORECASE)


def sections(text: str) -> list[tuple[str, str]]:
    """Each requirement heading's ID with the text up to the next heading of any level."""
    headings = list(HEADING.finditer(text))
    found = []
    for index, heading in enumerate(headings):
        match = REQUIREMENT_HEADING.match(heading.group(1))
        if match:
            end = headings[index + 1].start() if index + 1 < len(headings) else len(text)
            found.append((match.group(1), text[heading.end() : end]))
    return found


def defined_tests(path: Path) -> set[str]:
    """The test functions a test module defines, at the top level or in a class."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        bodies = node.body if isinstance(node, ast.ClassDef) else [node]
        names |= {
            item.name for item in bodies if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
        }
    return names


DOC_TEXT = DOC.read_text(encoding="utf-8")
SECTIONS = sections(DOC_TEXT)


def test_the_document_lists_every_requirement_of_the_norm_once():
    listed = [requirement for requirement, _body in SECTIONS]
    doubled = sorted({r for r in listed if listed.count(r) > 1})
    assert not doubled, f"listed more than once: {doubled}"
    assert sorted(listed) == sorted(REQUIREMENTS), (
        f"missing: {sorted(set(REQUIREMENTS) - set(listed))}, "
        f"unknown: {sorted(set(listed) - set(REQUIREMENTS))}"
    )


def test_every_named_test_exists():
    named = NODE_ID.findall(DOC_TEXT)
    assert len(named) > len(REQUIREMENTS)
    missing = []
    for path, name in sorted(set(named)):
        module = ROOT / path
        if not module.is_file() or name not in defined_tests(module):
            missing.append(f"{path}::{name}")
    assert not missing, f"docs/security.md names tests that do not exist: {missing}"


def test_every_requirement_names_a_test_or_says_what_is_pending():
    unproven = [r for r, body in SECTIONS if not NODE_ID.search(body) and not PENDING.search(body)]
    pending = [r for r, body in SECTIONS if PENDING.search(body)]
    assert not unproven, (
        f"neither a test nor 'pending:' for {unproven}; "
        f"{len(pending)} requirement(s) still have a pending part: {pending}"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("### AC-1\n- Tests: `tests/a.py::test_x`\n## Next\n`tests/b.py::test_y`", ["test_x"]),
        ("### AC-1\n- pending: all of it\n### AC-2\n", []),
    ],
)
def test_the_parser_reads_a_section_up_to_the_next_heading(text, expected):
    ((requirement, body), *_rest) = sections(text)
    assert requirement == "AC-1"
    assert [name for _path, name in NODE_ID.findall(body)] == expected


def test_the_test_finder_sees_functions_in_classes_and_not_nested_helpers(tmp_path):
    module = tmp_path / "test_example.py"
    module.write_text(
        "def test_top():\n    def test_nested():\n        pass\n"
        "class TestGroup:\n    def test_method(self):\n        pass\n"
        "async def test_async():\n    pass\n"
    )
    assert defined_tests(module) == {"test_top", "test_method", "test_async"}
