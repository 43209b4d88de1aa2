# SPDX-License-Identifier: EUPL-1.2
"""Cross-cutting pieces: the append-only audit log, health, errors and the page layout."""
