# SPDX-License-Identifier: EUPL-1.2
"""The ``kansenaudit.framework/1`` schema: validating a framework, and reading and writing it
as JSON.
"""

from __future__ import annotations

import re
from typing import Any

from kansenaudit.policy.frameworks.model import Criterion, Framework, FrameworkError, Level, Scale

SCHEMA = "kansenaudit.framework/1"
SCALE_KINDS = ("ordinal", "nominal")

_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,15}$")


# --- validation ---------------------------------------------------------------------------------


def _blank(value: Any) -> bool:
    return not isinstance(value, str) or not value.strip()


def _problems(fw: Framework) -> list[str]:
    problems: list[str] = []
    if not isinstance(fw.key, str) or not _KEY.match(fw.key):
        problems.append(
            f"sleutel {fw.key!r} moet bestaan uit kleine letters, cijfers, '-' of '_' "
            "(maximaal 64 tekens)"
        )
    for name in ("name", "source"):
        if _blank(getattr(fw, name)):
            problems.append(f"veld {name!r} mag niet leeg zijn")
    if not isinstance(fw.description, str):
        problems.append("veld 'description' moet tekst zijn")

    scale = fw.scale
    if scale.kind not in SCALE_KINDS:
        problems.append(f"schaalsoort {scale.kind!r} moet 'ordinal' of 'nominal' zijn")
    if len(scale.levels) < 2:
        problems.append("een schaal heeft minstens twee waarden nodig")
    values = [level.value for level in scale.levels]
    labels = [level.label.strip().casefold() for level in scale.levels if not _blank(level.label)]
    if len(set(map(repr, values))) != len(values):
        problems.append("schaalwaarden komen dubbel voor")
    if len(set(labels)) != len(labels):
        problems.append("schaallabels komen dubbel voor")
    if any(_blank(level.label) for level in scale.levels):
        problems.append("een schaallabel is leeg")
    if scale.kind == "ordinal":
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            problems.append("een ordinale schaal heeft hele getallen als waarden")
        elif values != sorted(values):
            problems.append("de waarden van een ordinale schaal moeten oplopen")
    elif scale.kind == "nominal" and not all(isinstance(v, str) and v.strip() for v in values):
        problems.append("een nominale schaal heeft niet-lege tekstcodes als waarden")
    if scale.not_applicable is not None:
        if _blank(scale.not_applicable):
            problems.append("het label voor 'niet van toepassing' is leeg")
        elif scale.not_applicable.strip().casefold() in labels:
            problems.append("het label voor 'niet van toepassing' is ook een schaalwaarde")

    if not fw.criteria:
        problems.append("een kader heeft minstens één criterium nodig")
    codes = [c.code for c in fw.criteria]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        problems.append(f"criteriumcodes komen dubbel voor: {', '.join(duplicates)}")
    for criterion in fw.criteria:
        if not isinstance(criterion.code, str) or not _CODE.match(criterion.code):
            problems.append(
                f"criteriumcode {criterion.code!r}: letters, cijfers, '.', '-' of '_', "
                "maximaal 16 tekens"
            )
        if _blank(criterion.name):
            problems.append(f"criterium {criterion.code!r}: naam is leeg")
        if _blank(criterion.question):
            problems.append(f"criterium {criterion.code!r}: vraag is leeg")
    return problems


def validate_framework(fw: Framework) -> None:
    """Check a framework: key, non-empty texts, unique criterion codes, a valid scale.

    Raises
    ------
    FrameworkError
        Listing every problem, in Dutch, so an auditor editing JSON can fix them in one go.
    """
    problems = _problems(fw)
    if problems:
        raise FrameworkError(problems)


# --- JSON ---------------------------------------------------------------------------------------


def to_dict(fw: Framework) -> dict[str, Any]:
    """The framework as JSON-able data (``json.dumps`` it to store it with a dossier).

    >>> from kansenaudit.policy.frameworks import framework
    >>> data = to_dict(framework("smart"))
    >>> data["schema"], [c["code"] for c in data["criteria"]]
    ('kansenaudit.framework/1', ['S', 'M', 'A', 'R', 'T'])
    >>> from_dict(data) == framework("smart")
    True
    """
    return {
        "schema": SCHEMA,
        "key": fw.key,
        "name": fw.name,
        "description": fw.description,
        "source": fw.source,
        "scale": {
            "kind": fw.scale.kind,
            "not_applicable": fw.scale.not_applicable,
            "levels": [
                {"value": lv.value, "label": lv.label, "description": lv.description}
                for lv in fw.scale.levels
            ],
        },
        "criteria": [
            {"code": c.code, "name": c.name, "question": c.question, "guidance": c.guidance}
            for c in fw.criteria
        ],
    }


def _take(
    data: Any, where: str, required: tuple[str, ...], optional: tuple[str, ...], problems: list
) -> dict[str, Any]:
    if not isinstance(data, dict):
        problems.append(f"{where}: verwacht een object, kreeg {type(data).__name__}")
        return {}
    unknown = sorted(set(data) - set(required) - set(optional))
    if unknown:
        problems.append(f"{where}: onbekende velden {', '.join(map(repr, unknown))}")
    missing = [name for name in required if name not in data]
    if missing:
        problems.append(f"{where}: ontbrekende velden {', '.join(map(repr, missing))}")
    return data


def _text(value: Any, where: str, problems: list, *, optional: bool = False) -> str:
    if value is None and optional:
        return ""
    if not isinstance(value, str):
        problems.append(f"{where}: verwacht tekst, kreeg {type(value).__name__}")
        return ""
    return value


def from_dict(data: dict[str, Any]) -> Framework:
    """Read a framework from :func:`to_dict` output (for example an edited JSON file).

    Strict: unknown or missing fields, wrong types and everything :func:`validate_framework`
    checks are errors, because a silently ignored typo would change how a dossier is scored.

    Raises
    ------
    FrameworkError
        Listing every problem found.
    """
    problems: list[str] = []
    top = _take(
        data,
        "kader",
        ("schema", "key", "name", "source", "scale", "criteria"),
        ("description",),
        problems,
    )
    if top and top.get("schema") != SCHEMA:
        problems.append(f"kader: schema moet {SCHEMA!r} zijn, kreeg {top.get('schema')!r}")
    scale_data = _take(
        top.get("scale"), "schaal", ("kind", "levels"), ("not_applicable",), problems
    )
    levels: list[Level] = []
    raw_levels = scale_data.get("levels", [])
    if not isinstance(raw_levels, list):
        problems.append("schaal: 'levels' moet een lijst zijn")
        raw_levels = []
    for i, item in enumerate(raw_levels, start=1):
        where = f"schaalwaarde {i}"
        if isinstance(item, (list, tuple)) and len(item) == 3:
            item = dict(zip(("value", "label", "description"), item, strict=True))
        entry = _take(item, where, ("value", "label"), ("description",), problems)
        value: Any = entry.get("value")  # checked just below; a bad one is reported, not raised
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            problems.append(f"{where}: waarde moet een geheel getal of tekst zijn")
        levels.append(
            Level(
                value,
                _text(entry.get("label"), f"{where} label", problems),
                _text(entry.get("description"), f"{where} omschrijving", problems, optional=True),
            )
        )
    not_applicable = scale_data.get("not_applicable")
    if not_applicable is not None and not isinstance(not_applicable, str):
        problems.append("schaal: 'not_applicable' moet tekst of null zijn")
        not_applicable = None
    criteria: list[Criterion] = []
    raw_criteria = top.get("criteria", [])
    if not isinstance(raw_criteria, list):
        problems.append("kader: 'criteria' moet een lijst zijn")
        raw_criteria = []
    for i, item in enumerate(raw_criteria, start=1):
        where = f"criterium {i}"
        entry = _take(item, where, ("code", "name", "question"), ("guidance",), problems)
        criteria.append(
            Criterion(
                _text(entry.get("code"), f"{where} code", problems),
                _text(entry.get("name"), f"{where} naam", problems),
                _text(entry.get("question"), f"{where} vraag", problems),
                _text(entry.get("guidance"), f"{where} toelichting", problems, optional=True),
            )
        )
    if problems:
        raise FrameworkError(problems)
    fw = Framework(
        key=_text(top.get("key"), "kader sleutel", problems),
        name=_text(top.get("name"), "kader naam", problems),
        scale=Scale(
            kind=_text(scale_data.get("kind"), "schaal soort", problems),
            levels=tuple(levels),
            not_applicable=not_applicable,
        ),
        criteria=tuple(criteria),
        source=_text(top.get("source"), "kader bron", problems),
        description=_text(top.get("description"), "kader omschrijving", problems, optional=True),
    )
    problems.extend(_problems(fw))
    if problems:
        raise FrameworkError(problems)
    return fw
