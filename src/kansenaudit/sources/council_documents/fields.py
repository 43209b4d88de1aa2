# SPDX-License-Identifier: EUPL-1.2
"""Tolerant readers of API fields and dates: several names per field, absence allowed.

The OpenBesluitvorming and Notubiz responses are read by name, and the names are not all
certain (see the package docstring). These helpers try each name in turn and give None for
what is missing, so a renamed or absent field leaves a value empty instead of failing.
"""

from __future__ import annotations

import re
import unicodedata
import urllib.parse
from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_DUTCH_MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "januari", "februari", "maart", "april", "mei", "juni",
            "juli", "augustus", "september", "oktober", "november", "december",
        ],
        start=1,
    )
}  # fmt: skip


def _source_key_from_id(entity_id: str) -> str | None:
    # "document:notubiz:gemeente:soest:12345": type, supplier, kind of body, key, local id.
    parts = entity_id.split(":")
    return parts[3] if len(parts) >= 5 and parts[3] else None


def _iso_date(value: date | datetime | str | None, name: str) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value).strip()).isoformat()
    except ValueError as exc:
        raise ValueError(f"{name}: geen datum JJJJ-MM-DD: {value!r}") from exc


def _utc_iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _entity_date(raw: dict) -> date | None:
    stamp = _text(_first(raw, "sortDate", "sort_date", "start_date", "startDate"))
    if stamp:
        parsed = _local_date(stamp)
        if parsed:
            return parsed
    return _parse_date(_text(_first(raw, "date")))


def _local_date(stamp: str) -> date | None:
    """The Dutch calendar date of a UTC timestamp ("2024-11-07 19:00:00", "…T19:00:00Z")."""
    text = stamp.strip().replace("Z", "+00:00")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return date.fromisoformat(text)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return _parse_date(stamp)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(_amsterdam()).date()


def _amsterdam() -> tzinfo:
    try:
        return ZoneInfo("Europe/Amsterdam")
    except ZoneInfoNotFoundError:  # no tz database: the UTC date, off only around midnight
        return UTC


def _parse_date(text: str | None) -> date | None:
    """``2018-02-08``, ``2018-02-08 13:30:00`` or Dutch ``7 november 2024``; else None.

    Examples
    --------
    >>> _parse_date("7 november 2024"), _parse_date("2018-02-08 13:30:00"), _parse_date("")
    (datetime.date(2024, 11, 7), datetime.date(2018, 2, 8), None)
    """
    if not text:
        return None
    text = text.strip()
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", text)
    if match:
        try:
            return date(*(int(part) for part in match.groups()))
        except ValueError:
            return None
    match = re.fullmatch(r"(?:\w+dag\s+)?(\d{1,2})\s+([a-z]+)\s+(\d{4})", text.casefold())
    if match and match.group(2) in _DUTCH_MONTHS:
        try:
            return date(int(match.group(3)), _DUTCH_MONTHS[match.group(2)], int(match.group(1)))
        except ValueError:
            return None
    return None


def _first(raw: object, *keys: str) -> object:
    """The first of ``keys`` present and not None/empty in a dict."""
    if not isinstance(raw, dict):
        return None
    for key in keys:
        value = raw.get(key)
        if value is not None and value != "":
            return value
    return None


def _text(value: object) -> str | None:
    if value is None or isinstance(value, dict | list | bool):
        return None
    text = str(value).strip()
    return text or None


def _name_of(value: object) -> str | None:
    if isinstance(value, dict):
        return _text(_first(value, "name", "label", "title", "id"))
    return _text(value)


def _id_of(value: object) -> str | None:
    if isinstance(value, dict):
        return _text(_first(value, "id", "entityId", "@id"))
    return _text(value)


def _dicts(value: object) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def _norm_name(name: str) -> str:
    folded = re.sub(r"\s+", " ", _fold(name))
    return re.sub(r"^gemeente\s+", "", folded)


def _next_link(page: dict) -> str | None:
    link = _first(page, "next", "nextUrl", "next_url", "nextLink")
    if isinstance(link, str) and link:
        return link
    for container in ("links", "_links"):
        links = page.get(container)
        if isinstance(links, dict):
            nxt = links.get("next")
            if isinstance(nxt, dict):
                nxt = nxt.get("href")
            if isinstance(nxt, str) and nxt:
                return nxt
    return None


def _int_param(url: str, name: str, default: int) -> int:
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
    try:
        return int(query[name])
    except (KeyError, ValueError):
        return default


def _bool_header(value: str | None) -> bool | None:
    if value is None:
        return None
    folded = value.strip().casefold()
    if folded in ("true", "1", "yes"):
        return True
    if folded in ("false", "0", "no"):
        return False
    return None
