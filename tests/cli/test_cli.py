"""The `kansenaudit` command, in-process against the test database and as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kansenaudit.cli.main import cli
from kansenaudit.web.core.models import AuditEvent
from kansenaudit.web.dossiers.models import Dossier, Membership


@pytest.fixture
def run(db):
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    return invoke


def test_help_lists_the_commands(run):
    result = run("--help")
    assert result.exit_code == 0
    for name in ("migrate", "serve", "dossier", "user", "demo", "manage"):
        assert name in result.output


def test_dossier_create_prints_the_id_and_logs(run):
    result = run("dossier", "create", "--title", "Kansen", "--municipality", "GM0363", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    dossier = Dossier.objects.get(pk=data["id"])
    assert dossier.title == "Kansen"
    event = AuditEvent.objects.get(dossier=dossier, action="dossier.create")
    assert event.actor is None
    assert event.actor_label.startswith("cli:")
    plain = run("dossier", "create", "--title", "Tweede", "--municipality", "GM0599")
    assert plain.output.strip().isdigit()


def test_dossier_list_json_and_text(run):
    run("dossier", "create", "--title", "Kansen", "--municipality", "GM0363")
    rows = json.loads(run("dossier", "list", "--json").output)
    assert [r["title"] for r in rows] == ["Kansen"]
    assert "GM0363" in run("dossier", "list").output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--title", "X", "--municipality", "Amsterdam"], "GM gevolgd door vier cijfers"),
        (
            [
                "--title",
                "X",
                "--municipality",
                "GM0363",
                "--period-start",
                "2026-01-01",
                "--period-end",
                "2025-01-01",
            ],
            "eindigt vóór",
        ),
    ],
)
def test_dossier_create_rejects_bad_input_without_traceback(run, args, message):
    result = run("dossier", "create", *args)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert Dossier.objects.count() == 0


def test_user_create_with_role(run):
    dossier_id = json.loads(
        run("dossier", "create", "--title", "K", "--municipality", "GM0363", "--json").output
    )["id"]
    result = run(
        "user", "create", "jane", "--dossier", str(dossier_id), "--role", "projectleider", "--json"
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["created"]
    assert len(data["password"]) >= 12
    membership = Membership.objects.get(dossier_id=dossier_id, user__username="jane")
    assert membership.role == "projectleider"
    assert membership.user.check_password(data["password"])
    # The only projectleider cannot be demoted: a clear error, nothing changed.
    again = run("user", "create", "jane", "--dossier", str(dossier_id), "--role", "reviewer")
    assert again.exit_code == 1
    assert "projectleider" in again.output
    membership.refresh_from_db()
    assert membership.role == "projectleider"
    other = run("user", "create", "piet", "--dossier", str(dossier_id), "--role", "meelezer")
    assert other.exit_code == 0
    promoted = run("user", "create", "piet", "--dossier", str(dossier_id), "--role", "reviewer")
    assert promoted.exit_code == 0
    assert "exists" in promoted.output
    assert Membership.objects.get(dossier_id=dossier_id, user__username="piet").role == "reviewer"


def test_user_create_reads_password_and_checks_its_strength(run):
    weak = run("user", "create", "kees", "--password-stdin", input="123\n")
    assert weak.exit_code == 1
    assert "Traceback" not in weak.output
    ok = run("user", "create", "kees", "--password-stdin", input="een-lang-wachtwoord-2026\n")
    assert ok.exit_code == 0


def test_user_create_errors(run):
    assert run("user", "create", "x", "--dossier", "5").exit_code == 2  # --role missing
    result = run("user", "create", "x", "--dossier", "999", "--role", "meelezer")
    assert result.exit_code == 1
    assert "No dossier with id 999" in result.output
    assert run("user", "create", "x", "--role", "baas").exit_code == 2


def test_show_unknown_dossier(run):
    result = run("dossier", "show", "42")
    assert result.exit_code == 1
    assert "No dossier with id 42" in result.output


def test_real_process_against_a_fresh_sqlite_folder(tmp_path: Path):
    """The installed entry point: migrate, create, list, demo load — and useful errors."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("KANSENAUDIT_") and k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")
    }
    env.update(
        {
            "KANSENAUDIT_DATA_DIR": str(tmp_path / "data"),
            "KANSENAUDIT_SECRET_KEY": "cli-test-key-" + "0123456789" * 5,
        }
    )
    exe = [sys.executable, "-m", "kansenaudit.cli"]

    def call(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*exe, *args], env=env, capture_output=True, text=True, timeout=300, check=False
        )

    not_migrated = call("dossier", "list")
    assert not_migrated.returncode == 1
    assert "kansenaudit migrate" in not_migrated.stderr
    assert "Traceback" not in not_migrated.stderr
    assert call("migrate").returncode == 0
    assert (tmp_path / "data" / "kansenaudit.sqlite3").exists()
    created = call("dossier", "create", "--title", "Echt", "--municipality", "GM0363", "--json")
    assert created.returncode == 0, created.stderr
    listed = json.loads(call("dossier", "list", "--json").stdout)
    assert listed[0]["title"] == "Echt"
    assert call("migrate", "--check").returncode == 0
    refused = call("demo", "load")  # not in demo mode: published passwords stay out
    assert refused.returncode == 1
    assert "demo mode" in refused.stderr
