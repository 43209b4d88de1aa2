# SPDX-License-Identifier: EUPL-1.2
"""`kansenaudit network …`: network maps of actors and their flows."""

from __future__ import annotations

import click


@click.group()
def network() -> None:
    """Network maps: import, export, metrics and audit checks."""
