# SPDX-License-Identifier: EUPL-1.2
"""What the CBS readers share: cell symbols, topic keys, periods, and the tidy-row sink.

:mod:`~kansenaudit.data.cbs_statline`, :mod:`~kansenaudit.data.cbs_kwb` and
:mod:`~kansenaudit.data.cbs_odata` read different CBS downloads but turn a cell into a value and
flags, a topic header into an indicator key and a period into a year the same way, and collect
their rows and issues through one :class:`_Sink`, so every CBS reader reports alike.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from kansenaudit.data.tidy import TOTAL_GROUP, ReadIssue, SourceFormatError, tidy_frame

#: StatLine cell symbols and what they become: (value, flags). CBS's current legend
#: ("Verklaring van symbolen"): ``.`` = the figure is unknown, insufficiently reliable or
#: secret; blank = cannot occur for logical reasons; ``x`` = secret and ``-`` = nil (zero) are
#: from the older legend and still occur in older tables. ``?`` is not in CBS's legend; it is
#: read as "unreliable" so an odd download does not fail, and the value is left out.
CBS_SYMBOLS: dict[str, tuple[float | None, tuple[str, ...]]] = {
    ".": (None, ("missing",)),
    "": (None, ("not-applicable",)),
    "x": (None, ("secret",)),
    "X": (None, ("secret",)),
    "-": (0.0, ("nil",)),
    "–": (0.0, ("nil",)),  # en dash, as some exports write the nil symbol
    "?": (None, ("unreliable",)),
}

# Headers that hold the period, the region code or the region name. The period and name sets
# are matched on the lower-cased header; the code set exactly, because "WijkenEnBuurten" (the

_UNIT_RE = re.compile(r"^(?P<path>.*?)\s*\((?P<unit>[^()]*)\)\s*$")
_NUMBER_RE = re.compile(r"^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?$")
_PERIOD_RE = re.compile(r"^(?P<year>\d{4})(?P<kind>JJ00)?\s*(?P<star>\*{0,2})$")

_AREA_LEVELS = (
    (re.compile(r"^NL\d{2}$"), "land"),
    (re.compile(r"^GM\d{4}$"), "gemeente"),
    (re.compile(r"^WK\d{6}$"), "wijk"),
    (re.compile(r"^BU\d{8}$"), "buurt"),
)


def _area_level(code: str) -> str:
    """The tidy area level of a CBS region code; ``overig`` for anything else (PV, WP, names).

    Kept private here because :mod:`kansenaudit.data.area_codes` is written in parallel; the
    CBS readers only need these four prefixes.
    """
    code = code.strip().upper()
    for pattern, level in _AREA_LEVELS:
        if pattern.match(code):
            return level
    return "overig"


def indicator_key(header: str) -> str:
    """A stable snake-case key for a StatLine topic header, with ``_pct`` for a unit of ``%``.

    The unit in trailing parentheses is dropped (it is kept in ``meta["units"]``), path
    separators ``/`` and ``|`` become ``_``, accents are removed.

    Examples
    --------
    >>> indicator_key("Opleidingsniveau/Laag/Waarde (%)")
    'opleidingsniveau_laag_waarde_pct'
    >>> indicator_key("SES-WOA/Totaalscore/Gemiddelde score (Getal)")
    'ses_woa_totaalscore_gemiddelde_score'
    >>> indicator_key("Detailhandel|Afstand tot café e.d.")
    'detailhandel_afstand_tot_cafe_e_d'
    """
    path, unit = _split_unit(header)
    text = unicodedata.normalize("NFKD", path)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = text.replace("%", " pct ")
    key = re.sub(r"[^a-z0-9]+", "_", text).strip("_")
    if unit == "%" and not key.endswith("pct"):
        key = f"{key}_pct" if key else "pct"
    return key or "onderwerp"


def parse_period(text: str) -> tuple[int, list[str]]:
    """The year of a CBS period code, and ``["provisional"]`` for ``*`` / ``**`` figures.

    Accepts ``2019``, ``2019JJ00`` (a whole year in the OData key) and ``2019*`` (voorlopig) or
    ``2019**`` (nader voorlopig). Quarters (``2019KW01``), months (``2019MM01``) and school or
    multi-year periods (``2018/2019``) raise :class:`ValueError`: the tidy table holds years.

    Examples
    --------
    >>> parse_period("2019JJ00")
    (2019, [])
    >>> parse_period(" 2021* ")
    (2021, ['provisional'])
    >>> parse_period("2019KW01")
    Traceback (most recent call last):
    ...
    ValueError: geen jaarperiode: '2019KW01'
    """
    match = _PERIOD_RE.match(text.strip())
    if not match:
        raise ValueError(f"geen jaarperiode: {text.strip()!r}")
    year = int(match["year"])
    return year, ["provisional"] if match["star"] else []


_SINK_COLUMNS = (
    "indicator",
    "area_code",
    "area_level",
    "group",
    "period",
    "value",
    "n",
    "row",
    "flags",
)


@dataclass
class _Sink:
    """Collects tidy rows and issues for one file, so every reader reports the same way."""

    file: Path | str
    source: str
    release: str
    issues: list[ReadIssue] = field(default_factory=list)
    decimal_commas: int = 0
    columns: dict[str, list] = field(default_factory=lambda: {name: [] for name in _SINK_COLUMNS})

    def issue(
        self,
        severity: str,
        row: int | None,
        field: str | None,
        code: str | None,
        message: str,
    ) -> None:
        self.issues.append(ReadIssue(severity, str(self.file), row, field, code, message))

    def add(
        self,
        *,
        indicator: str,
        area_code: str,
        period: int,
        value: float | None,
        flags: list[str],
        row: int | None,
        group: str = TOTAL_GROUP,
        area_level: str | None = None,
        n: float | None = None,
    ) -> None:
        cols = self.columns
        cols["indicator"].append(indicator)
        cols["area_code"].append(area_code)
        cols["area_level"].append(area_level or _area_level(area_code))
        cols["group"].append(group)
        cols["period"].append(period)
        cols["value"].append(value)
        cols["n"].append(n)
        cols["row"].append(row)
        cols["flags"].append(list(dict.fromkeys(flags)))

    def frame(self) -> pl.DataFrame:
        length = len(self.columns["indicator"])
        data: dict[str, list] = dict(self.columns)
        data["source"] = [self.source] * length
        data["release"] = [self.release] * length
        data["source_file"] = [Path(self.file).name] * length
        return tidy_frame(data)


def _load_text(path: Path) -> tuple[str, str, list[ReadIssue]]:
    """The file's text, the encoding used and any encoding issue.

    UTF-8 (with or without BOM) is what CBS writes. A file that is not valid UTF-8 is read as
    Windows-1252 (what Excel writes when a download is re-saved), with a warning naming the
    line and byte where UTF-8 failed, so the numbers are still read but nobody misses it.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceFormatError(f"bestand niet te lezen: {exc}", file=path) from exc
    if not data.strip(b"\xef\xbb\xbf \t\r\n"):
        raise SourceFormatError("leeg bestand: geen kopregel", file=path, row=1)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16", []
    if b"\x00" in data[:4096]:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise SourceFormatError("binair bestand, geen CSV (NUL-byte)", file=path, row=line)
    try:
        return data.decode("utf-8-sig"), "utf-8", []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        bad = f"0x{data[exc.start]:02X}"
        issue = ReadIssue(
            "warning",
            str(path),
            line,
            None,
            bad,
            f"geen geldige UTF-8 (byte {bad}); gelezen als Windows-1252: controleer de namen",
        )
        return data.decode("cp1252", errors="replace"), "cp1252", [issue]


def _detect_separator(text: str, path: Path) -> str:
    """``;``, tab or ``,``: the one that splits most lines into the same number of fields.

    At least half of the sampled lines must agree, so a comma inside one quoted header (as in
    ``"Regiocode (gemeente, wijk, buurt) (code)"``) does not make ``,`` the separator of a file
    whose lines do not split at all.
    """
    lines = [line for line in text.splitlines()[:40] if line.strip()]
    sample = "\n".join(lines)
    best, best_score = "", (0, 0)
    for candidate in (";", "\t", ","):
        try:
            lengths = [len(r) for r in csv.reader(io.StringIO(sample), delimiter=candidate)]
        except csv.Error:
            continue
        wide = [n for n in lengths if n > 1]
        if not wide:
            continue
        width, count = Counter(wide).most_common(1)[0]
        if count * 2 >= len(lines) and (count, width) > best_score:
            best, best_score = candidate, (count, width)
    if not best:
        raise SourceFormatError(
            "kolommen niet te scheiden: scheidingsteken niet herkend (verwacht ';', tab of ',')",
            file=path,
            row=1,
            field=lines[0][:60] if lines else None,
        )
    return best


def _csv_rows(text: str, separator: str) -> list[tuple[int, list[str]]]:
    """(first line number, fields) for every record, empty lines left out."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    rows: list[tuple[int, list[str]]] = []
    start = 1
    for fields in reader:
        if any(f.strip() for f in fields):
            rows.append((start, fields))
        start = reader.line_num + 1
    return rows


def _split_unit(header: str) -> tuple[str, str | None]:
    match = _UNIT_RE.match(header.strip())
    if not match:
        return header.strip(), None
    return match["path"].strip(), match["unit"].strip()


def _parse_cell(raw: str) -> tuple[float | None, list[str], bool]:
    """(value, flags, ok) for one StatLine cell; ``ok`` is False for a cell that makes no sense."""
    text = raw.strip()
    if text in CBS_SYMBOLS:
        value, flags = CBS_SYMBOLS[text]
        return value, list(flags), True
    if _NUMBER_RE.match(text):
        if "," in text:
            return float(text.replace(",", ".")), ["decimal-comma"], True
        return float(text), [], True
    return None, ["invalid"], False


def _value(sink: _Sink, raw: str, row: int, column: str, code: str) -> tuple[float | None, list]:
    value, flags, ok = _parse_cell(raw)
    if not ok:
        sink.issue(
            "error",
            row,
            column,
            raw.strip()[:40],
            f"geen getal en geen CBS-symbool in gebied {code}; waarde leeg gelaten",
        )
    if "decimal-comma" in flags:
        sink.decimal_commas += 1
    return value, flags


def _register_key(meta: dict, sink: _Sink, header: str, row: int) -> str:
    """The indicator key of a topic, made unique within the file (with a warning if needed)."""
    key = base = indicator_key(header)
    number = 2
    while key in meta["columns"]:
        key = f"{base}_{number}"
        number += 1
    if key != base:
        sink.issue("warning", row, header, key, f"onderwerpsleutel {base!r} bestaat al; {key!r}")
    meta["columns"][key] = header
    meta["units"][key] = _split_unit(header)[1]
    return key
