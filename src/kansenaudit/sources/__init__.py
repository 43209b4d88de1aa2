# SPDX-License-Identifier: EUPL-1.2
"""Fetchers of published sources, and the one HTTP client they share. No Django.

- :mod:`kansenaudit.sources.http` – the HTTP client: timeouts, retries that honour
  ``Retry-After``, size limits, guarded redirects, one error type
- :mod:`kansenaudit.sources.council_documents` – council documents: the OpenBesluitvorming
  API client, saved Notubiz meetings, and the provenance record of each document

The readers of statistical sources and the source pull (``kansenaudit data pull``) stay in
:mod:`kansenaudit.data`; they fetch through :mod:`kansenaudit.sources.http` as well.
"""

from kansenaudit import __version__

__all__ = ["USER_AGENT"]

#: Sent with every request Kansenaudit makes: the product, its version and where to find it.
USER_AGENT = f"Kansenaudit/{__version__} (+https://github.com/kansenaudit/kansenaudit)"
