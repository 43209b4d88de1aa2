# SPDX-License-Identifier: EUPL-1.2
"""Reading JSON that a user or another server sent, with every number kept within bounds.

``json.loads`` turns ``1`` followed by 100,000 zeros into a Python ``int`` only to fail later
(Python refuses to convert integers of more than 4,300 digits, with a ``ValueError`` that is not
a ``JSONDecodeError``), and ``1e400`` into ``inf``, which no register can store. :func:`loads`
reads such a number as a marker instead, then reports the first one with the place where it
stands (``indicators[0].values[2].value``), so the caller can name the field in its message.
No Django: the web imports, the CLI and the council clients share it.
"""

from __future__ import annotations

import json
import math
from typing import Any

__all__ = ["MAX_INTEGER_DIGITS", "JsonNumberError", "loads"]

# Far above any amount, count or year in a register (a 64-bit integer has 19 digits), and far
# below Python's 4,300-digit limit.
MAX_INTEGER_DIGITS = 18


class JsonNumberError(ValueError):
    """A number in the JSON is too large or not finite; ``path`` says where it stands."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.text = text
        count = f"{len(text):,}".replace(",", ".")  # Dutch thousands separator
        shown = text if len(text) <= 24 else f"{text[:12]}… ({count} tekens)"
        where = f"veld '{path}'" if path else "het bestand"
        super().__init__(
            f"{where}: het getal {shown} is te groot of niet eindig "
            f"(ten hoogste {MAX_INTEGER_DIGITS} cijfers)"
        )


class _Refused:
    """Stands in for a number that was not converted."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def _int(text: str) -> int | _Refused:
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        return _Refused(text)
    return int(text)


def _float(text: str) -> float | _Refused:
    value = float(text)  # never raises for JSON's number syntax; overflows to inf
    return value if math.isfinite(value) else _Refused(text)


def _first_refused(data: Any) -> tuple[str, str] | None:
    """The path and text of the first refused number, depth first (without recursion)."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, _Refused):
            return path, value.text
        if isinstance(value, dict):
            stack.extend(
                (f"{path}.{key}" if path else str(key), item)
                for key, item in reversed(list(value.items()))
            )
        elif isinstance(value, list):
            stack.extend((f"{path}[{i}]", item) for i, item in reversed(list(enumerate(value))))
    return None


def loads(text: str | bytes) -> Any:
    """Parse JSON like :func:`json.loads`, refusing absurd numbers.

    Raises
    ------
    json.JSONDecodeError
        Not JSON (with line and column), as ``json.loads``.
    JsonNumberError
        An integer of more than :data:`MAX_INTEGER_DIGITS` digits, a number beyond the range of
        a float (``1e400``), or ``NaN``/``Infinity``; the message names the field.
    RecursionError
        Absurdly deep nesting, as ``json.loads``.

    Examples
    --------
    >>> loads('{"year": 2024, "value": 1.5}')
    {'year': 2024, 'value': 1.5}
    >>> loads('{"values": [{"value": 1e400}]}')
    Traceback (most recent call last):
    ...
    kansenaudit.safe_json.JsonNumberError: veld 'values[0].value': het getal 1e400 is te groot \
of niet eindig (ten hoogste 18 cijfers)
    """
    refused = False

    def mark(kind: Any) -> Any:
        def convert(token: str) -> Any:
            nonlocal refused
            value = kind(token)
            refused |= isinstance(value, _Refused)
            return value

        return convert

    data = json.loads(
        text, parse_int=mark(_int), parse_float=mark(_float), parse_constant=mark(_Refused)
    )
    if refused:
        found = _first_refused(data)
        raise JsonNumberError(*(found or ("", "?")))
    return data
