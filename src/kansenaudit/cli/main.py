# SPDX-License-Identifier: EUPL-1.2
"""Entry point of the ``kansenaudit`` command. Subcommands live in one module per domain."""

from __future__ import annotations

import os

import click

from kansenaudit import __version__
from kansenaudit.cli.audit import audit
from kansenaudit.cli.council import council
from kansenaudit.cli.demo import demo
from kansenaudit.cli.dossier import dossier
from kansenaudit.cli.evidence import evidence
from kansenaudit.cli.fieldwork import fieldwork
from kansenaudit.cli.findings import findings
from kansenaudit.cli.judgements import judgements
from kansenaudit.cli.network import network
from kansenaudit.cli.policy import policy
from kansenaudit.cli.report import report
from kansenaudit.cli.server import manage, migrate, serve
from kansenaudit.cli.staat import data, staat
from kansenaudit.cli.uitvraag import uitvraag
from kansenaudit.cli.user import user
from kansenaudit.cli.worker import worker


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kansenaudit")
def cli() -> None:
    """Kansenaudit: audit a municipality's policy on equality of opportunity.

    The database comes from DATABASE_URL (default: SQLite in the data folder) and the data
    folder from KANSENAUDIT_DATA_DIR (default: ./var). See docs/cli.md.
    """


for command in (
    migrate,
    serve,
    worker,
    manage,
    dossier,
    user,
    demo,
    data,
    staat,
    evidence,
    policy,
    uitvraag,
    judgements,
    council,
    fieldwork,
    network,
    findings,
    report,
    audit,
):
    cli.add_command(command)


def main() -> None:
    """Console-script entry point."""
    # Everything the command creates (data folder, SQLite files, evidence, reports) is private
    # to the user running it; Django's start sets the same (web.core.startup.PRIVATE_UMASK).
    os.umask(0o077)
    cli(prog_name="kansenaudit")
