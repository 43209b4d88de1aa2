# SPDX-License-Identifier: EUPL-1.2
"""Inputs of a run on the fictional demo city Voorbeeldstad (offline, deterministic)."""

from __future__ import annotations

from kansenaudit.data.catalogue import catalogue_for_demo
from kansenaudit.data.tidy import tidy_frame
from kansenaudit.demo.city import DEMO_LABEL, YEARS, generate_demo_city
from kansenaudit.staat.model import AreaInfo, SourceRecord, StaatInputs


def inputs_from_demo(seed: int = 2019) -> StaatInputs:
    """Read the demo city into :class:`StaatInputs`; everything is labelled as fictional.

    Examples
    --------
    >>> inputs = inputs_from_demo()
    >>> inputs.is_demo, inputs.city_code, inputs.values.height > 20000
    (True, 'GM9999', True)
    """
    city = generate_demo_city(seed)
    rename = {"population": "inwoners"}
    values = city.values
    table = tidy_frame(
        {
            "indicator": [rename.get(v.indicator, v.indicator) for v in values],
            "area_code": [v.area_code for v in values],
            "area_level": [v.area_level for v in values],
            "group": [v.group for v in values],
            "period": [v.period for v in values],
            "value": [v.value for v in values],
            "n": [v.n for v in values],
            "numerator": [v.numerator for v in values],
            "denominator": [v.denominator for v in values],
            "source": ["Voorbeeldstad (fictief)"] * len(values),
            "release": [f"demo-{seed}"] * len(values),
            "source_file": [f"generate_demo_city(seed={seed})"] * len(values),
        }
    )
    areas = {
        area.code: AreaInfo(
            code=area.code,
            name=area.name,
            level=area.level,
            parent_code=area.parent_code,
            geometry=area.geometry,
        )
        for area in city.areas
    }
    source = SourceRecord(
        key="demo",
        path=f"kansenaudit.demo.city.generate_demo_city(seed={seed})",
        origin="gegenereerd in code (geen download)",
        sha256="",
        release=f"demo-{seed}",
        retrieved_at="",
        publisher="Kansenaudit (fictief)",
    )
    return StaatInputs(
        city_code=city.municipality_code,
        city_name=city.name,
        catalogue=catalogue_for_demo(city.indicators),
        values=table,
        prognoses=table.clear(),
        areas=areas,
        sources=[source],
        is_demo=True,
        label=DEMO_LABEL,
        present_year=max(YEARS),
        notes=[DEMO_LABEL],
    )
