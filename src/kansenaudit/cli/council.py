"""`kansenaudit council …`: export and import of the dossier's council register."""

from __future__ import annotations

import click


@click.group()
def council() -> None:
    """Information to the council: the items, their timeline and matrix."""
