# SPDX-License-Identifier: EUPL-1.2
"""Kansenaudit: auditing a municipality's policy on equality of opportunity.

Layers (see docs/ARCHITECTURE.md):

- :mod:`kansenaudit.stats` – statistics engine (never imports Django)
- :mod:`kansenaudit.data` – readers of published sources and the demo city generator
- :mod:`kansenaudit.ingest` – document ingestion
- :mod:`kansenaudit.sources` – fetchers of published sources and the one HTTP client
- :mod:`kansenaudit.reporting` – report building
- :mod:`kansenaudit.cli` – the ``kansenaudit`` command
- :mod:`kansenaudit.web` – the Django workbench, one app per domain
"""

__version__ = "0.1.0"
