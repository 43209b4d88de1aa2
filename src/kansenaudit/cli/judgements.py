"""`kansenaudit judgements …`: export and import of the dossier's judgements register."""

from __future__ import annotations

import click


@click.group()
def judgements() -> None:
    """Judgements against the assessment frameworks: export, agreement, frameworks."""
