# SPDX-License-Identifier: EUPL-1.2
"""Read CBS SES-WOA scores per gemeente, wijk and buurt (StatLine table 85163NED).

SES-WOA is CBS's socio-economic status score built from **W**\\ elvaart (financial wealth),
**O**\\ pleidingsniveau (education) and recent **A**\\ rbeidsverleden (work history). CBS scores
every private household with a Multiple Correspondence Analysis of its national wealth decile
(10 categories), its education level (5) and its recent work history (7 categories); an area's
score is the mean over its private households, and the spread (``Spreiding``) is the standard
deviation of the household scores in the area.

The scale has no unit. CBS centres it so that the mean over all Dutch households is 0 for
2019 (and about 0 for 2014–2018 and 2020–2021, which use the 2019 MCA coefficients); a higher
score means more prosperous, better educated and/or longer in work. In this table most areas lie
between about −1 and +1 (Amsterdam 2019: −0.100). Compare scores only within one table release:
CBS re-estimates the coefficients between releases. (Source: CBS, "Hoe interpreteer je de
SES-WOA-scores en hoe zijn deze bepaald?", cbs.nl FAQ.) This is *not* the 2–10 SES scale of the
research design; do not mix the two.

:func:`read_ses_woa` reads the StatLine download with :func:`~kansenaudit.data.cbs_statline.\
read_statline_csv` and gives the topics stable keys (:data:`SES_INDICATORS`); ``n`` is the
number of private households of the area on every row of that area. CBS rounds that number to
hundreds, and areas with fewer households have their other figures suppressed (".").

:func:`read_ses_woa_odata` reads the same table as ``kansenaudit data pull`` saves it from
CBS's OData API (v3 ``TypedDataSet`` with the table's ``DataProperties``): the fields are
recognised by the same topic headers as the CSV (``Opleidingsniveau/Laag/Waarde (%)`` is the
path of topic groups, the topic's title and its unit in ``DataProperties``), so a new release
whose field keys are numbered differently (``…_5`` → ``…_6``) is still read correctly.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from kansenaudit.data.cbs_statline import read_statline_csv
from kansenaudit.data.tidy import ReadIssue, ReadResult, SourceFormatError

__all__ = [
    "SES_INDICATORS",
    "SES_TABLE_ID",
    "odata_headers",
    "read_ses_woa",
    "read_ses_woa_odata",
]

SES_TABLE_ID = "85163NED"

#: StatLine topic header (as CBS writes it in 85163NED) → stable indicator key.
SES_INDICATORS: dict[str, str] = {
    "Particuliere huishoudens (Aantal)": "particuliere_huishoudens",
    "Opleidingsniveau/Laag/Waarde (%)": "opleiding_laag_pct",
    "Opleidingsniveau/Middelbaar/Waarde (%)": "opleiding_middelbaar_pct",
    "Opleidingsniveau/Hoog/Waarde (%)": "opleiding_hoog_pct",
    "SES-WOA/Totaalscore/Gemiddelde score (Getal)": "ses_woa_score",
    "Spreiding/Spreiding totaal/Waarde (Getal)": "ses_woa_spreiding",
}

_HOUSEHOLDS = "particuliere_huishoudens"


def read_ses_woa(path: str | Path, *, source: str = "CBS SES-WOA") -> ReadResult:
    """Read a StatLine download of table 85163NED (SES-WOA per wijk en buurt).

    Parameters
    ----------
    path : the "CSV met statistische symbolen" download.
    source : the tidy ``source`` column; ``release`` is the table id, ``85163NED``.

    Returns
    -------
    ReadResult
        The tidy table with the keys of :data:`SES_INDICATORS` (topics not in that list keep
        the generic key of :func:`~kansenaudit.data.cbs_statline.indicator_key` and are listed
        in ``meta["unmapped"]``) and ``n`` = private households of the area. An expected topic
        that is missing from the file is a warning.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> text = ('"Perioden";"Wijken en buurten";"Regiocode (gemeente, wijk, buurt) (code)";'
    ...         '"Particuliere huishoudens (Aantal)";'
    ...         '"SES-WOA/Totaalscore/Gemiddelde score (Getal)"\\n'
    ...         '"2019";"Amsterdam";"GM0363    ";"  457400";"  -0.100"\\n')
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "ses.csv"
    ...     _ = path.write_text(text, encoding="utf-8-sig")
    ...     result = read_ses_woa(path)
    >>> result.table.select("indicator", "area_code", "value", "n").rows()
    [('particuliere_huishoudens', 'GM0363', 457400.0, 457400.0), ('ses_woa_score', 'GM0363', -0.1, 457400.0)]
    >>> [issue.code for issue in result.warnings]
    ['opleiding_laag_pct', 'opleiding_middelbaar_pct', 'opleiding_hoog_pct', 'ses_woa_spreiding']
    """  # noqa: E501
    result = read_statline_csv(path, source=source, table_id=SES_TABLE_ID)
    columns: dict[str, str] = result.meta["columns"]
    by_header = {_normalise(header): key for key, header in columns.items()}
    rename: dict[str, str] = {}
    for header, stable in SES_INDICATORS.items():
        generic = by_header.get(_normalise(header))
        if generic is None:
            result.issues.append(
                ReadIssue(
                    "warning",
                    str(path),
                    1,
                    header,
                    stable,
                    "verwachte kolom van 85163NED ontbreekt in het bestand",
                )
            )
        else:
            rename[generic] = stable
    result.table = _with_households(result.table.with_columns(pl.col("indicator").replace(rename)))
    result.meta["columns"] = {rename.get(key, key): header for key, header in columns.items()}
    result.meta["units"] = {rename.get(k, k): unit for k, unit in result.meta["units"].items()}
    result.meta["unmapped"] = sorted(set(columns) - set(rename))
    return result


def _with_households(table: pl.DataFrame) -> pl.DataFrame:
    """``n`` = the private households of the area, on every row of that area and year."""
    households = (
        table.filter(pl.col("indicator") == _HOUSEHOLDS)
        .select("area_code", "period", "group", pl.col("value").alias("_households"))
        .unique(subset=["area_code", "period", "group"], keep="first")
    )
    return (
        table.join(
            households, on=["area_code", "period", "group"], how="left", maintain_order="left"
        )
        .with_columns(pl.col("_households").alias("n"))
        .drop("_households")
        .select(table.columns)
    )


def odata_headers(properties: list[dict]) -> dict[str, str]:
    """Field key → the StatLine CSV header of that topic, from a v3 ``DataProperties`` list.

    A topic's header is the titles of its topic groups and its own title joined by ``/``,
    then its unit in brackets: how StatLine names the column in a CSV download.

    >>> odata_headers([
    ...     {"ID": 1, "ParentID": None, "Type": "TopicGroup", "Key": "Opl", "Title": "Opleidingsniveau"},
    ...     {"ID": 2, "ParentID": 1, "Type": "TopicGroup", "Key": "Laag", "Title": "Laag"},
    ...     {"ID": 3, "ParentID": 2, "Type": "Topic", "Key": "Waarde_5", "Title": "Waarde",
    ...      "Unit": "%"},
    ...     {"ID": 4, "ParentID": None, "Type": "Topic", "Key": "Huishoudens_4",
    ...      "Title": "Particuliere huishoudens", "Unit": "aantal"}])
    {'Waarde_5': 'Opleidingsniveau/Laag/Waarde (%)', 'Huishoudens_4': 'Particuliere huishoudens (aantal)'}
    """  # noqa: E501
    by_id = {item.get("ID"): item for item in properties}
    headers: dict[str, str] = {}
    for item in properties:
        if item.get("Type") != "Topic" or not item.get("Key"):
            continue
        titles = [str(item.get("Title") or "").strip()]
        parent = by_id.get(item.get("ParentID"))
        seen = set()
        while parent is not None and id(parent) not in seen:
            seen.add(id(parent))
            titles.append(str(parent.get("Title") or "").strip())
            parent = by_id.get(parent.get("ParentID"))
        unit = str(item.get("Unit") or "").strip()
        header = "/".join(reversed(titles)) + (f" ({unit})" if unit else "")
        headers[str(item["Key"])] = header
    return headers


def read_ses_woa_odata(path: str | Path, *, source: str = "CBS SES-WOA") -> ReadResult:
    """Read table 85163NED as saved from the OData API: ``{"value": [...], "DataProperties":
    [...], "WijkenEnBuurten": [...]}`` (records, field descriptions, area names).

    The result has the same indicator keys, ``n``, ``source`` and ``release`` as
    :func:`read_ses_woa` on the CSV download of the same table; ``row`` is the record's
    position (JSON has no lines). An expected topic without a field is a warning, as in the
    CSV; a file without ``DataProperties`` is refused (its fields cannot be recognised).

    >>> import pathlib, tempfile
    >>> saved = {"value": [{"ID": 0, "WijkenEnBuurten": "GM0363    ", "Perioden": "2019JJ00",
    ...                     "ParticuliereHuishoudens_4": 457400, "Gemiddeld_8": -0.1}],
    ...          "DataProperties": [
    ...     {"ID": 1, "Type": "Topic", "Key": "ParticuliereHuishoudens_4",
    ...      "Title": "Particuliere huishoudens", "Unit": "aantal"},
    ...     {"ID": 2, "Type": "TopicGroup", "Key": "SESWOA", "Title": "SES-WOA"},
    ...     {"ID": 3, "ParentID": 2, "Type": "TopicGroup", "Key": "Tot", "Title": "Totaalscore"},
    ...     {"ID": 4, "ParentID": 3, "Type": "Topic", "Key": "Gemiddeld_8",
    ...      "Title": "Gemiddelde score", "Unit": "getal"}],
    ...          "WijkenEnBuurten": [{"Key": "GM0363    ", "Title": "Amsterdam"}]}
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "cbs_ses.json"
    ...     _ = path.write_text(json.dumps(saved), encoding="utf-8")
    ...     result = read_ses_woa_odata(path)
    >>> result.table.select("indicator", "area_code", "period", "value", "n").rows()
    [('particuliere_huishoudens', 'GM0363', 2019, 457400.0, 457400.0), ('ses_woa_score', 'GM0363', 2019, -0.1, 457400.0)]
    >>> result.meta["area_names"], len(result.warnings)
    ({'GM0363': 'Amsterdam'}, 4)
    """  # noqa: E501
    from kansenaudit.data.cbs_odata import odata_to_tidy

    path = Path(path)
    try:
        payload = json.loads(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise SourceFormatError(f"geen leesbaar JSON-bestand: {exc}", file=path) from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("value"), list):
        raise SourceFormatError("geen OData-records (lijst 'value' ontbreekt)", file=path, row=1)
    properties = payload.get("DataProperties")
    if not isinstance(properties, list) or not properties:
        raise SourceFormatError(
            "OData-download zonder 'DataProperties': de velden van 85163NED zijn niet te "
            "herkennen; haal de tabel opnieuw op met 'kansenaudit data pull'",
            file=path,
        )
    records = [
        {k: v.strip() if isinstance(v, str) else v for k, v in record.items()}
        for record in payload["value"]
    ]
    by_header = {_normalise(header): key for key, header in odata_headers(properties).items()}
    measures: dict[str, str] = {}
    issues: list[ReadIssue] = []
    for header, stable in SES_INDICATORS.items():
        field = by_header.get(_normalise(header))
        if field is None:
            issues.append(
                ReadIssue(
                    "warning",
                    str(path),
                    1,
                    header,
                    stable,
                    "verwachte meetwaarde van 85163NED ontbreekt in DataProperties",
                )
            )
        else:
            measures[field] = stable
    result = odata_to_tidy(
        records,
        region_field="WijkenEnBuurten",
        period_field="Perioden",
        measures=measures,
        source=source,
        release=SES_TABLE_ID,
        table_id=SES_TABLE_ID,
        source_file=path.name,
    )
    result.issues = issues + result.issues
    result.table = _with_households(result.table)
    names = {
        str(item.get("Key") or "").strip(): str(item.get("Title") or "").strip()
        for item in payload.get("WijkenEnBuurten") or []
        if isinstance(item, dict)
    }
    result.meta.update(
        {
            "api": "v3",
            "columns": {stable: header for header, stable in SES_INDICATORS.items()},
            "area_names": {code: name for code, name in names.items() if code and name},
            "unmapped": sorted(set(odata_headers(properties)) - set(measures)),
        }
    )
    return result


def _normalise(header: str) -> str:
    """Compare headers without case or spacing, as CBS varies both between downloads."""
    return " ".join(header.lower().split())
