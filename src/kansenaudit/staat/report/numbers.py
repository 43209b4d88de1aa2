# SPDX-License-Identifier: EUPL-1.2
"""``numbers.json``: every number of the report with its interval, n, suppression reason and
provenance (source file, release, retrieval date, code version, parameters).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
from importlib import metadata
from pathlib import Path

import polars as pl

from kansenaudit.staat.model import StaatResult


def code_version() -> str:
    try:
        return metadata.version("kansenaudit")
    except metadata.PackageNotFoundError:  # running from a checkout without install
        return "onbekend"


def _clean(value: object) -> object:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _provenance(result: StaatResult) -> dict[str, list[dict]]:
    """Per indicator: the source files its values came from (file, release, retrieval)."""
    by_file = {record.path.rsplit("/", 1)[-1]: record for record in result.inputs.sources}
    out: dict[str, list[dict]] = {}
    pairs = result.values.select("indicator", "source_file", "release").unique()
    for key, source_file, release in pairs.iter_rows():
        record = by_file.get(source_file)
        out.setdefault(key, []).append(
            {
                "source_file": source_file,
                "release": release,
                "retrieved_at": record.retrieved_at if record else "",
                "sha256": record.sha256 if record else "",
            }
        )
    return out


def _rows(frame: pl.DataFrame) -> list[dict]:
    return frame.to_dicts() if not frame.is_empty() else []


def build_numbers(result: StaatResult) -> list[dict]:
    """Every number of the run as a flat record (see docs/staat.md for the fields)."""
    provenance = _provenance(result)
    numbers: list[dict] = []

    def add(measure: str, row: dict, value: object, **extra: object) -> None:
        key = row.get("indicator", "")
        record = {
            "measure": measure,
            "indicator": key,
            "area_code": row.get("area_code"),
            "area_level": row.get("area_level"),
            "group": row.get("group", "totaal"),
            "period": row.get("period", row.get("year")),
            "value": _clean(value),
            **{k: _clean(v) for k, v in extra.items()},
        }
        record["provenance"] = provenance.get(key, [])
        numbers.append(record)

    for row in _rows(result.values):
        add(
            "waarde",
            row,
            row["value"],
            n=row["n"],
            suppressed=row["suppressed"],
            source_file=row["source_file"],
            source_row=row["row"],
            flags=row["flags"],
        )
    for row in _rows(result.gaps):
        add(
            "verschil_met_stad",
            row,
            row["difference"],
            low=row["difference_low"],
            high=row["difference_high"],
            n=row["n"],
            method=row["method"],
        )
        add(
            "verhouding_met_stad",
            row,
            row["ratio"],
            low=row["ratio_low"],
            high=row["ratio_high"],
            n=row["n"],
            method=row["method"],
        )
    for row in _rows(result.group_gaps):
        add(
            "verschil_groep_met_totaal",
            row,
            row["difference"],
            low=row["difference_low"],
            high=row["difference_high"],
            n=row["n"],
            method=row["method"],
        )
    for row in _rows(result.inequality):
        common = {
            "n": row["areas"],
            "weighted": row["weighted"],
            "weight_basis": row.get("weight_basis"),
            "scale": row.get("scale"),
            "side": row.get("side") or None,
        }
        if row.get("scale") == "interval":
            add(
                "standaardafwijking",
                row,
                row["sd"],
                low=row["sd_low"],
                high=row["sd_high"],
                **common,
            )
            add("interkwartielafstand", row, row["iqr"], **common)
            add("p90_min_p10", row, row["p90_p10"], **common)
            continue
        if row["gini"] is None:
            add("niet_berekend", row, None, reason=row.get("not_computed"), **common)
            continue
        for measure in ("gini", "theil"):
            add(
                measure,
                row,
                row[measure],
                low=row[f"{measure}_low"],
                high=row[f"{measure}_high"],
                **common,
            )
        add("mld", row, row["mld"], **common)
        add("atkinson", row, row["atkinson"], epsilon=result.parameters.atkinson_epsilon, **common)
    for row in _rows(result.decomposition):
        measure = row.get("measure", "theil")
        add(
            f"{measure}_aandeel_tussen_stadsdelen",
            row,
            row["between_share"],
            low=row["between_share_low"],
            high=row["between_share_high"],
            between=row["between"],
            within=row["within"],
            chance_mean=row.get("chance_share_mean"),
            chance_p95=row.get("chance_share_p95"),
            chance_p_value=row.get("chance_p_value"),
        )
    for row in _rows(result.changes):
        add(
            "verandering_sinds_basisjaar",
            row,
            row["change"],
            low=row["change_low"],
            high=row["change_high"],
            base_year=row["base_year"],
            p_value=row["p_value"],
            p_adjusted=row["p_adjusted"],
            significant=row["significant"],
            gap_change=row["gap_change"],
            note=row["note"],
            method=row["method"],
        )
    for row in _rows(result.trends):
        add(
            "trend_per_jaar",
            row,
            row["slope_per_year"],
            se=row["slope_se"],
            p_value=row["p_value"],
            p_adjusted=row.get("p_adjusted"),
            significant=row.get("significant"),
            years_used=row["years_used"],
            window=row["window"],
        )
    for row in _rows(result.projections):
        add(
            "projectie",
            row,
            row["fit"],
            low=row["lower"],
            high=row["upper"],
            label=row["label"],
            clipped=row["clipped"],
        )
    for row in _rows(result.targets):
        add(
            "afstand_tot_doel",
            row,
            row["gap_to_target"],
            target=row["target_value"],
            target_year=row["target_year"],
            required_change_per_year=row["required_change_per_year"],
            status=row["status"],
        )
    for row in _rows(result.stacking):
        # Stacking combines indicators: it carries their keys and their sources together.
        keys = [k.strip() for k in (row.get("indicators") or "").split(",") if k.strip()]
        combined = [p for key in keys for p in provenance.get(key, [])]
        base = {**row, "indicator": "stapeling"}
        for measure, value, extra in (
            (
                "stapeling_zscore",
                row["zscore_score"],
                {
                    "rank": row["zscore_rank"],
                    "class": row["zscore_class"],
                    "class_min": row["class_min"],
                    "class_max": row["class_max"],
                },
            ),
            (
                "stapeling_imd",
                row["imd_score"],
                {"rank": row["imd_rank"], "class": row["imd_class"]},
            ),
            ("stapeling_telling", row["count_unfavourable"], {"n": row["indicators_available"]}),
        ):
            add(measure, base, value, indicators=keys, **extra)
            numbers[-1]["provenance"] = combined
    return numbers


def _source_date() -> str | None:
    """The SOURCE_DATE_EPOCH convention of reproducible builds, else no date at all."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if not epoch.isdigit():
        return None
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC).isoformat()


def write_numbers(result: StaatResult, path: Path) -> int:
    inputs = result.inputs
    numbers = build_numbers(result)
    payload = {
        "title": f"Staat van kansengelijkheid — {inputs.city_name}",
        # No wall-clock time: the same inputs and seed give a byte-identical file. The date of
        # the data is in ``sources`` (retrieved_at); SOURCE_DATE_EPOCH may pin a date.
        "generated_at": _source_date(),
        "code_version": code_version(),
        "city": {"code": inputs.city_code, "name": inputs.city_name},
        "is_demo": inputs.is_demo,
        "label": inputs.label,
        "parameters": result.parameters.as_dict(),
        "sources": [record.as_dict() for record in inputs.sources],
        "notes": inputs.notes,
        "warnings": result.warnings,
        "issues": [issue.as_dict() for issue in inputs.issues],
        "numbers": numbers,
    }
    path.write_text(json.dumps(payload, ensure_ascii=False, allow_nan=False), encoding="utf-8")
    return len(numbers)
