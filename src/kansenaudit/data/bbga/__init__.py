# SPDX-License-Identifier: EUPL-1.2
"""Readers for OIS Amsterdam's Basisbestand Gebieden Amsterdam (BBGA) and its variable metadata.

The BBGA is one long table, a row per year × area × variable (``jaar, gebiedcode15,
variabele, waarde``; ``gebiedcode22`` from the 2022 release on), and a metadata table with a row
per variable. :func:`read_bbga` turns the long table into the tidy table of
:mod:`kansenaudit.data.tidy`; :func:`read_bbga_metadata` reads the metadata into
:class:`VariableMeta` records; :func:`check_variables` lists variables that have data but no
metadata. See ``docs/sources/bbga.md`` for the source and its quirks.

The long table is read in :mod:`~kansenaudit.data.bbga.table`, the metadata (and what its
codes mean) in :mod:`~kansenaudit.data.bbga.metadata`.
"""

from kansenaudit.data.bbga.metadata import (
    BBGAMetadata,
    VariableMeta,
    check_variables,
    read_bbga_metadata,
)
from kansenaudit.data.bbga.table import MISSING_TOKENS, read_bbga

__all__ = [
    "MISSING_TOKENS",
    "BBGAMetadata",
    "VariableMeta",
    "check_variables",
    "read_bbga",
    "read_bbga_metadata",
]
