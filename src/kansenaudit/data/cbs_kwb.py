# SPDX-License-Identifier: EUPL-1.2
"""Read CBS Kerncijfers wijken en buurten (KWB) attribute tables into the tidy table.

CBS publishes the KWB figures with the Wijk- en Buurtkaart: a shapefile per level (``gem_``,
``wijk_``, ``buurt_<year>``) whose attribute table (DBF) holds one row per area with upper-case
columns (``WK_CODE``, ``GM_CODE``, ``AANT_INW``, ``P_00_14_JR``, …). This reader takes that
table converted to CSV (comma-separated, UTF-8, values unchanged):

* the area code comes from ``BU_CODE``, else ``WK_CODE``, else ``GM_CODE`` (the most detailed
  one present); ``buurtcode``/``wijkcode``/``gemeentecode`` are accepted too;
* every numeric column becomes an indicator named by its lower-case column name (``aant_inw``);
  text columns (``*_NAAM``, ``WATER``) and the code ``IND_WBI`` (whether the division changed
  since last year: a category, not a quantity) are not indicators (``meta["text_columns"]``);
* CBS's negative sentinels become null values with flags (see :data:`KWB_SENTINELS`);
* rows with ``WATER = JA`` are the water parts of a gemeente or a water-only wijk: all their
  figures are sentinels and in the gemeente table they repeat the gemeente code of the land
  row, so they are left out by default, each with a warning (``include_water=True`` keeps them,
  flagged ``"water"``).

The year is not in the table, so the caller gives it. The student extract of Amsterdam buurten
(snake_case names such as ``aantal_inwoners``, code in ``buurtcode``) is read the same way; it
states no year at all, so the reader adds a warning that the year is the caller's.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from kansenaudit.data._cbs_common import _load_text, _Sink
from kansenaudit.data.tidy import ReadResult, SourceFormatError

__all__ = ["KWB_SENTINELS", "read_kwb"]

#: KWB sentinel values → flags. In the 2017 map files ``-99999999`` is the only sentinel and
#: stands for "secret, unknown or not applicable" without saying which, so it gets both
#: ``secret`` (a disclosure check must not try to reconstruct it) and ``missing``. Later map
#: files separate ``-99999997`` (secret) and ``-99999998`` (not applicable / not available);
#: those meanings are from CBS's documentation of later years and were not checked against a
#: file here. Any other value at or below ``-99999990`` is read as an unknown sentinel: null,
#: flag ``missing``, and a warning.
KWB_SENTINELS: dict[int, tuple[str, ...]] = {
    -99999999: ("secret", "missing"),
    -99999998: ("missing",),
    -99999997: ("secret",),
}
_SENTINEL_FLOOR = -99999990

_CODE_COLUMNS = (  # most detailed first
    ("bu_code", "buurtcode"),
    ("wk_code", "wijkcode"),
    ("gm_code", "gemeentecode"),
)
_NOT_INDICATORS = {"ind_wbi", "water", "stadsdeel", "buurtnaam", "wijknaam", "gemeentenaam"}
_MUNICIPALITY_RE = re.compile(r"^GM\d{4}$")
_NUMBER_RE = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")


def read_kwb(
    path: str | Path,
    *,
    year: int,
    source: str = "CBS Kerncijfers wijken en buurten",
    municipality: str | None = None,
    include_water: bool = False,
) -> ReadResult:
    """Read a KWB attribute table (CSV from the Wijk- en Buurtkaart DBF) into the tidy table.

    Parameters
    ----------
    path : the CSV file.
    year : the KWB year (the file does not say); also the ``release``.
    source : the tidy ``source`` column.
    municipality : keep only this gemeente (``"GM0363"``), by ``GM_CODE`` or the code itself.
    include_water : keep ``WATER = JA`` rows (flagged ``"water"``) instead of skipping them.

    Returns
    -------
    ReadResult
        One tidy row per area × numeric column. ``meta`` holds ``code_column``, ``indicators``,
        ``text_columns``, ``rows_in_scope`` (file rows after the municipality filter),
        ``water_rows`` (their line numbers) and ``sentinel_rows`` (lines with any sentinel).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> text = ("WK_CODE,WK_NAAM,GM_CODE,WATER,AANT_INW,P_WEST_AL\\n"
    ...         "WK036300,Burgwallen-Oude Zijde,GM0363,NEE,4245,-99999999\\n")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "wijk_2017.csv"
    ...     _ = path.write_text(text, encoding="utf-8")
    ...     result = read_kwb(path, year=2017)
    >>> result.table.select("indicator", "area_code", "area_level", "value", "flags").rows()
    [('aant_inw', 'WK036300', 'wijk', 4245.0, []), ('p_west_al', 'WK036300', 'wijk', None, ['secret', 'missing', 'sentinel:-99999999'])]
    """  # noqa: E501
    path = Path(path)
    text, encoding, issues = _load_text(path)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = [h.strip() for h in rows[0]]
    if len(header) < 2:
        raise SourceFormatError(
            "maar één kolom: geen kommagescheiden KWB-tabel", file=path, row=1, field=header[0]
        )
    lowered = [h.lower() for h in header]
    code_index = _code_column(lowered)
    if code_index is None:
        raise SourceFormatError(
            "geen kolom met gebiedscode (BU_CODE, WK_CODE of GM_CODE)", file=path, row=1
        )
    gm_index = lowered.index("gm_code") if "gm_code" in lowered else None
    water_index = lowered.index("water") if "water" in lowered else None
    data = rows[1:]
    numeric = _numeric_columns(lowered, data, code_index)
    sink = _Sink(file=path, source=source, release=str(year), issues=issues)
    student = "aantal_inwoners" in lowered and "aant_inw" not in lowered
    if student:
        sink.issue(
            "warning",
            1,
            None,
            str(year),
            f"het bestand noemt geen jaar: het opgegeven jaar {year} is gebruikt",
        )
    meta: dict = {
        "encoding": encoding,
        "code_column": header[code_index],
        "indicators": [lowered[i] for i in numeric],
        "text_columns": [header[i] for i in range(len(header)) if i not in numeric],
        "layout": "student-extract" if student else "wijkbuurtkaart",
        "rows_in_scope": 0,
        "water_rows": [],
        "sentinel_rows": [],
        "area_names": {},
    }
    name_index = next((i for i, h in enumerate(lowered) if h.endswith("naam")), None)
    if header[code_index].upper().startswith("GM"):
        name_index = lowered.index("gm_naam") if "gm_naam" in lowered else name_index
    for line, fields in enumerate(data, start=2):
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != len(header):
            sink.issue(
                "error",
                line,
                None,
                (fields[code_index] if code_index < len(fields) else fields[0]).strip()[:40],
                f"{len(fields)} velden in plaats van {len(header)} (afgebroken bestand?); "
                "regel overgeslagen",
            )
            continue
        code = fields[code_index].strip()
        if municipality is not None and _municipality_of(code, fields, gm_index) != municipality:
            continue
        meta["rows_in_scope"] += 1
        if not code:
            sink.issue("error", line, header[code_index], None, "lege gebiedscode; overgeslagen")
            continue
        row_flags: list[str] = []
        if water_index is not None and fields[water_index].strip().upper() == "JA":
            meta["water_rows"].append(line)
            if not include_water:
                sink.issue(
                    "warning",
                    line,
                    header[water_index],
                    code,
                    "waterdeel (WATER = JA) overgeslagen: alleen sentinelwaarden",
                )
                continue
            row_flags.append("water")
        if name_index is not None and fields[name_index].strip():
            meta["area_names"].setdefault(code, fields[name_index].strip())
        has_sentinel = False
        for index in numeric:
            value, flags = _kwb_value(sink, fields[index], line, header[index], code)
            has_sentinel = has_sentinel or any(f.startswith("sentinel:") for f in flags)
            sink.add(
                indicator=lowered[index],
                area_code=code,
                period=year,
                value=value,
                flags=row_flags + flags,
                row=line,
            )
        if has_sentinel:
            meta["sentinel_rows"].append(line)
    meta["values"] = len(sink.columns["indicator"])
    return ReadResult(table=sink.frame(), issues=sink.issues, meta=meta)


def _code_column(lowered: list[str]) -> int | None:
    for names in _CODE_COLUMNS:
        for name in names:
            if name in lowered:
                return lowered.index(name)
    return None


def _numeric_columns(lowered: list[str], data: list[list[str]], code_index: int) -> list[int]:
    """Columns whose values are mostly numbers (a stray text cell is reported, not a reason to
    drop the column); codes, names and ``WATER`` never count."""
    numeric = []
    for index, name in enumerate(lowered):
        if (
            index == code_index
            or name in _NOT_INDICATORS
            or name.endswith(("_code", "_naam", "code", "naam"))
        ):
            continue
        cells = [r[index].strip() for r in data if index < len(r) and r[index].strip()]
        numbers = sum(1 for c in cells if _NUMBER_RE.match(c))
        if cells and numbers * 2 > len(cells):
            numeric.append(index)
    return numeric


def _municipality_of(code: str, fields: list[str], gm_index: int | None) -> str:
    if gm_index is not None:
        return fields[gm_index].strip()
    code = code.upper()
    if code[:2] in ("BU", "WK") and len(code) >= 6:
        return f"GM{code[2:6]}"
    return code if _MUNICIPALITY_RE.match(code) else ""


def _kwb_value(
    sink: _Sink, raw: str, line: int, column: str, code: str
) -> tuple[float | None, list[str]]:
    text = raw.strip()
    if not text:
        return None, ["missing"]
    if not _NUMBER_RE.match(text):
        sink.issue(
            "error",
            line,
            column,
            text[:40],
            f"geen getal in gebied {code}; waarde leeg gelaten",
        )
        return None, ["invalid"]
    value = float(text)
    if value <= _SENTINEL_FLOOR:
        sentinel = int(value)
        flags = KWB_SENTINELS.get(sentinel)
        if flags is None:
            sink.issue(
                "warning",
                line,
                column,
                text,
                f"onbekende sentinelwaarde in gebied {code}; als ontbrekend gelezen",
            )
            flags = ("missing",)
        return None, [*flags, f"sentinel:{sentinel}"]
    return value, []
