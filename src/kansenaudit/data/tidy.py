# SPDX-License-Identifier: EUPL-1.2
"""The one tidy long table every source reader produces, and the way readers report problems.

Every reader in :mod:`kansenaudit.data` (BBGA, CBS StatLine, CBS Kerncijfers wijken en buurten,
SES-WOA, CBS OData) returns a :class:`ReadResult`: a Polars data frame with exactly the columns
of :data:`TIDY_SCHEMA`, plus the list of :class:`ReadIssue` it met on the way. A reader never
drops a row silently: a row it cannot use becomes an issue naming file, row and code, and the
run goes on. Only a file that cannot be read at all (no header, wrong format) raises
:class:`SourceFormatError`.

Columns
-------
indicator : str
    The source's own variable name (``IWWB_P`` for BBGA, the column or topic key for CBS);
    the catalogue (:mod:`kansenaudit.data.catalogue`) maps these to indicator keys.
area_code, area_level : str
    The area code as the source gives it (``DX01``, ``A``, ``STAD``, ``WK036300``) and its
    level: ``stad``, ``stadsdeel``, ``gebied``, ``wijk``, ``buurt``, ``gemeente``, ``land``
    or ``overig`` (e.g. BBGA's ``ZX99`` "not assigned").
group : str
    ``"totaal"`` or ``"<dimension>:<category>"``.
period : int
    The year.
value : float or null
    Null when the source says missing or secret; then ``flags`` says which.
n, numerator, denominator : float or null
    The base of the value where the source gives it.
source, release, source_file : str
    Publisher and product (``"OIS BBGA"``), release (``"2018"``), and the file's name.
row : int
    Line number in the source file (1 = header), so a number can be traced to its line.
is_prognosis : bool
    True for OIS forecasts and years beyond the release's present: never mix with observations.
flags : list of str
    E.g. ``"missing"``, ``"secret"``, ``"decimal-comma"``, ``"crosswalk:<method>"``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

__all__ = [
    "TIDY_SCHEMA",
    "TOTAL_GROUP",
    "ReadIssue",
    "ReadResult",
    "SourceFormatError",
    "empty_tidy",
    "tidy_frame",
]

TOTAL_GROUP = "totaal"

TIDY_SCHEMA: dict[str, pl.DataType] = {
    "indicator": pl.Utf8(),
    "area_code": pl.Utf8(),
    "area_level": pl.Utf8(),
    "group": pl.Utf8(),
    "period": pl.Int32(),
    "value": pl.Float64(),
    "n": pl.Float64(),
    "numerator": pl.Float64(),
    "denominator": pl.Float64(),
    "source": pl.Utf8(),
    "release": pl.Utf8(),
    "source_file": pl.Utf8(),
    "row": pl.Int64(),
    "is_prognosis": pl.Boolean(),
    "flags": pl.List(pl.Utf8()),
}


class SourceFormatError(ValueError):
    """A source file that cannot be read at all; the message names the file (and row/field)."""

    def __init__(
        self, message: str, *, file: str | Path, row: int | None = None, field: str | None = None
    ) -> None:
        self.file = str(file)
        self.row = row
        self.field = field
        where = Path(self.file).name
        if row is not None:
            where += f", regel {row}"
        if field is not None:
            where += f", veld {field!r}"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class ReadIssue:
    """One problem met while reading: a warning (row skipped or value flagged) or an error.

    ``code`` is the offending value or area/variable code, so an auditor can look it up.
    """

    severity: str  # "warning" or "error"
    file: str
    row: int | None
    field: str | None
    code: str | None
    message: str

    def __str__(self) -> str:
        where = Path(self.file).name
        if self.row is not None:
            where += f":{self.row}"
        if self.field:
            where += f" [{self.field}]"
        code = f" ({self.code})" if self.code else ""
        return f"{self.severity}: {where}{code}: {self.message}"

    def as_dict(self) -> dict:
        return {
            "severity": self.severity,
            "file": Path(self.file).name,
            "row": self.row,
            "field": self.field,
            "code": self.code,
            "message": self.message,
        }


@dataclass
class ReadResult:
    """What a reader returns: the tidy table, the issues, and facts about the file."""

    table: pl.DataFrame
    issues: list[ReadIssue] = field(default_factory=list)
    meta: dict = field(default_factory=dict)

    @property
    def warnings(self) -> list[ReadIssue]:
        return [i for i in self.issues if i.severity == "warning"]

    @property
    def errors(self) -> list[ReadIssue]:
        return [i for i in self.issues if i.severity == "error"]


def empty_tidy() -> pl.DataFrame:
    """An empty frame with the tidy schema."""
    return pl.DataFrame(schema=TIDY_SCHEMA)


def tidy_frame(columns: Mapping[str, list | pl.Series]) -> pl.DataFrame:
    """Build a tidy frame from columns, filling absent optional columns and fixing dtypes.

    Examples
    --------
    >>> df = tidy_frame({"indicator": ["X"], "area_code": ["A"], "area_level": ["stadsdeel"],
    ...                  "period": [2019], "value": [1.5], "source": ["test"]})
    >>> df.columns == list(TIDY_SCHEMA) and df["group"][0] == "totaal"
    True
    """
    if not columns:
        return empty_tidy()
    length = len(next(iter(columns.values())))
    defaults: dict[str, object] = {
        "group": TOTAL_GROUP,
        "release": "",
        "source_file": "",
        "is_prognosis": False,
    }
    data: dict[str, pl.Series] = {}
    for name, dtype in TIDY_SCHEMA.items():
        if name in columns:
            data[name] = pl.Series(name, columns[name]).cast(dtype)
        elif name == "flags":
            data[name] = pl.Series(name, [[] for _ in range(length)], dtype=dtype)
        else:
            data[name] = pl.Series(name, [defaults.get(name)] * length, dtype=dtype)
    unknown = set(columns) - set(TIDY_SCHEMA)
    if unknown:
        raise ValueError(f"unknown tidy columns: {sorted(unknown)}")
    return pl.DataFrame(data)
