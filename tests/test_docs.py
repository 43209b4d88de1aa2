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
    # In a fresh interpreter, as `make docs` runs it: click caches each command's help option
    # the first time a context is made for it, so a test that invoked a subcommand on its own
    # would change how this process renders it ("--help" without "-h").
    import subprocess
    import sys

    rendered = subprocess.run(
        [sys.executable, "-m", "kansenaudit.cli.reference"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    assert (DOCS / "cli.md").read_text() == rendered, "run `make docs`"
    assert len(iter_commands()) >= 10
    assert render_reference()


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


def test_indicator_pages_are_generated_from_the_catalogue():
    from kansenaudit.data.catalogue import AMSTERDAM_CATALOGUE, DOMAINS
    from kansenaudit.data.catalogue_docs import expected_pages

    folder = DOCS / "indicators"
    pages = expected_pages()
    on_disk = {path.name for path in folder.glob("*.md")}
    assert on_disk == set(pages), "run `make docs`"
    for name, text in pages.items():
        assert (folder / name).read_text(encoding="utf-8") == text, f"{name}: run `make docs`"
    outcomes = [item for item in AMSTERDAM_CATALOGUE if item.domain != "bevolking"]
    assert len(outcomes) >= 25
    assert {item.domain for item in outcomes} >= set(DOMAINS) - {"bevolking"}


def test_catalogue_is_consistent():
    from kansenaudit.data.catalogue import AMSTERDAM_CATALOGUE, DOMAINS, SOURCES

    keys = [item.key for item in AMSTERDAM_CATALOGUE]
    assert len(keys) == len(set(keys))
    for item in AMSTERDAM_CATALOGUE:
        assert item.domain in DOMAINS, item.key
        assert item.polarity in (-1, 0, 1), item.key
        assert item.kind in ("share", "mean", "index", "count"), item.key
        assert item.weight in ("inwoners", "huishoudens", "woningen", "kinderen"), item.key
        assert item.sources, item.key
        assert all(src.source in SOURCES for src in item.sources), item.key
        assert item.definition.strip(), item.key
        assert item.name.strip(), item.key
