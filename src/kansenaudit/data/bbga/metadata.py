# SPDX-License-Identifier: EUPL-1.2
"""Reader for the BBGA variable metadata, and the check of data against it.

:func:`read_bbga_metadata` reads the metadata (a row per variable) into
:class:`VariableMeta` records; :func:`check_variables` lists variables that have data but no
metadata.

What the metadata codes mean (an inference, not a documented fact)
------------------------------------------------------------------
OIS publishes no code list for ``Kleurenpalet`` and ``Rekeneenheid``. What follows was read
from the two real metadata files (2018 release, 757 variables; DataPunt test fixture, 792) and
from the colour table of the municipality's own GGW dashboard (``Amsterdam/ggw-dashboard``,
``src/static/kleurcodetabel.json``), which names palette 1 "hoog is groen", 2 "laag is groen",
3 "hoog is blauw" (legend "meer/minder") and 9 "geen kleuren/absolute aantallen", and which
reverses the z-score colour only for palette 2.

``Kleurenpalet`` → ``polarity``
    ``2`` → −1, higher is worse: every variable with palette 2 is a burden (``WZROOK_P`` %
    rokers, ``IWWB_P`` bijstand, ``PWERKLBBV_P`` werkloosheid, ``SKSES234_P`` low SES, the
    safety and nuisance indices, ``IGINI``). ``1`` → +1, higher is shown green
    (``WZGEZOND_P`` % (zeer) goed gezond, ``PWERKEND_P`` arbeidsparticipatie, ``OCITO_GEM``
    Cito score, satisfaction scores). **Caution:** in these older files palette 1 also holds
    compositional shares with no good or bad direction (``BEVVROUW_P`` % women, migration
    background and age shares, tenure, sector shares) and even a few that an audit of
    opportunity would read the other way (``BEVOPLLAAG_P`` % low education, ``OPROLWOO_P``
    PRO/LWOO school advice); later releases have palette 3 ("hoog is blauw") for neutral
    shares. Treat +1 as "OIS colours higher as better" and confirm the direction per indicator
    in the catalogue. ``3`` and ``9`` → 0, neutral (``9`` is used for absolute counts such as
    ``BEVTOTAAL`` and for a few survey items that are not mapped). Anything else → None.
``Rekeneenheid`` → ``unit``
    ``1`` percentage (``%``; 256 of 271 carry ``Symbool`` %) · ``2`` absolute number
    (``aantal``), with ``Symbool`` giving a physical unit where there is one (m², ha, per km²,
    kWp; eleven variables with ``Symbool`` % and a ``(%)`` label look miscoded and get ``%``) ·
    ``3`` rapportcijfer 1–10 (every label says "(1-10)" or "1-10:") · ``4`` index (the
    ``…_I`` variables) · ``5`` gemiddelde (WOZ value and income in euro, Cito score, SES
    score, average years of residence) · ``6`` per 1,000 (inhabitants or dwellings, from
    ``Symbool``) · ``7`` score 1–5 (only ``LHOMOTOL_5``) · ``8`` coefficient (Gini and
    Theil). ``unit_code`` keeps the raw code.
``SD minimum Bevtotaal`` / ``SD minimum WvoorrBAG``
    The number of residents or dwellings an area needs before OIS shows the value (``500`` for
    rates per 1,000 inhabitants, ``800`` for the SES variables, ``100``/``500`` dwellings for
    occupancy and fires). ``0`` or ``.`` means no minimum; both become None.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from kansenaudit.data.bbga._common import _decode, _sniff_separator, _warning
from kansenaudit.data.tidy import (
    ReadIssue,
    ReadResult,
    SourceFormatError,
)

# Normalised header name → VariableMeta field. Headers are compared lower case, with "_" as a
# space, so "Label_1" (the English label in the DataPunt file) is "label 1".
_META_COLUMNS = {
    "variabele": "variable",
    "thema": "theme",
    "label": "label",
    "labelkort": "label_short",
    "definitie": "definition",
    "bron": "source",
    "peildatum": "reference_date",
    "verschijningsfrequentie": "frequency",
    "rekeneenheid": "unit_code",
    "symbool": "symbol",
    "kleurenpalet": "palette_code",
    "sd minimum bevtotaal": "min_population",
    "sd minimum wvoorrbag": "min_dwellings",
    "label 1": "label_en",
    "definition": "definition_en",
}
# Free-text columns in which an unquoted comma has been seen to split a field in two.
_TEXT_COLUMNS = ("label", "labelkort", "definitie", "bron")
_PALETTE_POLARITY = {"1": 1, "2": -1, "3": 0, "9": 0}
_SYMBOL_UNITS = {
    "%": "%",
    "m2": "m²",
    "ha": "ha",
    "/km2": "per km²",
    "/ha": "per ha",
    "kwpiek": "kWp",
    "euro": "euro",
    "euro/m2": "euro per m²",
    "jaar": "jaar",
    "/1.000 inw.": "per 1.000 inwoners",
    "/1.000 won.": "per 1.000 woningen",
    "/1.000 woningen": "per 1.000 woningen",
}


@dataclass(frozen=True)
class VariableMeta:
    """What the BBGA metadata says about one variable.

    Text fields are stripped and their runs of white space collapsed (the definition keeps its
    line breaks); ``""`` and ``"."`` become None. ``unit`` and ``polarity`` are inferred from
    ``unit_code`` (Rekeneenheid), ``symbol`` (Symbool) and ``palette_code`` (Kleurenpalet), see
    the module docstring. ``min_population`` and ``min_dwellings`` are the residents or
    dwellings an area needs before OIS shows the value (None: no minimum). ``row`` is the
    line in the metadata file where the variable's record starts.
    """

    variable: str
    theme: str | None = None
    label: str | None = None
    label_short: str | None = None
    definition: str | None = None
    source: str | None = None
    reference_date: str | None = None
    frequency: str | None = None
    unit: str | None = None
    unit_code: str | None = None
    polarity: int | None = None
    min_population: int | None = None
    min_dwellings: int | None = None
    label_en: str | None = None
    definition_en: str | None = None
    symbol: str | None = None
    palette_code: str | None = None
    row: int | None = None


class BBGAMetadata(Mapping[str, VariableMeta]):
    """The BBGA metadata: a read-only mapping from upper-case variable name to VariableMeta.

    ``issues`` lists what went wrong while reading; ``meta`` has ``rows_read``,
    ``rows_kept``, ``columns``, ``separator``, ``encoding``, ``sha256`` and ``source_file``.
    """

    def __init__(
        self,
        variables: dict[str, VariableMeta],
        *,
        issues: list[ReadIssue] | None = None,
        meta: dict | None = None,
    ) -> None:
        self._variables = dict(variables)
        self.issues = list(issues or [])
        self.meta = dict(meta or {})

    def __getitem__(self, key: str) -> VariableMeta:
        return self._variables[key.strip().upper()]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.strip().upper() in self._variables

    def __iter__(self) -> Iterator[str]:
        return iter(self._variables)

    def __len__(self) -> int:
        return len(self._variables)

    def __repr__(self) -> str:
        return f"<BBGAMetadata {self.meta.get('source_file', '')!r}: {len(self)} variables>"

    def missing_variables(self, table: pl.DataFrame) -> list[str]:
        """Variables in a tidy table (column ``indicator``) that this metadata lacks, sorted.

        Examples
        --------
        >>> metadata = BBGAMetadata({"BEVTOTAAL": VariableMeta("BEVTOTAAL")})
        >>> metadata.missing_variables(pl.DataFrame({"indicator": ["BEVTOTAAL", "X_P", "X_P"]}))
        ['X_P']
        """
        present = table.get_column("indicator").unique().to_list()
        return sorted(name for name in present if name is not None and name not in self)


def _clean(text: str | None, *, keep_lines: bool = False) -> str | None:
    if text is None:
        return None
    if keep_lines:
        lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").split("\n")]
        cleaned = "\n".join(lines).strip()
    else:
        cleaned = " ".join(text.split())
    return None if cleaned in ("", ".") else cleaned


def _minimum(text: str | None) -> int | None:
    cleaned = _clean(text)
    if cleaned is None or not cleaned.isdigit():
        return None
    return int(cleaned) or None


def _unit(code: str | None, symbol: str | None) -> str | None:
    """A readable unit from Rekeneenheid and Symbool (see the module docstring)."""
    symbol_unit = _SYMBOL_UNITS.get(symbol.lower(), symbol) if symbol else None
    if code == "1":
        return "%"
    if code == "2":
        return symbol_unit or "aantal"
    if code == "3":
        return "rapportcijfer (1-10)"
    if code == "4":
        return "index"
    if code == "5":
        return f"gemiddelde ({symbol_unit})" if symbol_unit else "gemiddelde"
    if code == "6":
        return symbol_unit if symbol_unit and symbol_unit.startswith("per 1.000") else "per 1.000"
    if code == "7":
        return "score (1-5)"
    if code == "8":
        return "coëfficiënt"
    return symbol_unit


def _repair_shifted(
    fields: list[str], names: list[str], extra: int
) -> tuple[list[str], str | None] | None:
    """Undo a row split by an unquoted comma in a text field, or None if no repair fits.

    The 2018 metadata has ``Eigen woning (65+, 1-10)`` unquoted: the comma pushes every later
    field one column to the right. The split field is the text field with an unclosed
    parenthesis; after merging, the coded columns must hold codes again.
    """
    for name in _TEXT_COLUMNS:
        if name not in names:
            continue
        at = names.index(name)
        if fields[at].count("(") <= fields[at].count(")"):
            continue
        merged = [*fields[:at], ",".join(fields[at : at + extra + 1]), *fields[at + extra + 1 :]]
        coded = [merged[names.index(c)] for c in ("rekeneenheid", "kleurenpalet") if c in names]
        if all(value.strip() in ("", ".") or value.strip().isdigit() for value in coded):
            return merged, name
    return None


def read_bbga_metadata(path: str | Path) -> BBGAMetadata:
    """Read a BBGA metadata file into a mapping of upper-case variable → VariableMeta.

    Both known layouts are read: the 2018 release (comma, 21 columns with a trailing unnamed
    one) and the newer DataPunt layout (all fields quoted, 26 columns with English label and
    definition). Columns are found by name, in any order and case.

    Parameters
    ----------
    path : str or Path
        The metadata CSV.

    Returns
    -------
    BBGAMetadata
        With ``issues`` for rows that were repaired, shortened or skipped, and duplicates.

    Raises
    ------
    SourceFormatError
        If the file cannot be read, is empty, or has no ``Variabele`` column.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "meta.csv").write_text(
    ...     "Variabele,THEMA,Label,Rekeneenheid,Symbool,Kleurenpalet\\n"
    ...     "IWWB_P,Inkomen,Bijstand (% 15-65),1,%,2\\n"
    ...     "bevtotaal,Bevolking,Bevolking totaal,2,,9\\n")
    >>> metadata = read_bbga_metadata(folder / "meta.csv")
    >>> sorted(metadata)
    ['BEVTOTAAL', 'IWWB_P']
    >>> metadata["IWWB_P"].unit, metadata["IWWB_P"].polarity, metadata["BEVTOTAAL"].unit
    ('%', -1, 'aantal')
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceFormatError(f"cannot read the file: {exc.strerror or exc}", file=path) from exc
    issues: list[ReadIssue] = []
    text, encoding = _decode(raw, path, issues)
    if not text.strip():
        raise SourceFormatError("empty file: no header line", file=path, row=1)
    first_line = text.split("\n", 1)[0].rstrip("\r")
    separator = _sniff_separator(first_line)

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    names = [" ".join(n.strip().replace("_", " ").split()).lower() for n in next(reader)]
    if "variabele" not in names:
        raise SourceFormatError(
            f"missing column 'Variabele'; the header has {names}",
            file=path,
            row=1,
            field="Variabele",
        )
    named = max(i for i, name in enumerate(names) if name) + 1
    variables: dict[str, VariableMeta] = {}
    rows_read = 0
    start = reader.line_num + 1
    for fields in reader:
        row, start = start, reader.line_num + 1
        rows_read += 1
        # Trailing empty fields beyond the named columns are the 2018 file's unnamed column.
        while len(fields) > named and not fields[-1].strip():
            fields = fields[:-1]
        if not any(field.strip() for field in fields):
            issues.append(_warning(path, row, None, None, "empty row; skipped"))
            continue
        code = _clean(fields[names.index("variabele")]) if len(fields) > named else None
        if len(fields) > named:
            repaired = _repair_shifted(fields, names, len(fields) - named)
            if repaired is None:
                issues.append(
                    _warning(
                        path,
                        row,
                        None,
                        code,
                        f"{len(fields)} fields for {named} columns and no safe repair: only "
                        "the columns up to the label are kept",
                    )
                )
                keep = min(names.index(c) for c in _TEXT_COLUMNS if c in names) + 1
                fields = fields[:keep] + [""] * (named - keep)
            else:
                fields, column = repaired
                issues.append(
                    _warning(
                        path,
                        row,
                        column,
                        code,
                        f"an unquoted comma split {column!r} into two fields; merged again",
                    )
                )
        elif len(fields) < named:
            issues.append(
                _warning(
                    path,
                    row,
                    None,
                    _clean(fields[names.index("variabele")])
                    if len(fields) > names.index("variabele")
                    else None,
                    f"{len(fields)} fields for {named} columns; the missing ones are left empty",
                )
            )
            fields = fields + [""] * (named - len(fields))
        values = {
            _META_COLUMNS[name]: fields[i]
            for i, name in enumerate(names[:named])
            if name in _META_COLUMNS
        }
        variable = (_clean(values.get("variable")) or "").upper()
        if not variable:
            issues.append(_warning(path, row, "Variabele", None, "no variable name; row skipped"))
            continue
        if variable in variables:
            issues.append(
                _warning(
                    path,
                    row,
                    "Variabele",
                    variable,
                    f"variable listed again (first on line {variables[variable].row}); "
                    "the first is kept",
                )
            )
            continue
        unit_code = _clean(values.get("unit_code"))
        symbol = _clean(values.get("symbol"))
        palette = _clean(values.get("palette_code"))
        variables[variable] = VariableMeta(
            variable=variable,
            theme=_clean(values.get("theme")),
            label=_clean(values.get("label")),
            label_short=_clean(values.get("label_short")),
            definition=_clean(values.get("definition"), keep_lines=True),
            source=_clean(values.get("source")),
            reference_date=_clean(values.get("reference_date")),
            frequency=_clean(values.get("frequency")),
            unit=_unit(unit_code, symbol),
            unit_code=unit_code,
            polarity=_PALETTE_POLARITY.get(palette or ""),
            min_population=_minimum(values.get("min_population")),
            min_dwellings=_minimum(values.get("min_dwellings")),
            label_en=_clean(values.get("label_en")),
            definition_en=_clean(values.get("definition_en"), keep_lines=True),
            symbol=symbol,
            palette_code=palette,
            row=row,
        )
    meta = {
        "rows_read": rows_read,
        "rows_kept": len(variables),
        "columns": named,
        "separator": separator,
        "encoding": encoding,
        "sha256": hashlib.sha256(raw).hexdigest(),
        "source_file": path.name,
    }
    return BBGAMetadata(variables, issues=issues, meta=meta)


def check_variables(result: ReadResult, metadata: Mapping[str, VariableMeta]) -> list[ReadIssue]:
    """One warning per variable that has data in ``result`` but no entry in ``metadata``.

    Each warning names the data file, the variable and the first line where it occurs.

    Examples
    --------
    >>> from kansenaudit.data.tidy import tidy_frame
    >>> table = tidy_frame({"indicator": ["BEVTOTAAL", "NIEUW_P"], "area_code": ["STAD"] * 2,
    ...                     "period": [2018, 2018], "source_file": ["bbga.csv"] * 2,
    ...                     "row": [2, 3]})
    >>> issues = check_variables(ReadResult(table), {"BEVTOTAAL": VariableMeta("BEVTOTAAL")})
    >>> [(i.file, i.row, i.code) for i in issues]
    [('bbga.csv', 3, 'NIEUW_P')]
    """
    table = result.table
    if table.height == 0:
        return []
    known = set(metadata)
    firsts = (
        table.filter(~pl.col("indicator").is_in(list(known)))
        .group_by("indicator")
        .agg(pl.col("row").min(), pl.col("source_file").first())
        .sort("row")
    )
    return [
        _warning(
            Path(source_file or ""),
            row,
            "variabele",
            indicator,
            "variable has data but is not in the BBGA metadata (no label, unit or polarity)",
        )
        for indicator, row, source_file in firsts.select(
            "indicator", "row", "source_file"
        ).iter_rows()
    ]
