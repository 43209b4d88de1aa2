# SPDX-License-Identifier: EUPL-1.2
"""The fieldwork commands that need no database (pseudonymise a file without storing it)."""

from __future__ import annotations

import click

TOOL_COMMANDS: list[click.Command] = []
