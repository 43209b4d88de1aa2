# SPDX-License-Identifier: EUPL-1.2
"""`kansenaudit fieldwork …`: the practice study (deelvraag 3) from the command line.

The group holds the fieldwork commands (selection, transcripts, pseudonymisation) and, from
``cli/fieldwork_coding.py``, those of qualitative coding (agreement, REFI-QDA exchange), and
from ``cli/fieldwork_tools.py`` those that need no database (pseudonymise a file).
"""

from __future__ import annotations

import click

from kansenaudit.cli.fieldwork_coding import CODING_COMMANDS
from kansenaudit.cli.fieldwork_tools import TOOL_COMMANDS


@click.group()
def fieldwork() -> None:
    """Practice study: measures, sessions, transcripts, coding and REFI-QDA exchange."""


for _command in (*CODING_COMMANDS, *TOOL_COMMANDS):
    fieldwork.add_command(_command)
