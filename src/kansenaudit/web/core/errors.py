# SPDX-License-Identifier: EUPL-1.2
"""The one error type the web services raise for a change they refuse.

Every app's service error (``DossierError``, ``PolicyError``, ...) subclasses ``ServiceError``, so a
view or CLI command catches them all in one place and shows the same sentence. The message is an
English msgid (often ``gettext_lazy``) with optional ``%(name)s`` params; ``str(exc)`` renders it in
the language active when it is shown, not the one active when it was raised. ``ServiceError`` stays
a ``ValueError`` so existing ``except ValueError`` callers keep working.
"""

from __future__ import annotations

from typing import Any


class ServiceError(ValueError):
    """A change a service refuses; ``str(exc)`` is the sentence for the user."""

    def __init__(self, message: Any = "", params: dict[str, Any] | None = None) -> None:
        self.message = message
        self.params = dict(params or {})
        super().__init__(message)

    def __str__(self) -> str:
        # str() of a lazy message translates it now, in the active language.
        text = str(self.message)
        return text % self.params if self.params else text
