"""`kansenaudit uitvraag …`: the inventory request workbook out and its validated import back."""

from __future__ import annotations

import click


@click.group()
def uitvraag() -> None:
    """The uitvraag: a workbook per directie (template) and its validated import."""
