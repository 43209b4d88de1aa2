# SPDX-License-Identifier: EUPL-1.2
"""Fetch and read CBS open data through the OData APIs (v3 and v4) into the tidy table.

CBS serves every StatLine table through two OData APIs:

v3 (``https://opendata.cbs.nl/ODataApi/odata/<table>/TypedDataSet``)
    *Wide*: one record per combination of dimension keys (``WijkenEnBuurten``, ``Perioden`` …)
    with one field per measure (``GemiddeldeSESWOAScore_5``). A page holds at most 10,000
    records and ends with ``"odata.nextLink"`` when there is more. String values are padded
    with spaces to a fixed width (``"GM0363    "``); a missing figure is ``null``.
v4 (``https://datasets.cbs.nl/odata/v1/CBS/<table>/Observations``)
    *Long*: one record per figure with ``Measure`` (a code), ``Value``, ``ValueAttribute``
    (``"None"``, or why the value is absent or special) and the dimension keys; the next page
    is in ``"@odata.nextLink"``.

:func:`fetch_odata` follows the next links of either version; :func:`read_odata_json` reads a
saved page; :func:`odata_to_tidy` and :func:`observations_to_tidy` turn records into the tidy
table. Strings are stripped of their padding as soon as a page is read. JSON has no line
numbers, so the tidy ``row`` of a record is its position in the list (1 = the first record).
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Callable, Iterable
from pathlib import Path

from kansenaudit.data._cbs_common import _area_level, _Sink, parse_period
from kansenaudit.data.tidy import TOTAL_GROUP, ReadResult, SourceFormatError
from kansenaudit.sources import USER_AGENT

__all__ = [
    "DEFAULT_USER_AGENT",
    "VALUE_ATTRIBUTES",
    "ODataError",
    "fetch_odata",
    "observations_to_tidy",
    "observations_url",
    "odata_to_tidy",
    "read_odata_json",
    "typed_dataset_url",
]

DEFAULT_USER_AGENT = USER_AGENT  # the same for every download Kansenaudit makes
V3_BASE = "https://opendata.cbs.nl/ODataApi/odata"
V4_BASE = "https://datasets.cbs.nl/odata/v1/CBS"
TIMEOUT_SECONDS = 60

#: v4 ``ValueAttribute`` → flags. ``Impossible`` is StatLine's blank ("cannot occur for logical
#: reasons"), ``Confidential`` its secret. ``Unknown``/``Missing`` and ``Unreliable`` are
#: mapped in case they occur; any other attribute is kept as ``attribute:<name>`` with a warning.
VALUE_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "None": (),
    "Impossible": ("not-applicable",),
    "Confidential": ("secret",),
    "Unknown": ("missing",),
    "Missing": ("missing",),
    "Unreliable": ("unreliable",),
}

_SAFE = "(),'"
_TABLE_ID_RE = re.compile(r"^[0-9A-Za-z]{5,12}$")
_NOT_DIMENSIONS = {"Id", "ID", "Measure", "Value", "ValueAttribute", "StringValue"}
_REGION_FIELDS = ("WijkenEnBuurten", "RegioS", "Regio", "Gemeenten")

Fetch = Callable[[str], bytes]


class ODataError(RuntimeError):
    """A page that could not be fetched or used; names the URL and, if any, the HTTP status."""

    def __init__(self, message: str, *, url: str, status: int | None = None) -> None:
        self.url = url
        self.status = status
        where = f"HTTP {status} " if status is not None else ""
        super().__init__(f"{where}{url}: {message}")


def typed_dataset_url(
    table_id: str,
    *,
    base: str = V3_BASE,
    filter: str | None = None,
    select: Iterable[str] | None = None,
) -> str:
    """The v3 ``TypedDataSet`` URL of a table, with an optional ``$filter`` and ``$select``.

    Examples
    --------
    >>> typed_dataset_url("85163NED", filter="substringof('GM0363', WijkenEnBuurten)",
    ...                   select=["WijkenEnBuurten", "Perioden"])
    "https://opendata.cbs.nl/ODataApi/odata/85163NED/TypedDataSet?$format=json&$filter=substringof('GM0363',%20WijkenEnBuurten)&$select=WijkenEnBuurten,Perioden"
    """
    query = [("$format", "json")]
    if filter:
        query.append(("$filter", filter))
    if select:
        query.append(("$select", ",".join(select)))
    return f"{base.rstrip('/')}/{_table(table_id)}/TypedDataSet?{_query(query)}"


def observations_url(table_id: str, *, base: str = V4_BASE, filter: str | None = None) -> str:
    """The v4 ``Observations`` URL of a table, with an optional ``$filter``.

    Examples
    --------
    >>> observations_url("85163NED", filter="startswith(WijkenEnBuurten,'WK0363')")
    "https://datasets.cbs.nl/odata/v1/CBS/85163NED/Observations?$filter=startswith(WijkenEnBuurten,'WK0363')"
    """
    url = f"{base.rstrip('/')}/{_table(table_id)}/Observations"
    return f"{url}?{_query([('$filter', filter)])}" if filter else url


def fetch_odata(
    url: str,
    *,
    fetch: Fetch | None = None,
    max_pages: int = 1000,
    user_agent: str = DEFAULT_USER_AGENT,
) -> list[dict]:
    """All records of an OData v3 or v4 query, following ``odata.nextLink``/``@odata.nextLink``.

    Parameters
    ----------
    url : the first page (see :func:`typed_dataset_url` and :func:`observations_url`).
    fetch : ``url -> bytes``; defaults to the shared HTTP client
        (:class:`kansenaudit.sources.http.HttpClient`: a timeout, retries that honour
        ``Retry-After``, a size limit) with ``user_agent``. Tests pass recorded pages. A fetch
        may raise :class:`~kansenaudit.sources.http.HttpError`; it becomes an
        :class:`ODataError` with the status.
    max_pages : stop with an error after this many pages (a runaway query).

    Raises
    ------
    ODataError
        On an HTTP error, a page that is not JSON, an error payload, a page without a
        ``value`` list, a next link that was already visited (a loop) or too many pages.

    Examples
    --------
    >>> pages = {
    ...     "https://x/T/TypedDataSet": b'{"value": [{"Code": "GM0363  "}],'
    ...                                 b' "odata.nextLink": "https://x/T/TypedDataSet?$skip=1"}',
    ...     "https://x/T/TypedDataSet?$skip=1": b'{"value": [{"Code": "GM0599  "}]}',
    ... }
    >>> fetch_odata("https://x/T/TypedDataSet", fetch=pages.__getitem__)
    [{'Code': 'GM0363'}, {'Code': 'GM0599'}]
    """
    if fetch is None:
        from kansenaudit.sources.http import HttpClient  # httpx only when downloading

        with HttpClient(
            user_agent=user_agent,
            accept="application/json",
            timeout=TIMEOUT_SECONDS,
            schemes=("https", "http"),
        ) as client:
            return _fetch_pages(url, client.get_bytes, max_pages)
    return _fetch_pages(url, fetch, max_pages)


def _fetch_pages(url: str, get: Fetch, max_pages: int) -> list[dict]:
    from kansenaudit.sources.http import HttpError

    records: list[dict] = []
    visited: set[str] = set()
    next_url: str | None = url
    while next_url is not None:
        if next_url in visited:
            raise ODataError("nextLink verwijst naar een al opgehaalde pagina (lus)", url=next_url)
        if len(visited) >= max_pages:
            raise ODataError(f"meer dan {max_pages} pagina's; gestopt", url=next_url)
        visited.add(next_url)
        try:
            body = get(next_url)
        except HttpError as exc:
            raise ODataError(exc.message, url=next_url, status=exc.status) from exc
        page = _page(body, next_url)
        records.extend(_strip(record) for record in page["value"])
        link = page.get("odata.nextLink") or page.get("@odata.nextLink")
        next_url = urllib.parse.urljoin(next_url, link) if link else None
    return records


def read_odata_json(path: str | Path) -> list[dict]:
    """The records of a saved OData page (v3 or v4), with string padding stripped.

    Raises :class:`~kansenaudit.data.tidy.SourceFormatError` for a file that is not JSON or
    has no ``value`` list.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "TypedDataSet.json"
    ...     _ = path.write_text('{"value": [{"ID": 0, "Naam_2": "Almelo    "}]}')
    ...     read_odata_json(path)
    [{'ID': 0, 'Naam_2': 'Almelo'}]
    """
    path = Path(path)
    try:
        return [_strip(record) for record in _page(path.read_bytes(), str(path))["value"]]
    except ODataError as exc:
        raise SourceFormatError(str(exc).split(": ", 1)[-1], file=path, row=1) from exc
    except OSError as exc:
        raise SourceFormatError(f"bestand niet te lezen: {exc}", file=path) from exc


def odata_to_tidy(
    records: list[dict],
    *,
    region_field: str,
    period_field: str | None,
    measures: dict[str, str] | list[str],
    source: str,
    release: str,
    table_id: str,
    period: int | None = None,
    source_file: str | None = None,
) -> ReadResult:
    """Turn v3 ``TypedDataSet`` records (one field per measure) into the tidy table.

    Parameters
    ----------
    records : from :func:`fetch_odata` or :func:`read_odata_json`.
    region_field, period_field : the dimension keys (``"WijkenEnBuurten"``, ``"Perioden"``);
        ``period_field=None`` with ``period`` for a table without a period dimension.
    measures : field → indicator key, or a list of fields (the field name is the key).
    source, release, table_id : for the tidy columns and ``meta``.
    source_file : what issues and ``source_file`` name; default ``<table_id>_TypedDataSet``.

    Examples
    --------
    >>> records = [{"ID": 0, "WijkenEnBuurten": "GM0363", "Perioden": "2019JJ00",
    ...             "GemiddeldeSESWOAScore_5": -0.1},
    ...            {"ID": 1, "WijkenEnBuurten": "BU03630100", "Perioden": "2019JJ00",
    ...             "GemiddeldeSESWOAScore_5": None}]
    >>> result = odata_to_tidy(records, region_field="WijkenEnBuurten", period_field="Perioden",
    ...                        measures={"GemiddeldeSESWOAScore_5": "ses_woa_score"},
    ...                        source="CBS", release="2019", table_id="85163NED")
    >>> result.table.select("indicator", "area_code", "area_level", "value", "flags").rows()
    [('ses_woa_score', 'GM0363', 'gemeente', -0.1, []), ('ses_woa_score', 'BU03630100', 'buurt', None, ['missing'])]
    """  # noqa: E501
    mapping = dict(measures) if isinstance(measures, dict) else {m: m for m in measures}
    sink = _Sink(
        file=source_file or f"{table_id}_TypedDataSet", source=source, release=release, issues=[]
    )
    present = {key for record in records for key in record}
    for field in list(mapping):
        if field not in present and records:
            sink.issue("error", None, field, field, "meetwaarde komt in geen enkel record voor")
            del mapping[field]
    for number, record in enumerate(records, start=1):
        place = _place(sink, record, number, region_field, period_field, period)
        if place is None:
            continue
        code, year, flags = place
        for field, key in mapping.items():
            value, value_flags = _number(sink, record.get(field), number, field, code)
            sink.add(
                indicator=key,
                area_code=code,
                area_level=_area_level(code),
                period=year,
                value=value,
                flags=flags + value_flags,
                row=number,
            )
    meta = {"table_id": table_id, "api": "v3", "records": len(records), "measures": mapping}
    return ReadResult(table=sink.frame(), issues=sink.issues, meta=meta)


def observations_to_tidy(
    records: list[dict],
    *,
    source: str,
    release: str,
    table_id: str,
    region_field: str | None = None,
    period_field: str | None = "Perioden",
    measures: dict[str, str] | list[str] | None = None,
    period: int | None = None,
    source_file: str | None = None,
) -> ReadResult:
    """Turn v4 ``Observations`` records (one per figure) into the tidy table.

    Parameters
    ----------
    records : from :func:`fetch_odata` or :func:`read_odata_json`.
    region_field : ``WijkenEnBuurten``, ``RegioS`` …; found from the records when None.
    period_field : ``Perioden``, or None with ``period``.
    measures : measure code → indicator key, or a list of codes; other measures are left out
        (counted in ``meta["skipped_measures"]``). None keeps every measure under its code.
    source, release, table_id, source_file : as in :func:`odata_to_tidy`.

    A ``ValueAttribute`` becomes flags (:data:`VALUE_ATTRIBUTES`); a null value without a
    reason gets ``missing``. Other dimension fields become the group ``<field>:<code>``; CBS
    total codes start with ``T00`` (``T001038`` = men and women), so those stay ``totaal``.

    Examples
    --------
    >>> records = [
    ...     {"Id": 1, "Measure": "M000352", "Value": 4.2, "ValueAttribute": "None",
    ...      "WijkenEnBuurten": "WK036300", "Perioden": "2019JJ00"},
    ...     {"Id": 2, "Measure": "M000352", "Value": None, "ValueAttribute": "Confidential",
    ...      "WijkenEnBuurten": "BU03630100", "Perioden": "2019JJ00"}]
    >>> result = observations_to_tidy(records, source="CBS", release="2019", table_id="X")
    >>> result.table.select("indicator", "area_code", "value", "flags").rows()
    [('M000352', 'WK036300', 4.2, []), ('M000352', 'BU03630100', None, ['secret'])]
    """
    mapping = None
    if measures is not None:
        mapping = dict(measures) if isinstance(measures, dict) else {m: m for m in measures}
    sink = _Sink(
        file=source_file or f"{table_id}_Observations", source=source, release=release, issues=[]
    )
    if region_field is None:
        present = {key for record in records[:100] for key in record}
        region_field = next((f for f in _REGION_FIELDS if f in present), "RegioS")
    skipped: dict[str, int] = {}
    warned_attributes: set[str] = set()
    for number, record in enumerate(records, start=1):
        measure = str(record.get("Measure") or "").strip()
        if not measure:
            sink.issue("error", number, "Measure", None, "record zonder Measure; overgeslagen")
            continue
        if mapping is not None and measure not in mapping:
            skipped[measure] = skipped.get(measure, 0) + 1
            continue
        place = _place(sink, record, number, region_field, period_field, period)
        if place is None:
            continue
        code, year, flags = place
        value, value_flags = _number(sink, record.get("Value"), number, measure, code)
        attribute = str(record.get("ValueAttribute") or "None").strip()
        if attribute in VALUE_ATTRIBUTES:
            value_flags = [f for f in value_flags if f != "missing"]
            value_flags += VALUE_ATTRIBUTES[attribute]
        else:
            value_flags.append(f"attribute:{attribute}")
            if attribute not in warned_attributes:
                warned_attributes.add(attribute)
                sink.issue(
                    "warning",
                    number,
                    "ValueAttribute",
                    attribute,
                    "onbekend ValueAttribute; als vlag bewaard",
                )
        if value is None and not value_flags:
            value_flags = ["missing"]
        sink.add(
            indicator=mapping[measure] if mapping is not None else measure,
            area_code=code,
            area_level=_area_level(code),
            period=year,
            value=value,
            flags=flags + value_flags,
            row=number,
            group=_v4_group(record, region_field, period_field),
        )
    meta = {
        "table_id": table_id,
        "api": "v4",
        "records": len(records),
        "region_field": region_field,
        "skipped_measures": skipped,
    }
    return ReadResult(table=sink.frame(), issues=sink.issues, meta=meta)


# --- helpers ------------------------------------------------------------------------------


def _table(table_id: str) -> str:
    # The id becomes a path segment: refuse anything that could change the path or query.
    if not _TABLE_ID_RE.match(table_id):
        raise ValueError(f"geen CBS-tabelnummer: {table_id!r}")
    return table_id


def _query(pairs: list[tuple[str, str]]) -> str:
    # Keep OData's $-names and the quotes, commas and parentheses of filters readable.
    return "&".join(f"{key}={urllib.parse.quote(value, safe=_SAFE)}" for key, value in pairs)


def _page(body: bytes, url: str) -> dict:
    try:
        page = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ODataError(f"geen geldige JSON ({exc})", url=url) from exc
    if isinstance(page, dict) and ("odata.error" in page or "error" in page):
        error = page.get("odata.error") or page.get("error") or {}
        message = error.get("message") if isinstance(error, dict) else error
        if isinstance(message, dict):  # v3 nests {"lang": …, "value": …}
            message = message.get("value")
        raise ODataError(f"foutmelding van de server: {message}", url=url)
    if not isinstance(page, dict) or not isinstance(page.get("value"), list):
        raise ODataError("pagina zonder lijst 'value'", url=url)
    for number, record in enumerate(page["value"], start=1):
        if not isinstance(record, dict):
            raise ODataError(f"record {number} in 'value' is geen object", url=url)
    return page


def _strip(record: dict) -> dict:
    # v3 pads strings to a fixed width ("GM0363    "); nobody wants the spaces.
    return {
        key: value.strip() if isinstance(value, str) else value for key, value in record.items()
    }


def _place(
    sink: _Sink,
    record: dict,
    number: int,
    region_field: str,
    period_field: str | None,
    period: int | None,
) -> tuple[str, int, list[str]] | None:
    """(area code, year, flags) of a record, or None after reporting why it is unusable."""
    code = str(record.get(region_field) or "").strip()
    if not code:
        sink.issue("error", number, region_field, None, "record zonder regiocode; overgeslagen")
        return None
    if period_field is None:
        if period is None:
            raise ValueError("period_field=None vraagt een period")
        return code, period, []
    raw = str(record.get(period_field) or "").strip()
    try:
        year, flags = parse_period(raw)
    except ValueError:
        sink.issue(
            "error",
            number,
            period_field,
            raw or None,
            f"periode niet herkend voor gebied {code}; record overgeslagen",
        )
        return None
    return code, year, flags


def _number(
    sink: _Sink, raw: object, number: int, field: str, code: str
) -> tuple[float | None, list[str]]:
    if raw is None:
        return None, ["missing"]
    if isinstance(raw, bool):
        pass  # JSON true/false is not a figure
    elif isinstance(raw, int | float):
        return float(raw), []
    elif isinstance(raw, str):
        try:
            return float(raw.strip()), []
        except ValueError:
            pass
    sink.issue(
        "error", number, field, str(raw)[:40], f"geen getal in gebied {code}; waarde leeg gelaten"
    )
    return None, ["invalid"]


def _v4_group(record: dict, region_field: str, period_field: str | None) -> str:
    parts = []
    for key, value in record.items():
        if key in _NOT_DIMENSIONS or key in (region_field, period_field):
            continue
        category = str(value).strip()
        if category and not category.startswith("T00"):
            parts.append(f"{key}:{category}")
    return ";".join(parts) if parts else TOTAL_GROUP
