"""Documentation that tests enforce: settings, CLI commands and the docs index."""

from __future__ import annotations

import re
from pathlib import Path

from kansenaudit.cli.reference import iter_commands, render_reference
from kansenaudit.config import ENV_SETTINGS

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def test_every_setting_is_documented():
    text = (DOCS / "configuration.md").read_text()
    headings = set(re.findall(r"^### (\S+)\s*$", text, flags=re.MULTILINE))
    assert set(ENV_SETTINGS) - headings == set()


def test_cli_reference_is_generated_from_the_code():
    assert (DOCS / "cli.md").read_text() == render_reference(), "run `make docs`"
    assert len(iter_commands()) >= 10


def test_required_documents_exist_and_are_linked_from_the_index():
    index = (DOCS / "index.md").read_text()
    for name in (
        "ARCHITECTURE.md",
        "configuration.md",
        "deployment.md",
        "glossary.md",
        "cli.md",
        "dependencies.md",
        "demo.md",
    ):
        assert (DOCS / name).exists(), name
        assert name in index, name
    assert list((DOCS / "adr").glob("0001-*.md"))
    assert (ROOT / "CHANGELOG.md").exists()


def test_readme_starts_with_the_two_commands():
    head = (ROOT / "README.md").read_text()[:1500]
    assert "make demo" in head
    assert "make test" in head
