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
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from kansenaudit.data.cbs_statline import read_statline_csv
from kansenaudit.data.tidy import ReadIssue, ReadResult

__all__ = ["SES_INDICATORS", "SES_TABLE_ID", "read_ses_woa"]

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
    table = result.table.with_columns(pl.col("indicator").replace(rename))
    households = (
        table.filter(pl.col("indicator") == _HOUSEHOLDS)
        .select("area_code", "period", "group", pl.col("value").alias("_households"))
        .unique(subset=["area_code", "period", "group"], keep="first")
    )
    table = (
        table.join(
            households, on=["area_code", "period", "group"], how="left", maintain_order="left"
        )
        .with_columns(pl.col("_households").alias("n"))
        .drop("_households")
        .select(result.table.columns)
    )
    result.table = table
    result.meta["columns"] = {rename.get(key, key): header for key, header in columns.items()}
    result.meta["units"] = {rename.get(k, k): unit for k, unit in result.meta["units"].items()}
    result.meta["unmapped"] = sorted(set(columns) - set(rename))
    return result


def _normalise(header: str) -> str:
    """Compare headers without case or spacing, as CBS varies both between downloads."""
    return " ".join(header.lower().split())
