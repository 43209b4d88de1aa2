# SPDX-License-Identifier: EUPL-1.2
"""`kansenaudit demo …`: the bundled fictional demo city Voorbeeldstad."""

from __future__ import annotations

import sys

import click

from kansenaudit.cli.output import emit, json_option
from kansenaudit.cli.runtime import require_migrated, setup_django


@click.group()
def demo() -> None:
    """The bundled demo (fictional data, works offline)."""


@demo.command("load")
@click.option("--seed", default=2019, show_default=True, help="Seed of the demo generator.")
@json_option
def load(seed: int, as_json: bool) -> None:
    """Load the demo city, its dossier and one account per role (once; reruns change nothing).

    Only in demo mode (KANSENAUDIT_DEMO=1): the demo accounts have a published password.
    """
    from kansenaudit import config

    if not config.demo_mode():
        raise click.ClickException(
            "The demo creates accounts with a published password; run it only in demo mode "
            "(KANSENAUDIT_DEMO=1), never against a production database."
        )
    setup_django()
    require_migrated()
    from kansenaudit.web.demo.services import demo_load

    # Progress goes to stderr: with --json, stdout holds the JSON and nothing else.
    with click.progressbar(length=1, label="Loading demo (fictional data)", file=sys.stderr) as bar:
        result = demo_load(seed=seed)
        bar.update(1)
    data = {
        "dossier_id": result.dossier_id,
        "created": result.created,
        "areas": result.areas,
        "values": result.values,
        "usernames": list(result.usernames),
    }
    emit(data, as_json, lambda: _summary(result))


def _summary(result: object) -> str:
    if not result.created:
        return f"Demo already loaded (dossier {result.dossier_id})."
    return (
        f"Demo loaded: dossier {result.dossier_id}, {result.areas} areas, "
        f"{result.values} indicator values (fictional data)."
    )


DEMO_ROLE_NOTES = {
    "projectleider": "project leader, may do everything in the demo dossier",
    "onderzoeker": "researcher, does the work (documents, citations, register, assessments)",
    "reviewer": "reviewer, reads everything, writes review notes, signs off",
    "meelezer": "reader, sees the dossier and changes nothing",
    "beheerder": "site administrator, manages accounts and sees no dossier",
    "ander-team": "the only member of a second, confidential dossier: shows that a dossier is "
    "visible to its own team only",
}


def print_demo_accounts(result: object, *, url: str) -> None:
    """Tell the person who ran `make demo` how to log in."""
    click.echo("")
    click.echo(f"Kansenaudit demo (fictional data, Voorbeeldstad): {url}")
    click.echo(f"Log in with one of these accounts, password '{result.password}':")
    for username in result.usernames:
        note = DEMO_ROLE_NOTES.get(username, "")
        click.echo(f"  - {username}" + (f": {note}" if note else ""))
    click.echo("")
