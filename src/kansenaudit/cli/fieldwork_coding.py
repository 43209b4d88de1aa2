# SPDX-License-Identifier: EUPL-1.2
"""The qualitative-coding commands of `kansenaudit fieldwork …` (agreement, REFI-QDA)."""

from __future__ import annotations

import click

CODING_COMMANDS: list[click.Command] = []
