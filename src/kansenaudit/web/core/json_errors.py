# SPDX-License-Identifier: EUPL-1.2
"""A JSON syntax error as a sentence a person can act on, instead of Python's own message
("Expecting ',' delimiter: line 3 column 5 (char 27)")."""

from __future__ import annotations

import json
import logging

from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def _what(message: str) -> str:
    known = {
        "Expecting value": _("a value is missing (or there is one comma too many)"),
        "Expecting ',' delimiter": _("a comma is missing"),
        "Expecting ':' delimiter": _("a colon is missing"),
        "Expecting property name enclosed in double quotes": _(
            "a name is not between double quotes (or there is one comma too many)"
        ),
        "Unterminated string starting at": _("a text is not closed with a double quote"),
        "Extra data": _("more follows after the end of the data"),
        "Invalid control character at": _(
            "a text holds a line break or tab, which JSON writes as %(newline)s or %(tab)s"
        )
        % {"newline": "\\n", "tab": "\\t"},
    }
    for start, text in known.items():
        if message.startswith(start):
            return text
    if "escape" in message:
        return _("a backslash (%(backslash)s) is used in a way JSON does not allow") % {
            "backslash": "\\"
        }
    return _("the structure is not valid JSON")


def json_problem(exc: json.JSONDecodeError) -> str:
    """What is wrong and where, and what to do (Python's message goes to the log)."""
    logger.info("invalid JSON: %s", exc)
    return _(
        "the file is not valid JSON: at line %(line)s, column %(column)s %(what)s. Correct it "
        "in a text editor (or export it again) and upload it again."
    ) % {"line": exc.lineno, "column": exc.colno, "what": _what(exc.msg)}
