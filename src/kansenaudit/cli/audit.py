# SPDX-License-Identifier: EUPL-1.2
"""`kansenaudit audit …`: checking the audit log's hash chain."""

from __future__ import annotations

import click

from kansenaudit.cli.output import emit, json_option
from kansenaudit.cli.runtime import require_migrated, setup_django


@click.group()
def audit() -> None:
    """The audit log."""


@audit.command("verify")
@click.option(
    "--expect-head",
    "expect_head",
    metavar="ID:HASH",
    help="A head printed by an earlier run and kept outside the database: fail unless event ID "
    "still has HASH.",
)
@json_option
def verify(expect_head: str | None, as_json: bool) -> None:
    """Check every event's link in the hash chain; print the head (ID:HASH) to record elsewhere.

    Exits 1 and names the first broken link when an event was changed, removed or inserted
    outside the application, when the recorded head no longer holds, or when the append-only
    triggers are missing.
    """
    setup_django()
    require_migrated()
    from kansenaudit.web.core.audit_chain import audit_chain_verify, parse_head

    try:
        expected = parse_head(expect_head) if expect_head else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--expect-head") from exc
    report = audit_chain_verify(expect_head=expected)
    emit(report.as_dict(), as_json, lambda: _text(report))
    if not report.ok:
        raise SystemExit(1)


def _text(report) -> str:  # noqa: ANN001
    lines = []
    if report.broken:
        lines.append(f"BROKEN: the audit log was changed at {report.broken}.")
    if report.head_problem:
        lines.append(f"BROKEN: {report.head_problem}.")
    if report.missing_triggers:
        lines.append("MISSING TRIGGERS: " + ", ".join(report.missing_triggers))
    if report.ok:
        lines.append(f"Audit log intact: {report.events} event(s).")
    else:
        lines.append(f"{report.events} event(s) checked.")
    lines.append(f"Head: {report.head or 'none (empty log)'}")
    return "\n".join(lines)
