# SPDX-License-Identifier: EUPL-1.2
"""Fetch the published source files of a city, verify them and keep them in a cache.

``kansenaudit data pull amsterdam`` downloads the newest releases from the official publishers
(OIS Amsterdam's BBGA and its metadata, CBS SES-WOA and Kerncijfers wijken en buurten, the
city's area geometries). ``--mirror DIR`` takes the same files from a local folder instead (no
internet; CI uses the shared test data as mirror). Every file lands in
``<data dir>/sources/<city>/<key>/`` with a ``manifest.json`` that records where it came from,
when, its size and SHA-256, and the release the reader found in it, so every number in a report
can be traced back to one exact file.

A file is only accepted after its reader parsed it (``verify``): a truncated download or an
HTML error page never replaces a good cached file. Fetching is injectable (``fetch``) so tests
use recorded responses, never the internet; the default goes through the shared HTTP client
(:mod:`kansenaudit.sources.http`: https only, timeouts, retries, a size limit).
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import hashlib
import json
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

__all__ = [
    "CITY_SOURCES",
    "CachedFile",
    "PullError",
    "PullResult",
    "SourceSpec",
    "cached_files",
    "pull",
]


class PullError(RuntimeError):
    """A source could not be fetched or verified; the message names the source and URL/file."""


@dataclass(frozen=True)
class SourceSpec:
    """One published source file (or set of files) of a city.

    ``urls`` are tried in order; ``mirror_patterns`` are file-name globs searched for
    (recursively) in a mirror folder; ``kind`` names the reader that verifies the file;
    ``many`` allows several files (e.g. BBGA split by area level).
    """

    key: str
    title: str
    publisher: str
    kind: str
    urls: tuple[str, ...] = ()
    mirror_patterns: tuple[str, ...] = ()
    required: bool = True
    many: bool = False


@dataclass(frozen=True)
class CachedFile:
    """A verified file in the cache and its provenance."""

    key: str
    kind: str
    path: str
    origin: str  # URL or mirror path
    sha256: str
    size: int
    retrieved_at: str  # ISO timestamp (UTC)
    release: str = ""
    publisher: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class PullResult:
    city: str
    folder: Path
    files: list[CachedFile] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # optional sources not found
    messages: list[str] = field(default_factory=list)

    def for_key(self, key: str) -> list[CachedFile]:
        return [item for item in self.files if item.key == key]


# The official addresses as published in 2025-2026. They change: when a download fails the
# error names the address, and the same files can always be given as a mirror folder.
CITY_SOURCES: dict[str, tuple[SourceSpec, ...]] = {
    "amsterdam": (
        SourceSpec(
            key="bbga",
            title="Basisbestand Gebieden Amsterdam (kerncijfers, lang formaat)",
            publisher="OIS Amsterdam",
            kind="bbga",
            urls=(
                "https://onderzoek.amsterdam.nl/static/datasets/bbga_latest_and_greatest.csv",
                "dcat:https://api.data.amsterdam.nl/dcatd/datasets/G5JpqNbhweXZSw#bbga!metadata",
            ),
            mirror_patterns=(
                "bbga_latest_and_greatest*.csv",
                "bbga_*gebieden*.csv",
                "bbga_*stadsdelen*.csv",
                "bbga_*buurten*.csv",
                "bbga_*wijken*.csv",
            ),
            many=True,
        ),
        SourceSpec(
            key="bbga_metadata",
            title="BBGA metadata (definities, eenheden, polariteit)",
            publisher="OIS Amsterdam",
            kind="bbga_metadata",
            urls=(
                "https://onderzoek.amsterdam.nl/static/datasets/metadata_latest_and_greatest.csv",
                "dcat:https://api.data.amsterdam.nl/dcatd/datasets/G5JpqNbhweXZSw#metadata",
            ),
            mirror_patterns=("metadata_latest_and_greatest*.csv", "bbga_*_metadata.csv"),
        ),
        SourceSpec(
            key="geo_buurten",
            title="Gebiedsindeling: buurten (met wijk-, gebied- en stadsdeelcodes)",
            publisher="Gemeente Amsterdam, Basisinformatie",
            kind="geometries",
            urls=(
                "https://maps.amsterdam.nl/open_geodata/geojson_lnglat.php?KAART=INDELING_BUURT"
                "&NAAM=&THEMA=gebiedsindeling",
            ),
            mirror_patterns=("amsterdam_indeling_buurt_*.geojson", "INDELING_BUURT*.geojson"),
            required=False,
        ),
        SourceSpec(
            key="geo_gebieden",
            title="Gebiedsindeling: gebieden",
            publisher="Gemeente Amsterdam, Basisinformatie",
            kind="geometries",
            urls=(
                "https://maps.amsterdam.nl/open_geodata/geojson_lnglat.php?KAART=INDELING_GEBIED"
                "&NAAM=&THEMA=gebiedsindeling",
            ),
            mirror_patterns=("amsterdam_indeling_gebied_*.geojson", "INDELING_GEBIED*.geojson"),
            required=False,
        ),
        SourceSpec(
            key="geo_stadsdelen",
            title="Gebiedsindeling: stadsdelen (oude codes, WKT)",
            publisher="Gemeente Amsterdam, Basisinformatie",
            kind="geometries",
            mirror_patterns=("amsterdam_GEBIED_STADSDELEN*.csv", "GEBIED_STADSDELEN*.csv"),
            required=False,
        ),
        SourceSpec(
            key="geo_buurten_2015",
            title="Gebiedsindeling 2015-2021: buurten met oude codes (WKT)",
            publisher="Gemeente Amsterdam, Basisinformatie",
            kind="geometries",
            mirror_patterns=("amsterdam_GEBIED_BUURTEN*.csv", "GEBIED_BUURTEN*.csv"),
            required=False,
        ),
        SourceSpec(
            key="cbs_ses",
            title="SES-WOA per wijk en buurt (85163NED)",
            publisher="CBS",
            kind="statline_ses",
            urls=(
                "odata:https://opendata.cbs.nl/ODataApi/odata/85163NED/TypedDataSet"
                "?$filter=substringof('0363',WijkenEnBuurten)",
            ),
            mirror_patterns=("ses_woa_85163NED*.csv",),
            required=False,
        ),
        SourceSpec(
            key="cbs_kwb",
            title="Kerncijfers wijken en buurten (wijk- en buurtkaart, attributen)",
            publisher="CBS",
            kind="kwb",
            mirror_patterns=("kwb*_wijken_*.csv",),
            required=False,
        ),
    ),
}


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def default_fetch(url: str) -> bytes:
    """Download ``url`` over https with the shared client (User-Agent, timeouts, retries, limit).

    Every failure is a :class:`PullError` naming the URL (and the HTTP status, if any).
    """
    from kansenaudit.sources.http import HttpError, fetch_bytes  # httpx only when downloading

    try:
        return fetch_bytes(url)
    except HttpError as exc:
        raise PullError(str(exc)) from exc


def _find_in_mirror(mirror: Path, patterns: Iterable[str]) -> list[Path]:
    found: list[Path] = []
    files = sorted(p for p in mirror.rglob("*") if p.is_file())
    for pattern in patterns:
        for path in files:
            if fnmatch.fnmatch(path.name, pattern) and path not in found:
                found.append(path)
    return found


def _verify(kind: str, path: Path) -> str:
    """Parse ``path`` with its reader; return the release it reports. Raises on bad files."""
    from kansenaudit.data import readers

    return readers.verify(kind, path)


def _resolve_url(url: str, fetch: Callable[[str], bytes]) -> tuple[str, str]:
    """Turn a ``dcat:`` or ``odata:`` address into a downloadable URL and a file suffix."""
    if url.startswith("dcat:"):
        catalogue_url, _, wanted = url[5:].partition("#")
        try:
            catalogue = json.loads(fetch(catalogue_url))
        except ValueError as exc:
            raise PullError(f"{catalogue_url}: geen geldige DCAT-catalogus") from exc
        # "#bbga!metadata" = title contains "bbga" and not "metadata": the BBGA data and its
        # metadata file have nearly the same titles.
        include, _, exclude = wanted.partition("!")
        for dist in catalogue.get("dcat:distribution", []):
            title = str(dist.get("dct:title", "")).lower()
            if (
                include in title
                and not (exclude and exclude in title)
                and dist.get("dcat:accessURL")
            ):
                return dist["dcat:accessURL"], ".csv"
        raise PullError(f"{catalogue_url}: geen distributie met '{wanted}' in de titel")
    if url.startswith("odata:"):
        return url[6:], ".json"
    suffix = ".geojson" if "geojson" in url else ".csv"
    return url, suffix


def _odata_to_file(url: str, fetch: Callable[[str], bytes], target: Path) -> None:
    """Save every record of a v3 ``TypedDataSet`` query with the table's field descriptions.

    The records alone name their fields by numbered keys (``ParticuliereHuishoudens_4``);
    ``DataProperties`` says what each field is (title, topic group, unit), so the reader
    recognises the fields by what they are rather than by a number that may change between
    releases. The region dimension (``WijkenEnBuurten``: code → name) comes along where the
    table has one.
    """
    from kansenaudit.data.cbs_odata import fetch_odata

    records = fetch_odata(url, fetch=fetch)
    payload: dict[str, list[dict]] = {"value": records}
    table_url, marker, _ = url.partition("/TypedDataSet")
    if marker:
        payload["DataProperties"] = fetch_odata(f"{table_url}/DataProperties", fetch=fetch)
        regions = [
            p["Key"]
            for p in payload["DataProperties"]
            if p.get("Type") == "GeoDimension" and p.get("Key")
        ]
        for region in regions:
            payload[region] = fetch_odata(f"{table_url}/{region}", fetch=fetch)
    target.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")


def pull(
    city: str,
    *,
    cache_dir: Path,
    mirror: Path | None = None,
    fetch: Callable[[str], bytes] | None = None,
    progress: Callable[[str], None] | None = None,
    only: Iterable[str] | None = None,
) -> PullResult:
    """Fetch, verify and cache the sources of ``city``; return what is now in the cache.

    Raises :class:`PullError` when a required source cannot be had; optional sources that are
    missing are listed in ``skipped``. A file already cached with the same SHA-256 is kept as
    it was (its first retrieval date stays), so repeated pulls are idempotent.
    """
    if city not in CITY_SOURCES:
        raise PullError(f"onbekende stad {city!r}; bekend: {', '.join(sorted(CITY_SOURCES))}")
    if mirror is not None and not mirror.is_dir():
        raise PullError(f"spiegelmap bestaat niet: {mirror}")
    fetch = fetch or default_fetch
    folder = cache_dir / "sources" / city
    folder.mkdir(parents=True, exist_ok=True)
    previous = {item.path: item for item in cached_files(folder)}
    result = PullResult(city=city, folder=folder)
    wanted = set(only) if only else None
    for spec in CITY_SOURCES[city]:
        if wanted is not None and spec.key not in wanted:
            continue
        if progress:
            progress(spec.key)
        try:
            files = _pull_one(spec, folder, mirror, fetch, previous)
        except PullError as exc:
            if spec.required:
                raise
            result.skipped.append(spec.key)
            result.messages.append(f"{spec.key}: overgeslagen ({exc})")
            continue
        result.files.extend(files)
    # Sources that were not pulled this time (not asked for, or skipped because their new
    # file was unusable) keep their earlier, verified files in the manifest.
    pulled_keys = {item.key for item in result.files}
    kept = {path: item for path, item in previous.items() if item.key not in pulled_keys}
    _write_manifest(folder, result.files, keep=kept)
    return result


def _pull_one(
    spec: SourceSpec,
    folder: Path,
    mirror: Path | None,
    fetch: Callable[[str], bytes],
    previous: dict[str, CachedFile],
) -> list[CachedFile]:
    """Fetch and verify every file of one source, then (only then) replace the cached ones."""
    target_dir = folder / spec.key
    target_dir.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="kansenaudit-pull-"))
    try:
        if mirror is not None:
            verified = _from_mirror(spec, mirror)
        else:
            verified = _download(spec, fetch, scratch)
        # Every file of the source is good: now copy them in. A file is written next to its
        # place first and then renamed, so an interruption never leaves half a file.
        cached: list[CachedFile] = []
        for origin, path, release in verified:
            name = path.name if mirror is not None else f"{spec.key}{path.suffix}"
            destination = target_dir / name
            sha = _sha256(path)
            old = previous.get(str(destination))
            if old is not None and old.sha256 == sha and destination.exists():
                cached.append(old)
                continue
            partial = destination.with_suffix(destination.suffix + ".part")
            shutil.copyfile(path, partial)
            partial.replace(destination)
            cached.append(
                CachedFile(
                    key=spec.key,
                    kind=spec.kind,
                    path=str(destination),
                    origin=origin,
                    sha256=sha,
                    size=destination.stat().st_size,
                    retrieved_at=_now(),
                    release=release,
                    publisher=spec.publisher,
                )
            )
        return cached
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _checked(spec: SourceSpec, path: Path) -> str:
    try:
        return _verify(spec.kind, path)
    except Exception as exc:
        raise PullError(f"{spec.title}: {path.name} is onbruikbaar: {exc}") from exc


def _from_mirror(spec: SourceSpec, mirror: Path) -> list[tuple[str, Path, str]]:
    paths = _find_in_mirror(mirror, spec.mirror_patterns)
    if not paths:
        raise PullError(
            f"{spec.title}: geen bestand in {mirror} dat past bij {', '.join(spec.mirror_patterns)}"
        )
    return [(str(path), path, _checked(spec, path)) for path in (paths if spec.many else paths[:1])]


def _download(
    spec: SourceSpec, fetch: Callable[[str], bytes], scratch: Path
) -> list[tuple[str, Path, str]]:
    """Try the official addresses in order; the first that yields a verified file wins."""
    errors = []
    for url in spec.urls:
        try:
            real_url, suffix = _resolve_url(url, fetch)
            tmp = scratch / f"{spec.key}{suffix}"
            if url.startswith("odata:"):
                _odata_to_file(real_url, fetch, tmp)
            else:
                tmp.write_bytes(fetch(real_url))
            # Verify before giving up on the other addresses: an address that answers with an
            # HTML error page (HTTP 200) must not block a good fallback.
            return [(real_url, tmp, _checked(spec, tmp))]
        except PullError as exc:
            errors.append(str(exc))
        except Exception as exc:  # a JSON or reader error in a downloaded file
            errors.append(f"{url}: {exc}")
    detail = "; ".join(errors) or "geen officieel downloadadres bekend"
    raise PullError(f"{spec.title}: ophalen mislukt: {detail}")


def _write_manifest(
    folder: Path, files: list[CachedFile], keep: dict[str, CachedFile] | None
) -> None:
    records = {item.path: item for item in (keep or {}).values()}
    records.update({item.path: item for item in files})
    payload = {
        "written_at": _now(),
        "files": [item.as_dict() for item in sorted(records.values(), key=lambda i: i.path)],
    }
    tmp = folder / "manifest.json.part"
    tmp.write_text(json.dumps(payload, indent=2, ensure_ascii=False), encoding="utf-8")
    tmp.replace(folder / "manifest.json")


def cached_files(folder: Path) -> list[CachedFile]:
    """What the manifest in ``folder`` says is cached (files that vanished are left out)."""
    manifest = folder / "manifest.json"
    if not manifest.is_file():
        return []
    try:
        payload = json.loads(manifest.read_text(encoding="utf-8"))
    except ValueError:
        return []
    items = [CachedFile(**record) for record in payload.get("files", [])]
    return [item for item in items if Path(item.path).is_file()]
