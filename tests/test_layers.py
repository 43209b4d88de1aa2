"""The layer rules of docs/ARCHITECTURE.md, kept as import-linter contracts in pyproject.toml.

import-linter reads every import statement of every module (those inside functions too), so a
new module is covered the moment it exists; no list of modules is kept by hand here.
"""

import subprocess
import sys
import tomllib
from pathlib import Path

import kansenaudit

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = Path(kansenaudit.__file__).parent
# The two faces that may use Django; everything else in the package is a layer below them.
DJANGO_FACES = {"web", "cli"}


def _contracts() -> dict[str, dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {c["id"]: c for c in config["tool"]["importlinter"]["contracts"]}


def test_import_contracts_are_kept():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint_imports), "--no-cache", "--no-logo", str(ROOT / "pyproject.toml")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_layer_below_the_web_app_is_django_free_by_contract():
    """A new top-level package or module must be named in the django-free contract."""
    below_web = sorted(
        path.stem
        for path in PACKAGE.iterdir()
        if (path.is_dir() and (path / "__init__.py").exists())
        or (path.suffix == ".py" and not path.stem.startswith("__"))
    )
    below_web = [name for name in below_web if name not in DJANGO_FACES]
    sources = set(_contracts()["django-free"]["source_modules"])
    missing = [
        name
        for name in below_web
        if f"kansenaudit.{name}" not in sources and f"kansenaudit.{name}.**" not in sources
    ]
    assert "stats" in below_web
    assert missing == [], f"add to the django-free contract in pyproject.toml: {missing}"


def test_cli_help_does_not_start_django():
    code = (
        "import sys; from kansenaudit.cli.main import cli; "
        "print(any(m.startswith('django.db') for m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "False"
