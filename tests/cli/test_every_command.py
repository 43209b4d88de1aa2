"""Every `kansenaudit` command as a real process, against one prepared SQLite database.

The commands are discovered from the click tree, so a new command cannot be forgotten: a
command without a row in ``ARGUMENTS`` fails the test. Each runs as ``python -m
kansenaudit.cli …`` with realistic arguments; none may print a Python traceback, and with
``--json`` stdout holds one JSON document and nothing else (progress and messages go to
stderr). Commands that reach the internet run behind a proxy address that refuses at once, so
they fail fast with a clear message, as they would offline.

A lint keeps the import pattern that broke `evidence cite` and `evidence page` from returning:
no CLI function may import the Django models (``kansenaudit.web``) before it has started
Django (``setup_django()``), directly or through a helper.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import click
import pytest

from kansenaudit.cli.main import cli

CLI_DIR = Path(__file__).resolve().parents[2] / "src" / "kansenaudit" / "cli"
PARALLEL = 3  # process start-up dominates; more than this only queues on a 2-core machine


def leaf_commands() -> dict[str, click.Command]:
    """Every runnable command of the tree, by its path ("evidence cite")."""
    found: dict[str, click.Command] = {}

    def walk(command: click.Command, path: list[str]) -> None:
        if isinstance(command, click.Group):
            for name, child in command.commands.items():
                walk(child, [*path, name])
        else:
            found[" ".join(path)] = command

    walk(cli, [])
    return found


@dataclass(frozen=True)
class Case:
    """How to run one command: its arguments, the exit code expected, and what to look for."""

    args: tuple[str, ...]
    exit_code: int = 0
    expect: str = ""  # text that must appear in stdout (JSON) or stderr (an error)
    phase: int = 1  # phase 2 runs after phase 1 (it reads a file phase 1 wrote)


def cases(w: dict) -> dict[str, Case]:
    """The arguments per command: the core's below, each later app's in ``cases_<app>.py``.

    An app's module has ``cases(w) -> dict[str, Case]`` (it may write its input files into
    ``w["tmp"]``); ``w`` holds the prepared ids and paths.
    """
    table = core_cases(w)
    for path in sorted(Path(__file__).parent.glob("cases_*.py")):
        spec = importlib.util.spec_from_file_location(f"_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        extra = module.cases(w)
        assert not set(extra) & set(table), f"{path.name} repeats a command"
        table.update(extra)
    return table


def core_cases(w: dict) -> dict[str, Case]:
    """The arguments of the commands of the core apps."""
    d, doc, tmp = str(w["dossier"]), str(w["document"]), w["tmp"]
    return {
        "migrate": Case(("migrate", "--check"), expect="No pending migrations"),
        # The server must refuse to start without a secret key outside demo mode (w["env"] for
        # this one case drops demo mode); starting gunicorn here would never return.
        "serve": Case(("serve", "--port", "1"), exit_code=1, expect="KANSENAUDIT_SECRET_KEY"),
        "manage": Case(("manage", "check"), expect="no issues"),
        "dossier create": Case(
            ("dossier", "create", "--title", "Tweede", "--municipality", "GM0363", "--json"),
            expect='"title": "Tweede"',
        ),
        "dossier list": Case(("dossier", "list", "--json"), expect="Voorbeeldstad"),
        "dossier show": Case(("dossier", "show", d, "--json"), expect="sub_questions"),
        "user create": Case(
            ("user", "create", "analist", "--dossier", d, "--role", "meelezer", "--json"),
            expect='"role": "meelezer"',
        ),
        "demo load": Case(("demo", "load", "--json"), expect='"created": false'),
        # Offline: the mirror folder is empty, so the pull stops at the first source.
        "data pull": Case(
            ("data", "pull", "amsterdam", "--mirror", str(w["empty"]), "--json"),
            exit_code=1,
            expect="geen bestand in",
        ),
        "staat": Case(
            ("staat", "--demo", "--out", str(tmp / "staat"), "--bootstrap", "0", "--json"),
            expect="numbers.json",
        ),
        "evidence import": Case(
            ("evidence", "import", str(w["folder"]), "--dossier", d, "--json"),
            expect='"toegevoegd": 1',
        ),
        "evidence search": Case(
            ("evidence", "search", "--dossier", d, "kansen", "--json"), expect='"hits"'
        ),
        "evidence search-index": Case(("evidence", "search-index", "--json"), expect="sqlite"),
        "evidence pull-council": Case(
            (
                "evidence",
                "pull-council",
                "--municipality",
                "amsterdam",
                "--query",
                "kansen",
                "--dossier",
                d,
                "--json",
            ),
            exit_code=1,
            expect="niet bereikbaar",
        ),
        "evidence work": Case(("evidence", "work"), exit_code=1, expect="worker --batch"),
        "worker": Case(("worker", "--batch"), expect="No more tasks"),
        "evidence import-notubiz": Case(
            ("evidence", "import-notubiz", str(w["notubiz"]), "--dossier", d, "--json"),
            expect="mislukt",
        ),
        "evidence reread": Case(
            ("evidence", "reread", "--dossier", d, "--document", doc, "--json"),
            expect='"citations"',
        ),
        "evidence cite": Case(
            (
                "evidence",
                "cite",
                "--dossier",
                d,
                "--document",
                doc,
                "--page",
                "1",
                "--quote",
                w["quote"],
                "--json",
            ),
            expect='"quote_sha256"',
        ),
        "evidence page": Case(
            ("evidence", "page", "--dossier", d, "--document", doc, "--json"), expect='"text"'
        ),
        "evidence terms": Case(("evidence", "terms", "--dossier", d, "--json"), expect='"usage"'),
        "policy export": Case(
            ("policy", "export", "--dossier", d, "--out", str(tmp / "registers.json")),
            expect="registers.json",
        ),
        "policy import": Case(
            ("policy", "import", "--dossier", d, str(tmp / "registers.json"), "--json"),
            expect="ongewijzigd",
            phase=2,
        ),
        "policy monitoring": Case(
            ("policy", "monitoring", "--dossier", d, "--json"), expect='"hiaten"'
        ),
        "policy consistency": Case(
            ("policy", "consistency", "--dossier", d, "--json"), expect='"stadsdoelen"'
        ),
        "uitvraag template": Case(
            (
                "uitvraag",
                "template",
                "--dossier",
                d,
                "--directie",
                "Directie Test",
                "--out",
                str(tmp / "uitvraag.xlsx"),
                "--json",
            ),
            expect='"template_version"',
        ),
        # The blank template is read, compared with the register and not applied.
        "uitvraag import": Case(
            ("uitvraag", "import", "--dossier", d, str(tmp / "uitvraag.xlsx"), "--json"),
            expect='"directie": "Directie Test"',
            phase=2,
        ),
        "uitvraag status": Case(("uitvraag", "status", "--dossier", d, "--json"), expect="["),
        "judgements export": Case(
            ("judgements", "export", "--dossier", d, "--out", str(tmp / "oordelen.xlsx"), "--json"),
            expect="oordelen.xlsx",
        ),
        "judgements agreement": Case(
            ("judgements", "agreement", "--dossier", d, "--n-boot", "20", "--json"),
            expect='"agreement"',
        ),
        "judgements frameworks": Case(
            ("judgements", "frameworks", "--dossier", d, "--json"), expect='"frameworks"'
        ),
        "judgements framework-import": Case(
            (
                "judgements",
                "framework-import",
                "--dossier",
                d,
                str(w["framework"]),
                "--subject",
                "maatregel",
                "--json",
            ),
            expect='"version": 1',
        ),
        "policy damaged-measures": Case(
            ("policy", "damaged-measures", "--dossier", d, "--json"), expect='"measures": []'
        ),
        "audit verify": Case(("audit", "verify", "--json"), expect='"ok": true'),
        "council items": Case(("council", "items", "--dossier", d, "--json"), expect='"items"'),
        "council matrix": Case(("council", "matrix", "--dossier", d, "--json"), expect='"years"'),
        "council export": Case(
            ("council", "export", "--dossier", d, "--out", str(tmp / "raad.xlsx")),
            expect="raad.xlsx",
        ),
        "council register": Case(
            (
                "council",
                "register",
                "--dossier",
                d,
                "--document",
                doc,
                "--reports-on",
                "outputs",
                "--json",
            ),
            expect='"reports_on": "outputs"',
        ),
    }


def _env(data_dir: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("KANSENAUDIT_")
        and k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")
        and k.lower() not in ("https_proxy", "http_proxy", "all_proxy", "no_proxy")
    }
    # Discard port on the loopback: every download is refused at once, as offline.
    proxy = "http://127.0.0.1:9"
    env.update(
        {
            "KANSENAUDIT_DATA_DIR": str(data_dir),
            "KANSENAUDIT_DEMO": "1",
            "https_proxy": proxy,
            "HTTPS_PROXY": proxy,
            "http_proxy": proxy,
            "HTTP_PROXY": proxy,
        }
    )
    return env


def _run(args: tuple[str, ...], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kansenaudit.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> dict:
    """A migrated SQLite database with the demo loaded, and the files the commands read."""
    from kansenaudit.policy.frameworks import frameworks, to_dict

    tmp = tmp_path_factory.mktemp("every-command")
    env = _env(tmp / "data")
    migrated = _run(("migrate",), env)
    assert migrated.returncode == 0, migrated.stderr
    loaded = _run(("demo", "load", "--json"), env)
    assert loaded.returncode == 0, loaded.stderr
    with sqlite3.connect(tmp / "data" / "kansenaudit.sqlite3") as db:
        (dossier,) = db.execute("SELECT id FROM dossiers_dossier WHERE is_demo").fetchone()
        document, text = db.execute(
            "SELECT d.id, p.text FROM evidence_document d JOIN evidence_page p "
            "ON p.document_id = d.id AND p.number = 1 "
            "WHERE d.dossier_id = ? AND d.file_format = 'pdf' AND length(p.text) > 40 "
            "ORDER BY d.id LIMIT 1",
            (dossier,),
        ).fetchone()
    folder = tmp / "import"
    folder.mkdir()
    (folder / "notitie.txt").write_text("Een notitie over gelijke kansen in de wijk.\n")
    (tmp / "empty").mkdir()
    notubiz = tmp / "vergadering.json"
    notubiz.write_text(
        json.dumps(
            {
                "id": 101,
                "attributes": {"Titel": "Raadsvergadering"},
                "plannings": [{"start_date": "2024-03-07 20:00:00"}],
                "documents": [
                    {"id": 7, "title": "Raadsbrief kansen", "url": "https://example.org/7.pdf"}
                ],
            }
        )
    )
    shipped = to_dict(frameworks()[0])
    shipped["key"] = "eigen-kader"
    framework = tmp / "kader.json"
    framework.write_text(json.dumps(shipped, ensure_ascii=False))
    return {
        "env": env,
        "tmp": tmp,
        "dossier": dossier,
        "document": document,
        "quote": " ".join(text.split()[:4]),
        "folder": folder,
        "empty": tmp / "empty",
        "notubiz": notubiz,
        "framework": framework,
        "demo_load": loaded,
    }


def _check(name: str, command: click.Command, case: Case, result) -> list[str]:
    problems = []
    has_json = any(p.name == "as_json" for p in command.params)
    if "Traceback" in result.stderr or "Traceback" in result.stdout:
        problems.append(f"{name}: traceback\n{result.stderr[-2000:]}")
    if result.returncode != case.exit_code:
        problems.append(
            f"{name}: exit {result.returncode}, expected {case.exit_code}\n"
            f"stdout: {result.stdout[-1000:]}\nstderr: {result.stderr[-1500:]}"
        )
    if case.exit_code == 0 and has_json and "--json" in case.args:
        try:
            json.loads(result.stdout)
        except ValueError:
            problems.append(f"{name}: stdout is not only JSON:\n{result.stdout[:500]}")
    if case.expect and case.expect not in result.stdout + result.stderr:
        problems.append(f"{name}: {case.expect!r} not in the output\n{result.stderr[-1000:]}")
    if case.exit_code != 0 and not result.stderr.strip():
        problems.append(f"{name}: fails without a message on stderr")
    return problems


# Every command of the CLI as its own process (about 80 commands, each starting Python and Django):
# the one test that outgrows the suite's 300 s limit by design.
@pytest.mark.timeout(900)
def test_every_command_runs_as_a_real_process(world):
    commands = leaf_commands()
    table = cases(world)
    missing = sorted(set(commands) - set(table))
    assert not missing, f"add these commands to cases() in {__file__}: {missing}"
    assert not set(table) - set(commands), "rows for commands that no longer exist"
    for name, command in commands.items():
        has_json = any(p.name == "as_json" for p in command.params)
        assert ("--json" in table[name].args) == has_json, f"{name}: run it with --json"

    def env_for(name: str) -> dict[str, str]:
        if name == "serve":  # outside demo mode, without a secret key: refused at once
            return {k: v for k, v in world["env"].items() if k != "KANSENAUDIT_DEMO"}
        return world["env"]

    started = time.monotonic()
    results = {}
    with ThreadPoolExecutor(PARALLEL) as pool:
        for phase in (1, 2):
            names = [n for n, c in table.items() if c.phase == phase]
            # The slowest first, so the pool does not end on one long command.
            names.sort(key=lambda n: n not in ("staat", "evidence pull-council", "demo load"))
            for name, result in zip(
                names, pool.map(lambda n: _run(table[n].args, env_for(n)), names), strict=True
            ):
                results[name] = result
    elapsed = time.monotonic() - started
    problems = [p for n in table for p in _check(n, commands[n], table[n], results[n])]
    # The demo load of the fixture is the first load: its JSON is the whole of stdout too.
    first_load = Case(("demo", "load", "--json"), expect='"created": true')
    problems += _check("demo load (first)", commands["demo load"], first_load, world["demo_load"])
    print(f"{len(results)} commands in {elapsed:.1f} s with {PARALLEL} processes at a time")
    assert not problems, "\n\n".join(problems)


# --- The import lint ---------------------------------------------------------------------------

DJANGO_MODULES = ("kansenaudit.web", "django.db", "django.contrib")


def _imports_django(node: ast.AST) -> bool:
    if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        return node.module.startswith(DJANGO_MODULES)
    if isinstance(node, ast.Import):
        return any(alias.name.startswith(DJANGO_MODULES) for alias in node.names)
    return False


def _called_name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Name):
            return node.func.id
        if isinstance(node.func, ast.Attribute):
            return node.func.attr
    return None


def _in_order(function: ast.FunctionDef) -> list[ast.AST]:
    nodes = [n for stmt in function.body for n in ast.walk(stmt) if hasattr(n, "lineno")]
    return sorted(nodes, key=lambda n: (n.lineno, n.col_offset))


def _is_command(function: ast.FunctionDef) -> bool:
    for decorator in function.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(target, ast.Attribute) and target.attr in ("command", "group"):
            return True
    return False


def cli_import_problems(sources: dict[str, str]) -> list[str]:
    """Where a CLI module reaches Django before ``setup_django()`` (see the module docstring).

    A function *starts* Django if it calls ``setup_django`` or a function that does; it *needs*
    Django if, before starting it, it imports ``kansenaudit.web`` (or Django's database or
    contrib apps) or calls a function that needs Django. No module may import them at its top,
    and no command may need Django.
    """
    functions: dict[str, tuple[str, ast.FunctionDef]] = {}
    problems = []
    for module, source in sources.items():
        tree = ast.parse(source)
        for node in tree.body:
            if _imports_django(node):
                problems.append(f"{module}:{node.lineno}: Django imported at module level")
            if isinstance(node, ast.FunctionDef):
                functions[node.name] = (module, node)
    starts, needs = {"setup_django"}, set()
    changed = True
    while changed:  # a fixpoint over the helpers (_start, _document, _dossier, …)
        changed = False
        for name, (_module, function) in functions.items():
            ready = False
            for node in _in_order(function):
                called = _called_name(node)
                # A helper that needs Django before it starts it spoils its callers too.
                if not ready and (_imports_django(node) or called in needs) and name not in needs:
                    needs.add(name)
                    changed = True
                if called in starts:
                    ready = True
                    if name not in starts:
                        starts.add(name)
                        changed = True
    for name, (module, function) in functions.items():
        if name in needs and _is_command(function):
            problems.append(
                f"{module}:{function.lineno}: command {name}() reaches Django before setup_django()"
            )
    return problems


def test_no_cli_command_reaches_django_before_setting_it_up():
    sources = {p.name: p.read_text(encoding="utf-8") for p in sorted(CLI_DIR.glob("*.py"))}
    assert "evidence_reading.py" in sources
    assert cli_import_problems(sources) == []


def test_the_lint_finds_the_pattern_that_broke_evidence_cite():
    broken = """
import click
from kansenaudit.cli.runtime import setup_django

def _document(dossier_id):
    from kansenaudit.web.evidence.selectors import document_in_dossier
    setup_django()
    return document_in_dossier

@click.command("cite")
def cite():
    _document(1)
"""
    problems = cli_import_problems({"broken.py": broken})
    assert len(problems) == 1
    assert "command cite()" in problems[0]
    top = "from kansenaudit.web.evidence.models import Citation\n"
    assert "module level" in cli_import_problems({"top.py": top})[0]
