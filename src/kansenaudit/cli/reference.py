# SPDX-License-Identifier: EUPL-1.2
"""Generate docs/cli.md from the commands themselves (``make docs``); a test keeps it current."""

from __future__ import annotations

import click

from kansenaudit.cli.main import cli

HEADER = """# CLI reference

Generated from the code by `make docs` — do not edit by hand.

The database comes from `DATABASE_URL` and the data folder from `KANSENAUDIT_DATA_DIR`
(see [configuration](configuration.md)). Errors are printed as one line starting with
`Error:` and the command exits non-zero; `--json` prints machine-readable output.
"""


def _walk(command: click.Command, path: list[str]) -> list[tuple[list[str], click.Command]]:
    found = [(path, command)]
    if isinstance(command, click.Group):
        for name in sorted(command.commands):
            found += _walk(command.commands[name], [*path, name])
    return found


def iter_commands() -> list[tuple[str, click.Command]]:
    """Every command as (full name, command), e.g. ('kansenaudit dossier create', …)."""
    return [(" ".join(["kansenaudit", *p]), c) for p, c in _walk(cli, [])]


def render_reference() -> str:
    """The whole CLI reference as Markdown."""
    parts = [HEADER]
    for name, command in iter_commands():
        with click.Context(
            command,
            info_name=name,
            terminal_width=88,
            max_content_width=88,
            help_option_names=["-h", "--help"],
        ) as ctx:
            help_text = command.get_help(ctx)
        parts.append(f"## `{name}`\n\n```text\n{help_text}\n```\n")
    return "\n".join(parts)


if __name__ == "__main__":
    click.echo(render_reference(), nl=False)
