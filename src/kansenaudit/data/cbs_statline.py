# SPDX-License-Identifier: EUPL-1.2
"""Read CBS StatLine CSV downloads (regular and transposed layout) into the tidy table.

StatLine (``opendata.cbs.nl/statline``) offers two CSV downloads of a table, and both end up in
this reader:

*Regular* ("CSV met statistische symbolen")
    One header line, then one line per region × period (× other dimension). Dimension columns
    (``Perioden``, ``Wijken en buurten``, a code column such as ``Regiocode (gemeente, wijk,
    buurt) (code)``) come first; every topic is a column whose header carries its unit in
    parentheses (``Particuliere huishoudens (Aantal)``, ``Opleidingsniveau/Laag/Waarde (%)``).
    Semicolon-separated, UTF-8 with a BOM, every value quoted and padded with spaces.
*Transposed* (as shown on screen)
    A title line, header lines, then an ``Onderwerp`` line naming the regions across the
    columns; every following line is one topic (``Groep|Subgroep|Onderwerp``) with its unit
    in the second column. Region attributes (``Regioaanduiding|Codering`` …) come first, a
    footer such as ``Bron: CBS`` last. Values use a decimal comma.

The layout, separator (``;``, tab or ``,``), BOM and decimal mark are detected from the file.
Each value becomes one tidy row; its ``indicator`` is :func:`indicator_key` of the topic header
(``meta["columns"]`` maps each key back to the header as CBS wrote it, ``meta["units"]`` to the
unit). CBS's statistical symbols become flags (see :data:`CBS_SYMBOLS` and
``docs/sources/cbs.md``); a cell that is neither a number nor a symbol becomes a null value
with flag ``"invalid"`` and an error naming file, line, column and the cell.
"""

from __future__ import annotations

import re
from pathlib import Path

from kansenaudit.data._cbs_common import (
    CBS_SYMBOLS,
    _area_level,
    _csv_rows,
    _detect_separator,
    _load_text,
    _register_key,
    _Sink,
    _split_unit,
    _value,
    indicator_key,
    parse_period,
)
from kansenaudit.data.tidy import TOTAL_GROUP, ReadResult, SourceFormatError

__all__ = [
    "CBS_SYMBOLS",
    "indicator_key",
    "parse_period",
    "read_statline_csv",
]

# Headers that hold the period, the region code or the region name. The period and name sets
# are matched on the lower-cased header; the code set exactly, because "WijkenEnBuurten" (the
# OData key, a code) must not match "Wijken en buurten" (the StatLine label, a name).
_PERIOD_HEADERS = {"perioden", "periode", "jaar"}
_CODE_HEADERS = {"WijkenEnBuurten", "RegioS", "Codering", "Regiocode", "Gemeentecode"}
_REGION_NAME_HEADERS = {
    "wijken en buurten",
    "regio's",
    "regios",
    "regio",
    "gemeenten",
    "gemeente",
    "gemeentenaam",
    "woonplaatsen",
    "provincies",
}
# Units that mark a text attribute of the region, not a measured topic.
_TEXT_UNITS = {"code", "naam", "omschrijving"}

_CBS_CODE_RE = re.compile(r"^[A-Z]{2}[0-9A-Z]{2,8}$")
_YEAR_IN_TEXT_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def read_statline_csv(
    path: str | Path,
    *,
    source: str = "CBS StatLine",
    table_id: str | None = None,
    period: int | None = None,
) -> ReadResult:
    """Read a StatLine CSV download, in the regular or transposed layout, into the tidy table.

    Parameters
    ----------
    path : the CSV file as downloaded from StatLine.
    source : the tidy ``source`` column.
    table_id : the StatLine table (``85163NED``); used as ``release`` and kept in ``meta``.
    period : the year, for a download without a period dimension (the transposed sample has
        none; without this argument a single year in the title is used, with a warning).

    Returns
    -------
    ReadResult
        One tidy row per region × period × topic (× other dimension, in ``group``).
        ``meta`` holds ``layout``, ``separator``, ``encoding``, ``decimal_mark``, ``columns``
        (key → original header), ``units``, ``area_names`` (code → name), ``title`` and
        ``footer`` where present.

    Raises
    ------
    SourceFormatError
        An empty file, a file with one column (separator not recognised), or one without
        topics, regions or a period.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> text = ('"Perioden";"Regio\\'s";"Regiocode (code)";"Inwoners (Aantal)";"Laag (%)"\\n'
    ...         '"2019";"Amsterdam";"GM0363    ";"  872680";"       ."\\n')
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "statline.csv"
    ...     _ = path.write_text(text, encoding="utf-8-sig")
    ...     result = read_statline_csv(path, table_id="00000NED")
    >>> result.table.select("indicator", "area_code", "area_level", "period", "value").rows()
    [('inwoners', 'GM0363', 'gemeente', 2019, 872680.0), ('laag_pct', 'GM0363', 'gemeente', 2019, None)]
    >>> result.table["flags"].to_list()
    [[], ['missing']]
    """  # noqa: E501
    path = Path(path)
    text, encoding, issues = _load_text(path)
    separator = _detect_separator(text, path)
    rows = _csv_rows(text, separator)
    sink = _Sink(file=path, source=source, release=table_id or "", issues=issues)
    meta: dict = {
        "separator": separator,
        "encoding": encoding,
        "table_id": table_id,
        "columns": {},
        "units": {},
        "area_names": {},
    }
    if _is_transposed(rows):
        meta["layout"] = "transposed"
        _read_transposed(rows, sink, meta, period)
    else:
        meta["layout"] = "regular"
        _read_regular(rows, sink, meta, period)
    meta["decimal_mark"] = "," if sink.decimal_commas else "."
    meta["values"] = len(sink.columns["indicator"])
    return ReadResult(table=sink.frame(), issues=sink.issues, meta=meta)


# --- regular layout -----------------------------------------------------------------------


def _is_transposed(rows: list[tuple[int, list[str]]]) -> bool:
    """A transposed download has an ``Onderwerp`` line before the data and a one-cell title."""
    for _line, fields in rows[:30]:
        if fields and fields[0].strip().lower() in ("onderwerp", "onderwerpen"):
            return True
    return False


def _classify(names: list[str], first_data: list[str] | None) -> dict:
    """Which column is the period, the region code, the region name, a topic or a dimension."""
    kinds: dict = {"period": None, "code": None, "name": None, "topics": [], "dims": [], "text": []}
    named_codes: list[int] = []  # headers that say "region code"
    other_codes: list[int] = []  # other "(code)" columns: only if the values look like codes
    for index, name in enumerate(names):
        lowered = name.lower()
        unit = _split_unit(name)[1]
        if kinds["period"] is None and (
            lowered in _PERIOD_HEADERS or lowered.startswith("perioden")
        ):
            kinds["period"] = index
        elif name in _CODE_HEADERS or "codering" in lowered or "regiocode" in lowered:
            named_codes.append(index)
        elif unit == "code" and "indelingswijziging" not in lowered:
            other_codes.append(index)
        elif unit is not None and unit.lower() in _TEXT_UNITS:
            kinds["text"].append(index)
        elif unit is not None:
            kinds["topics"].append(index)
        elif kinds["name"] is None and lowered in _REGION_NAME_HEADERS:
            kinds["name"] = index
        else:
            kinds["dims"].append(index)
    for index in other_codes:
        value = _cell(first_data or [], index).strip().upper()
        (named_codes if _CBS_CODE_RE.match(value) else kinds["text"]).append(index)
    if named_codes:
        kinds["code"] = named_codes[0]
        kinds["text"].extend(named_codes[1:])
    return kinds


def _read_regular(
    rows: list[tuple[int, list[str]]], sink: _Sink, meta: dict, period: int | None
) -> None:
    header_line, header = rows[0]
    names = [h.strip() for h in header]
    data_rows = rows[1:]
    kinds = _classify(names, data_rows[0][1] if data_rows else None)
    if not kinds["topics"]:
        raise SourceFormatError(
            "geen onderwerpkolommen (kop met eenheid tussen haakjes, zoals '(Aantal)')",
            file=sink.file,
            row=header_line,
        )
    if kinds["code"] is None and kinds["name"] is None:
        raise SourceFormatError(
            "geen regiokolom (code of naam)", file=sink.file, row=header_line, field=names[0]
        )
    if kinds["period"] is None and period is None:
        raise SourceFormatError(
            "geen kolom Perioden en geen period opgegeven",
            file=sink.file,
            row=header_line,
            field="Perioden",
        )
    keys = {
        index: _register_key(meta, sink, names[index], header_line) for index in kinds["topics"]
    }
    meta["dimensions"] = [names[i] for i in kinds["dims"]]
    named_only: dict[str, int] = {}
    seen_names: dict[tuple, int] = {}
    if kinds["code"] is None:
        sink.issue(
            "warning",
            header_line,
            names[kinds["name"]],
            None,
            "geen kolom met regiocode: de regionaam wordt als gebiedscode gebruikt",
        )
    # One-cell lines after the last data line are the footer ("Bron: CBS"); anywhere else a
    # line with the wrong number of fields is an error.
    last_data = max((line for line, fields in data_rows if len(fields) > 1), default=0)
    footer: list[str] = []
    for line, fields in data_rows:
        if len(fields) == 1 and line > last_data:
            footer.append(fields[0].strip())
            continue
        if len(fields) != len(names):
            code = _cell(fields, kinds["code"]) or _cell(fields, kinds["name"]) or fields[0]
            sink.issue(
                "error",
                line,
                None,
                code.strip()[:40],
                f"{len(fields)} velden in plaats van {len(names)} (afgebroken bestand of ander "
                "scheidingsteken?); regel overgeslagen",
            )
            continue
        name = fields[kinds["name"]].strip() if kinds["name"] is not None else ""
        if kinds["code"] is not None:
            code = fields[kinds["code"]].strip()
        else:
            code = name
            if code not in named_only:
                named_only[code] = line
                sink.issue(
                    "warning",
                    line,
                    names[kinds["name"]],
                    code,
                    "geen regiocode in het bestand: naam gebruikt, gebiedsniveau 'overig'",
                )
        if not code:
            column = kinds["code"] if kinds["code"] is not None else kinds["name"]
            sink.issue("error", line, names[column], None, "lege regiocode; regel overgeslagen")
            continue
        if name:
            meta["area_names"].setdefault(code, name)
        year, period_flags = period, []
        if kinds["period"] is not None:
            raw = fields[kinds["period"]]
            try:
                year, period_flags = parse_period(raw)
            except ValueError:
                sink.issue(
                    "error",
                    line,
                    names[kinds["period"]],
                    raw.strip(),
                    "periode niet herkend (verwacht een jaar zoals 2019 of 2019JJ00); "
                    "regel overgeslagen",
                )
                continue
        group = _group(names, fields, kinds["dims"])
        if kinds["code"] is None:
            # Names are not unique (Amsterdam has buurten with the same name), so a repeated
            # name may be another area: say so rather than merge two areas silently.
            first_line = seen_names.setdefault((code, year, group), line)
            if first_line != line:
                sink.issue(
                    "warning",
                    line,
                    names[kinds["name"]],
                    code,
                    f"regionaam komt al voor op regel {first_line}: mogelijk een ander gebied "
                    "met dezelfde naam",
                )
        for index, key in keys.items():
            value, flags = _value(sink, fields[index], line, names[index], code)
            sink.add(
                indicator=key,
                area_code=code,
                area_level=_area_level(code) if kinds["code"] is not None else "overig",
                period=year,
                value=value,
                flags=period_flags + flags,
                row=line,
                group=group,
            )
    if footer:
        meta["footer"] = footer


def _cell(fields: list[str], index: int | None) -> str:
    return fields[index] if index is not None and index < len(fields) else ""


def _group(names: list[str], fields: list[str], dims: list[int]) -> str:
    """``totaal`` unless another dimension picks a category that is not a total.

    CBS names totals "Totaal …" (``Totaal mannen en vrouwen``, ``Totaal leeftijd``), so those
    categories are left out of the group; the others become ``<dimension>:<category>``, joined
    with ``;`` when there are several.
    """
    parts = []
    for index in dims:
        category = fields[index].strip()
        if category and not category.lower().startswith("totaal"):
            parts.append(f"{indicator_key(names[index])}:{category}")
    return ";".join(parts) if parts else TOTAL_GROUP


# --- transposed layout --------------------------------------------------------------------


def _read_transposed(
    rows: list[tuple[int, list[str]]], sink: _Sink, meta: dict, period: int | None
) -> None:
    subject_at = next(
        i
        for i, (_line, fields) in enumerate(rows)
        if fields and fields[0].strip().lower() in ("onderwerp", "onderwerpen")
    )
    subject_line, subject = rows[subject_at]
    width = len(subject)
    # Column 2 holds the unit ("km", "aantal", "%"); regions start at column 3.
    first = 2 if width > 2 and subject[1].strip().lower() in ("", "eenheid", "unit") else 1
    names = [s.strip() for s in subject[first:]]
    title_rows = [fields for _line, fields in rows[:subject_at] if len(fields) == 1]
    if title_rows:
        meta["title"] = title_rows[0][0].strip()
    column_periods: list[tuple[int, list[str]]] | None = None
    for _line, fields in rows[:subject_at]:
        cells = [c.strip() for c in fields[first:]]
        if len(fields) == width and all(cells):
            try:
                column_periods = [parse_period(c) for c in cells]
            except ValueError:
                continue  # a header line of another dimension, such as the region names
    if column_periods is None:
        column_periods = [(_transposed_period(sink, meta, period, subject_line), [])] * len(names)

    codes: list[str] | None = None
    topics: list[tuple[int, list[str]]] = []
    footer: list[str] = []
    attributes: dict[str, list[str]] = {}
    for line, fields in rows[subject_at + 1 :]:
        label = fields[0].strip()
        unit = fields[1].strip().lower() if first == 2 and len(fields) > 1 else ""
        if len(fields) == 1:
            footer.append(label)  # "Bron: CBS", notes
            continue
        if len(fields) != width:
            sink.issue(
                "error",
                line,
                label[:60] or None,
                label[:40] or None,
                f"{len(fields)} velden in plaats van {width} (afgebroken bestand?); "
                "regel overgeslagen",
            )
            continue
        if label.lower().startswith("regioaanduiding") or unit in _TEXT_UNITS:
            attributes[label] = [c.strip() for c in fields[first:]]
            if label.lower().split("|")[-1].strip() == "codering":
                codes = attributes[label]
            continue
        topics.append((line, fields))
    meta["region_attributes"] = attributes
    if footer:
        meta["footer"] = footer
    if codes is None:
        codes = names
        for name in names:
            sink.issue(
                "warning",
                subject_line,
                name,
                name,
                "geen regel Regioaanduiding|Codering: regionaam als gebiedscode gebruikt",
            )
    for code, name in zip(codes, names, strict=True):
        meta["area_names"].setdefault(code, name)
    known_codes = codes is not names

    for line, fields in topics:
        label = fields[0].strip()
        unit = fields[1].strip() if first == 2 else ""
        header = f"{label} ({unit})" if unit else label
        key = _register_key(meta, sink, header, line)
        for column, (code, (year, period_flags)) in enumerate(
            zip(codes, column_periods, strict=True)
        ):
            value, flags = _value(sink, fields[first + column], line, names[column], code)
            sink.add(
                indicator=key,
                area_code=code,
                area_level=_area_level(code) if known_codes else "overig",
                period=year,
                value=value,
                flags=period_flags + flags,
                row=line,
            )


def _transposed_period(sink: _Sink, meta: dict, period: int | None, line: int) -> int:
    """The period of a transposed download without a period dimension."""
    if period is not None:
        return period
    years = sorted(set(_YEAR_IN_TEXT_RE.findall(meta.get("title", ""))))
    if len(years) == 1:
        sink.issue(
            "warning",
            1,
            "titel",
            years[0],
            f"geen periode in het bestand: jaar {years[0]} uit de titel genomen",
        )
        return int(years[0])
    raise SourceFormatError(
        "geen periode in het bestand en niet één jaar in de titel: geef period op",
        file=sink.file,
        row=line,
        field="Perioden",
    )
