"""Printing results for people (plain text) or scripts (``--json``)."""

from __future__ import annotations

import json
from collections.abc import Callable

import click

json_option = click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")


def emit(data: object, as_json: bool, text: Callable[[], str] | str) -> None:
    """Print ``data`` as JSON, or the human text (a string or a function producing it)."""
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        click.echo(text() if callable(text) else text)
