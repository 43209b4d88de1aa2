# SPDX-License-Identifier: EUPL-1.2
"""Printing results for people (plain text) or scripts (``--json``)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click

json_option = click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")


def emit(data: object, as_json: bool, text: Callable[[], str] | str) -> None:
    """Print ``data`` as JSON, or the human text (a string or a function producing it)."""
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        click.echo(text() if callable(text) else text)


@contextmanager
def refused_as_click(prefix: str = "") -> Iterator[None]:
    """Turn a change a web service refuses into the CLI's error: the same sentence as on the web.

    For use after ``setup_django()``: the import stays inside so ``--help`` needs no Django."""
    from kansenaudit.web.core.errors import ServiceError

    try:
        yield
    except ServiceError as exc:
        raise click.ClickException(f"{prefix}{exc}") from exc
