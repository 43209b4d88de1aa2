# SPDX-License-Identifier: EUPL-1.2
"""Readers for OIS Amsterdam's Basisbestand Gebieden Amsterdam (BBGA) and its variable metadata.

The BBGA is one long table, a row per year × area × variable (``jaar, gebiedcode15,
variabele, waarde``; ``gebiedcode22`` from the 2022 release on), and a metadata table with a row
per variable. :func:`read_bbga` turns the long table into the tidy table of
:mod:`kansenaudit.data.tidy`; :func:`read_bbga_metadata` reads the metadata into
:class:`VariableMeta` records; :func:`check_variables` lists variables that have data but no
metadata. See ``docs/sources/bbga.md`` for the source and its quirks.

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

import codecs
import csv
import hashlib
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from kansenaudit.data.area_codes import classify_area_code
from kansenaudit.data.tidy import (
    ReadIssue,
    ReadResult,
    SourceFormatError,
    empty_tidy,
    tidy_frame,
)

__all__ = [
    "MISSING_TOKENS",
    "BBGAMetadata",
    "VariableMeta",
    "check_variables",
    "read_bbga",
    "read_bbga_metadata",
]

#: Values that mean "no value" in the BBGA long table (compared after stripping, case-blind).
MISSING_TOKENS = ("", "NA", ".")

_AREA_COLUMNS = ("gebiedcode15", "gebiedcode22")
# Current BBGA releases call the variable column "indicatorDefinitieId".
_VARIABLE_COLUMNS = ("variabele", "indicatordefinitieid")
_MAX_CODE_CHARS = 80
_YEAR_RANGE = (1800, 2200)


# --------------------------------------------------------------------------- shared helpers


def _warning(
    file: Path, row: int | None, field: str | None, code: str | None, message: str
) -> ReadIssue:
    return ReadIssue("warning", str(file), row, field, code, message)


def _clip(text: str) -> str:
    return text if len(text) <= _MAX_CODE_CHARS else text[: _MAX_CODE_CHARS - 1] + "…"


def _decode(raw: bytes, path: Path, issues: list[ReadIssue]) -> tuple[str, str]:
    """Decode UTF-8 (with or without BOM); fall back to cp1252 with a warning."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode text" export.
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise SourceFormatError(
                f"starts with a UTF-16 byte order mark but is not valid UTF-16 ({exc.reason})",
                file=path,
            ) from exc
    encoding = "utf-8"
    if raw.startswith(codecs.BOM_UTF8):
        raw, encoding = raw[len(codecs.BOM_UTF8) :], "utf-8-sig"
    try:
        return raw.decode("utf-8"), encoding
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        if exc.reason == "unexpected end of data" and exc.start >= len(raw) - 3:
            # The file stops inside a multi-byte character: it was cut off, not mis-encoded.
            issues.append(
                _warning(
                    path,
                    line,
                    None,
                    None,
                    "file ends inside a UTF-8 character: it looks truncated; "
                    "the broken character is dropped",
                )
            )
            return raw[: exc.start].decode("utf-8"), encoding
        issues.append(
            _warning(
                path,
                line,
                None,
                f"0x{raw[exc.start]:02X}",
                f"{path.name} is not valid UTF-8 (first bad byte on this line); "
                "read as Windows-1252 (cp1252): check accented characters",
            )
        )
        return raw.decode("cp1252", errors="replace"), "cp1252"


def _sniff_separator(header: str) -> str:
    """The separator that splits the header into the most fields (comma on a tie)."""
    best, best_count = ",", 0
    for candidate in (",", ";", "\t"):
        count = len(next(csv.reader([header], delimiter=candidate)))
        if count > best_count:
            best, best_count = candidate, count
    return best


def _header_names(header: str, separator: str) -> list[str]:
    return [
        " ".join(name.strip().strip('"').split()).lower()
        for name in next(csv.reader([header], delimiter=separator))
    ]


# --------------------------------------------------------------------------- long table


def _infer_release(path: Path) -> str:
    match = re.search(r"(?<!\d)((?:19|20)\d\d)(?!\d)", path.stem)
    return match.group(1) if match else ""


def _field_pattern(columns: int, separator: str) -> str:
    sep = "\\t" if separator == "\t" else re.escape(separator)
    # Blanks may pad a quoted field, but a tab cannot when it is the separator.
    blank = "[ ]*" if separator == "\t" else "[ \\t]*"
    # A field is either quoted ("" escapes a quote) or free of separators and quotes.
    field = rf'({blank}"(?:[^"]|"")*"{blank}|[^{sep}"]*)'
    return "^" + sep.join([field] * columns) + "$"


def _unquote(expr: pl.Expr) -> pl.Expr:
    text = expr.str.strip_chars()
    quoted = text.str.starts_with('"') & text.str.ends_with('"') & (text.str.len_chars() >= 2)
    inner = text.str.slice(1, text.str.len_chars() - 2).str.replace_all('""', '"', literal=True)
    return pl.when(quoted).then(inner.str.strip_chars()).otherwise(text)


def read_bbga(
    path: str | Path,
    *,
    release: str | None = None,
    present_year: int | None = None,
    source: str = "OIS Amsterdam, BBGA",
) -> ReadResult:
    """Read a BBGA long table (``jaar, gebiedcode15|gebiedcode22, variabele, waarde``).

    Comma, semicolon or tab separated (sniffed from the header), headers in any case and
    maybe quoted, UTF-8 with or without BOM (cp1252 as a fallback, with a warning). Each data
    line becomes one tidy row or one warning naming the line, the field and the offending
    text; nothing is dropped silently.

    Parameters
    ----------
    path : str or Path
        The CSV file.
    release : str, optional
        The BBGA release, e.g. ``"2018"``. Default: the first year in the file name
        (``bbga_2018_…`` → ``"2018"``), else ``""``.
    present_year : int, optional
        The last observed year of the release. Rows after it are prognoses. Default: the
        release year when the release is a year, else no year rule.
    source : str
        Publisher and product written into the ``source`` column.

    Returns
    -------
    ReadResult
        ``table`` in the tidy schema; ``issues``; ``meta`` with ``release``,
        ``present_year``, ``rows_read``, ``rows_kept``, ``scheme``, ``separator``,
        ``encoding`` and ``sha256``.

    Raises
    ------
    SourceFormatError
        If the file cannot be read, is empty, or lacks a required column.

    Notes
    -----
    Values ``""``, ``NA`` and ``.`` become null with flag ``missing``; a decimal comma
    (``12,5``) is read and flagged ``decimal-comma``. A variable whose name contains ``PROG``
    is always a prognosis (flag ``prognosis:name``); so is any row after ``present_year``
    (flag ``prognosis:year``). Of duplicate (year, area, variable) rows the first is kept.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "bbga_2018_demo.csv").write_text(
    ...     "jaar;gebiedcode15;variabele;waarde\\n"
    ...     "2018;STAD;BEVTOTAAL;854316\\n"
    ...     "2030;DX01;BEV_PROG2018;50000\\n"
    ...     "2018;QQ;BEVTOTAAL;1\\n")
    >>> result = read_bbga(folder / "bbga_2018_demo.csv")
    >>> result.table.select("indicator", "area_level", "period", "is_prognosis").rows()
    [('BEVTOTAAL', 'stad', 2018, False), ('BEV_PROG2018', 'gebied', 2030, True)]
    >>> [(i.row, i.field, i.code) for i in result.issues]
    [(4, 'gebiedcode15', 'QQ')]
    >>> result.meta["release"], result.meta["separator"], result.meta["rows_read"]
    ('2018', ';', 3)
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceFormatError(f"cannot read the file: {exc.strerror or exc}", file=path) from exc
    sha256 = hashlib.sha256(raw).hexdigest()
    file_issues: list[ReadIssue] = []
    text, encoding = _decode(raw, path, file_issues)
    if not text.strip():
        raise SourceFormatError("empty file: no header line", file=path, row=1)

    if "\n" not in text and "\r" in text:
        text = text.replace("\r", "\n")  # old Mac line ends
    lines = text.split("\n")
    ends_with_newline = text.endswith("\n")
    if ends_with_newline:
        lines.pop()  # the empty piece after the final line break is not a line
    header = lines[0].rstrip("\r")
    separator = _sniff_separator(header)
    names = _header_names(header, separator)

    def column(candidates: tuple[str, ...], label: str) -> int:
        for candidate in candidates:
            if candidate in names:
                return names.index(candidate)
        raise SourceFormatError(
            f"missing column {label!r}; the header has {names}", file=path, row=1, field=label
        )

    year_at = column(("jaar",), "jaar")
    area_at = column(_AREA_COLUMNS, "gebiedcode15|gebiedcode22")
    variable_at = column(_VARIABLE_COLUMNS, "variabele")
    value_at = column(("waarde",), "waarde")
    scheme = names[area_at]
    field_names = {
        "year": names[year_at],
        "area": scheme,
        "variable": names[variable_at],
        "value": names[value_at],
    }
    for other in _AREA_COLUMNS:
        if other != scheme and other in names:
            file_issues.append(
                _warning(
                    path,
                    1,
                    other,
                    other,
                    f"two area columns; {scheme!r} is read, {other!r} ignored",
                )
            )

    if release is None:
        release = _infer_release(path)
    if present_year is None and re.fullmatch(r"\d{4}", release):
        present_year = int(release)

    data = lines[1:]
    if not data:
        file_issues.append(
            _warning(path, 1, None, _clip(header), "the file has a header but no data rows")
        )

    frame = (
        pl.DataFrame({"line": pl.Series("line", data, dtype=pl.Utf8)})
        .with_row_index("row", offset=2)
        .with_columns(pl.col("row").cast(pl.Int64), pl.col("line").str.strip_suffix("\r"))
    )
    targets = {"year_text": year_at, "area_text": area_at}
    targets |= {"variable_text": variable_at, "value_text": value_at}
    if '"' not in text:
        # No quotes anywhere (the usual BBGA export): a plain split is exact and much faster.
        parts = pl.col("line").str.split(separator)
        frame = frame.with_columns(
            shape_ok=parts.list.len() == len(names),
            **{
                name: parts.list.get(at, null_on_oob=True).str.strip_chars()
                for name, at in targets.items()
            },
        )
    else:
        groups = pl.col("f").struct
        frame = (
            frame.with_columns(
                pl.col("line").str.extract_groups(_field_pattern(len(names), separator)).alias("f")
            )
            .with_columns(
                shape_ok=groups.field("1").is_not_null(),
                **{name: _unquote(groups.field(str(at + 1))) for name, at in targets.items()},
            )
            .drop("f")
        )
    table, issues = _tidy_rows(
        frame,
        path=path,
        names=names,
        separator=separator,
        field_names=field_names,
        ends_with_newline=ends_with_newline,
        present_year=present_year,
        release=release,
        source=source,
    )
    issues = file_issues + issues
    issues.sort(key=lambda issue: issue.row or 0)
    meta = {
        "release": release,
        "present_year": present_year,
        "rows_read": len(data),
        "rows_kept": table.height,
        "scheme": scheme,
        "separator": separator,
        "encoding": encoding,
        "sha256": sha256,
    }
    return ReadResult(table=table, issues=issues, meta=meta)


def _classify_codes(codes: list[str], scheme: str) -> dict[str, tuple[str, str, str] | str]:
    """Map each distinct raw code to (code, level, scheme), or to the error message."""
    out: dict[str, tuple[str, str, str] | str] = {}
    for raw in codes:
        try:
            area = classify_area_code(raw, scheme)
        except ValueError as exc:
            out[raw] = str(exc)
        else:
            out[raw] = (area.code, area.level, area.scheme)
    return out


def _show(value: float | None) -> str:
    return "empty" if value is None else f"{value:.15g}"


def _shape_message(line: str, separator: str, expected: int, is_last_cut: bool) -> str:
    found = len(next(csv.reader([line], delimiter=separator), []))
    if is_last_cut:
        return (
            f"last line is incomplete ({found} of {expected} fields, no line break at the end): "
            "the file looks truncated; row skipped"
        )
    if found != expected:
        return f"expected {expected} fields, found {found}; row skipped"
    return f"cannot split the line into {expected} fields (stray quote?); row skipped"


def _tidy_rows(
    frame: pl.DataFrame,
    *,
    path: Path,
    names: list[str],
    separator: str,
    field_names: dict[str, str],
    ends_with_newline: bool,
    present_year: int | None,
    release: str,
    source: str,
) -> tuple[pl.DataFrame, list[ReadIssue]]:
    """Cast, classify and check the split lines; return the tidy table and the row issues."""
    if frame.height == 0:
        return empty_tidy(), []
    scheme = field_names["area"]
    last_row = frame.get_column("row")[-1]
    cut_row = None if ends_with_newline else last_row

    value_text = pl.col("value_text")
    missing = value_text.str.to_uppercase().is_in(MISSING_TOKENS)
    decimal_comma = value_text.str.contains(r"^[+-]?\d+,\d+$")
    number = (
        pl.when(decimal_comma)
        .then(value_text.str.replace(",", ".", literal=True))
        .otherwise(value_text)
        .cast(pl.Float64, strict=False)
    )
    frame = frame.with_columns(
        blank=pl.col("line").str.strip_chars() == "",
        period=pl.col("year_text").cast(pl.Int32, strict=False),
        indicator=pl.col("variable_text").str.to_uppercase(),
        missing=missing.fill_null(False),
        decimal_comma=(decimal_comma & ~missing).fill_null(False),
        value=pl.when(missing).then(None).otherwise(number),
    )

    usable = frame.filter(pl.col("shape_ok") & ~pl.col("blank"))
    mapping = _classify_codes(usable.get_column("area_text").unique().to_list(), scheme)
    known = {raw: found for raw, found in mapping.items() if isinstance(found, tuple)}
    frame = frame.with_columns(
        area_code=pl.col("area_text").replace_strict(
            {raw: found[0] for raw, found in known.items()}, default=None, return_dtype=pl.Utf8
        ),
        area_level=pl.col("area_text").replace_strict(
            {raw: found[1] for raw, found in known.items()}, default=None, return_dtype=pl.Utf8
        ),
        area_scheme=pl.col("area_text").replace_strict(
            {raw: found[2] for raw, found in known.items()}, default=None, return_dtype=pl.Utf8
        ),
    )

    low, high = _YEAR_RANGE
    period = pl.col("period")
    value = pl.col("value")
    problem = (
        pl.when(pl.col("blank"))
        .then(pl.lit("blank"))
        .when(~pl.col("shape_ok"))
        .then(pl.lit("shape"))
        .when(period.is_null() | (period < low) | (period > high))
        .then(pl.lit("year"))
        .when(pl.col("area_code").is_null())
        .then(pl.lit("area"))
        .when(pl.col("indicator") == "")
        .then(pl.lit("variable"))
        .when(~pl.col("missing") & (value.is_null() | ~value.is_finite()))
        .then(pl.lit("value"))
        .otherwise(None)
    )
    frame = frame.with_columns(problem=problem)

    issues: list[ReadIssue] = []
    bad = frame.filter(pl.col("problem").is_not_null()).select(
        "row", "line", "problem", "year_text", "area_text", "value_text"
    )
    for row, line, kind, year_text, area_text, value_text_ in bad.iter_rows():
        if kind == "blank":
            issues.append(_warning(path, row, None, None, "empty line; skipped"))
        elif kind == "shape":
            message = _shape_message(line, separator, len(names), row == cut_row)
            issues.append(_warning(path, row, None, _clip(line), message))
        elif kind == "year":
            issues.append(
                _warning(
                    path,
                    row,
                    field_names["year"],
                    _clip(year_text),
                    f"year is not a whole number between {low} and {high}; row skipped",
                )
            )
        elif kind == "area":
            issues.append(
                _warning(
                    path,
                    row,
                    scheme,
                    _clip(area_text),
                    f"{mapping.get(area_text, 'unknown area code')}; row skipped",
                )
            )
        elif kind == "variable":
            issues.append(
                _warning(
                    path, row, field_names["variable"], None, "empty variable name; row skipped"
                )
            )
        else:
            issues.append(
                _warning(
                    path,
                    row,
                    field_names["value"],
                    _clip(value_text_),
                    "value is not a number (nor empty, NA or '.'); row skipped",
                )
            )

    good = frame.filter(pl.col("problem").is_null())
    keys = ["period", "area_code", "indicator"]
    good = good.with_columns(
        first_row=pl.col("row").first().over(keys),
        first_value=pl.col("value").first().over(keys),
    )
    duplicates = good.filter(pl.col("row") != pl.col("first_row"))
    for row, first_row, indicator, area, year, val, first_val in duplicates.select(
        "row", "first_row", "indicator", "area_code", "period", "value", "first_value"
    ).iter_rows():
        if val == first_val:
            same = "the same value"
        else:
            same = f"a different value ({_show(val)}; kept: {_show(first_val)})"
        issues.append(
            _warning(
                path,
                row,
                field_names["variable"],
                indicator,
                f"duplicate of line {first_row} for year {year}, area {area}, variable "
                f"{indicator} with {same}; the first is kept, this row skipped",
            )
        )
    good = good.filter(pl.col("row") == pl.col("first_row"))

    mixed = (
        good.filter(pl.col("area_scheme") != scheme)
        .group_by("area_code", maintain_order=True)
        .agg(pl.col("row").first(), pl.col("area_scheme").first(), pl.len())
    )
    for code, row, other, count in mixed.iter_rows():
        issues.append(
            _warning(
                path,
                row,
                scheme,
                code,
                f"code belongs to scheme {other}, not {scheme} ({count} rows, first here); "
                "rows kept",
            )
        )

    if cut_row is not None and good.height and good.get_column("row")[-1] == cut_row:
        last_line = good.get_column("line")[-1]
        issues.append(
            _warning(
                path,
                cut_row,
                None,
                _clip(last_line),
                "no line break after the last line: it may be cut off; row kept with flag "
                "'possibly-truncated'",
            )
        )

    by_name = pl.col("indicator").str.contains("PROG", literal=True)
    by_year = pl.lit(False) if present_year is None else pl.col("period") > present_year
    # Flags as a bit mask joined to a small lookup: building a list per row with concat_list
    # costs more than the whole rest of the read.
    bits = [
        (pl.col("missing"), "missing"),
        (pl.col("decimal_comma"), "decimal-comma"),
        (by_name, "prognosis:name"),
        (by_year, "prognosis:year"),
        (pl.col("row") == (cut_row or -1), "possibly-truncated"),
    ]
    mask = pl.sum_horizontal(
        [condition.cast(pl.Int32) * (1 << bit) for bit, (condition, _) in enumerate(bits)]
    )
    good = good.with_columns(is_prognosis=by_name | by_year, mask=mask)
    masks = good.get_column("mask").unique().to_list()
    lookup = pl.DataFrame(
        {
            "mask": pl.Series(masks, dtype=good.schema["mask"]),
            "flags": pl.Series(
                [[name for bit, (_, name) in enumerate(bits) if m & (1 << bit)] for m in masks],
                dtype=pl.List(pl.Utf8),
            ),
        }
    )
    good = good.join(lookup, on="mask", how="left", maintain_order="left")
    table = tidy_frame(
        {
            "indicator": good.get_column("indicator"),
            "area_code": good.get_column("area_code"),
            "area_level": good.get_column("area_level"),
            "period": good.get_column("period"),
            "value": good.get_column("value"),
            "source": pl.Series([source] * good.height, dtype=pl.Utf8),
            "release": pl.Series([release] * good.height, dtype=pl.Utf8),
            "source_file": pl.Series([path.name] * good.height, dtype=pl.Utf8),
            "row": good.get_column("row"),
            "is_prognosis": good.get_column("is_prognosis"),
            "flags": good.get_column("flags"),
        }
    )
    return table, issues


# --------------------------------------------------------------------------- metadata

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
