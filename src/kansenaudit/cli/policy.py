"""`kansenaudit policy …`: export and import the policy registers of a dossier."""

from __future__ import annotations

import click


@click.group()
def policy() -> None:
    """The policy registers of a dossier: actors, goals, measures, indicators, judgements."""
