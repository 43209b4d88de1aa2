# SPDX-License-Identifier: EUPL-1.2
"""Reader for the BBGA long table (``jaar, gebiedcode15, variabele, waarde``) into the tidy table.

A row per year × area × variable (``gebiedcode22`` from the 2022 release on);
:func:`read_bbga` turns it into the tidy table of :mod:`kansenaudit.data.tidy`.
"""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

import polars as pl

from kansenaudit.data.area_codes import classify_area_code
from kansenaudit.data.bbga._common import _decode, _sniff_separator, _warning
from kansenaudit.data.tidy import (
    ReadIssue,
    ReadResult,
    SourceFormatError,
    empty_tidy,
    tidy_frame,
)

#: Values that mean "no value" in the BBGA long table (compared after stripping, case-blind).
MISSING_TOKENS = ("", "NA", ".")

_AREA_COLUMNS = ("gebiedcode15", "gebiedcode22")
# Current BBGA releases call the variable column "indicatorDefinitieId".
_VARIABLE_COLUMNS = ("variabele", "indicatordefinitieid")
_MAX_CODE_CHARS = 80
_YEAR_RANGE = (1800, 2200)


def _clip(text: str) -> str:
    return text if len(text) <= _MAX_CODE_CHARS else text[: _MAX_CODE_CHARS - 1] + "…"


def _header_names(header: str, separator: str) -> list[str]:
    return [
        " ".join(name.strip().strip('"').split()).lower()
        for name in next(csv.reader([header], delimiter=separator))
    ]


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
