# SPDX-License-Identifier: EUPL-1.2
"""`kansenaudit findings …`: normenkader, findings, conclusions, recommendations, wederhoor."""

from __future__ import annotations

import click


@click.group()
def findings() -> None:
    """Findings, conclusions and recommendations, their checks and the wederhoor."""
