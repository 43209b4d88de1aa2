# SPDX-License-Identifier: EUPL-1.2
"""The layer profiles: how each published area layer names its code, level, hierarchy, validity."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kansenaudit.data.geo.model import DIVISION_2015, DIVISION_2022
from kansenaudit.data.geo.records import text_of
from kansenaudit.data.tidy import SourceFormatError


@dataclass(frozen=True)
class Layer:
    name: str
    level: str | None
    division: str | None
    signature: tuple[str, ...]  # lower-case property names that must all be present
    absent: tuple[str, ...]  # ... and names that must not be
    code: str
    name_field: str | None
    cbs: str | None = None
    # (level, code field, name field) of the enclosing areas, nearest first
    hierarchy: tuple[tuple[str, str, str | None], ...] = ()
    valid_from: str | None = None
    valid_to: str | None = None
    hierarchy_from_code: bool = False  # derive the hierarchy from a gebiedcode22 code
    own_export: bool = False  # written by AreaRegistry.to_geojson: level etc. per feature


_LAYERS = (
    Layer(
        "kansenaudit",
        None,
        None,
        ("code", "name", "level", "division", "parent_code"),
        (),
        "code",
        "name",
        cbs="cbs_code",
        valid_from="valid_from",
        valid_to="valid_to",
        own_export=True,
    ),
    Layer(
        "INDELING_BUURT",
        "buurt",
        DIVISION_2022,
        ("buurtcode", "buurt", "wijkcode"),
        ("buurtnaam",),
        "buurtcode",
        "buurt",
        cbs="cbs_buurtcode",
        hierarchy=(
            ("wijk", "wijkcode", "wijk"),
            ("gebied", "gebiedcode", "gebied"),
            ("stadsdeel", "stadsdeelcode", "stadsdeel"),
        ),
    ),
    Layer(
        "GEBIED_BUURTEN",
        "buurt",
        DIVISION_2015,
        ("buurtcode", "buurtnaam"),
        (),
        "buurtcode",
        "buurtnaam",
        hierarchy=(("wijk", "wijkcode", None), ("stadsdeel", "stadsdeelcode", None)),
    ),
    Layer(
        "INDELING_WIJK",
        "wijk",
        DIVISION_2022,
        ("wijkcode", "wijk"),
        ("buurtcode",),
        "wijkcode",
        "wijk",
        cbs="cbs_wijkcode",
        hierarchy=(("gebied", "gebiedcode", "gebied"), ("stadsdeel", "stadsdeelcode", "stadsdeel")),
    ),
    Layer(
        "INDELING_GEBIED",
        "gebied",
        DIVISION_2022,
        ("gebiedcode", "gebied"),
        ("buurtcode", "wijkcode"),
        "gebiedcode",
        "gebied",
        hierarchy=(("stadsdeel", "stadsdeelcode", "stadsdeel"),),
    ),
    Layer(
        "GEBIED_STADSDELEN",
        "stadsdeel",
        DIVISION_2015,
        ("stadsdeelcode", "stadsdeelnaam"),
        ("buurtcode", "wijkcode"),
        "stadsdeelcode",
        "stadsdeelnaam",
    ),
    Layer(
        "INDELING_STADSDEEL",
        "stadsdeel",
        DIVISION_2022,
        ("stadsdeelcode", "stadsdeel"),
        ("buurtcode", "wijkcode", "gebiedcode"),
        "stadsdeelcode",
        "stadsdeel",
    ),
    Layer(
        "api.data.amsterdam.nl gebieden",
        None,  # buurten, wijken, ... : decided per file, see api_level
        DIVISION_2022,
        ("identificatie", "code", "naam"),
        (),
        "code",
        "naam",
        cbs="cbs_code",
        valid_from="begin_geldigheid",
        valid_to="eind_geldigheid",
        hierarchy_from_code=True,
    ),
)


def detect_layer(keys: set[str]) -> Layer | None:
    for layer in _LAYERS:
        if all(k in keys for k in layer.signature) and not any(k in keys for k in layer.absent):
            return layer
    return None


def single_value(features: list[dict], key: str, path: Path) -> str | None:
    """The one value all features give for ``key`` (our own export: level, division)."""
    values = {text_of(props.get(key)) for props in features} - {""}
    if len(values) > 1:
        raise SourceFormatError(f"features of several {key}s: {sorted(values)}", file=path)
    return values.pop() if values else None


def api_level(features: list[dict]) -> str | None:
    """The level of an api.data.amsterdam.nl export, from the CBS code or the parent link."""
    for props in features:
        cbs = str(props.get("cbs_code") or "")
        if cbs.startswith("BU"):
            return "buurt"
        if cbs.startswith("WK"):
            return "wijk"
        if props.get("ligt_in_wijk_identificatie") or props.get("ligt_in_wijk_id"):
            return "buurt"
    return None


_CODE22 = {
    "buurt": re.compile(r"[A-Z][A-Z]\d\d"),
    "wijk": re.compile(r"[A-Z][A-Z]"),
    "gebied": re.compile(r"G[A-Z]\d\d"),
}


def hierarchy_from_code22(code: str, level: str) -> dict[str, str]:
    """Enclosing areas named by a gebiedcode22 code itself (``AA01`` → wijk AA, stadsdeel A)."""
    if level == "buurt" and _CODE22["buurt"].fullmatch(code):
        return {"wijk": code[:2], "stadsdeel": code[0]}
    if level == "wijk" and _CODE22["wijk"].fullmatch(code):
        return {"stadsdeel": code[0]}
    if level == "gebied" and _CODE22["gebied"].fullmatch(code):
        return {"stadsdeel": code[1]}
    return {}
