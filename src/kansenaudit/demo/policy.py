# SPDX-License-Identifier: EUPL-1.2
"""The fictional policy set of the demo city Voorbeeldstad, as plain data (no Django).

Everything here is invented and labelled so (:data:`~.policy_model.DEMO_POLICY_LABEL`). It gives
the policy workbench (deelvragen 2, 4 and 5) something to show offline: an actor register; goals
from a coalition agreement and a bestuursopdracht with actielijnen, and directie goals under
them; the measures of three directies as filled-in uitvraag workbooks; policy theories;
indicators with baselines, targets and realised values; judgements by two assessors with a
consensus and a sign-off; and the information the council received from 2023 to 2026.

Elements refer to each other by title or name (a goal by its title, a measure by
:class:`~.policy_model.MeasureRef`, an indicator by its name, a document by its file name), so
that a loader can create them through the services in dependency order. Quotes are exact
substrings of the canonical page text of the generated demo documents
(:mod:`kansenaudit.demo.documents`), so ``page.text.find(quote)`` gives the offsets of a
citation.

The set deliberately has gaps, so that the monitoring and consistency views have something to
show (see :data:`INTENDED_GAPS`): a city goal that no directie serves, directie goals without a
city goal, goals without measures or indicators, a measure without goals, indicators without a
baseline or a target, and theory links without evidence.

Entry points: :func:`demo_policy_set` and :func:`filled_uitvraag_workbooks`; the data types
are in :mod:`kansenaudit.demo.policy_model`. Deterministic: the same data and the same workbook
bytes on every run.
"""

from __future__ import annotations

import functools
import io
import re
import zipfile
from collections.abc import Sequence

from kansenaudit.demo import policy_content as content
from kansenaudit.demo.city import DEMO_MUNICIPALITY_NAME
from kansenaudit.demo.policy_model import DEMO_DOSSIER_TITLE, DEMO_POLICY_LABEL, DemoPolicySet
from kansenaudit.policy.uitvraag import (
    DEFAULT_BUDGET_YEARS,
    MeasureRow,
    build_template,
    measure_cells,
    measure_columns,
)

__all__ = [
    "INTENDED_GAPS",
    "demo_policy_set",
    "fill_uitvraag_workbook",
    "filled_uitvraag_workbooks",
]

INTENDED_GAPS = {
    "city_goal_no_directie_serves": "Minder kinderen met overgewicht in Nieuw-West en Zuidoost",
    "directie_goals_without_city_goal": (
        "Ouders zijn meer betrokken bij de school van hun kind",
        "Minder huishoudens met problematische schulden",
    ),
    "goal_without_measures": (
        "Elk kind in een overbewoonde woning heeft een rustige plek om huiswerk te maken"
    ),
    "measure_without_goals": ("Directie Wonen", "Energiecoach voor huurders met een laag inkomen"),
    "indicator_without_baseline": "Leerlingen met havo/vwo-advies in Nieuw-West en Zuidoost",
    "indicator_without_target": "Huishoudens bereikt met vroegsignalering van schulden",
}


# --- the entry point --------------------------------------------------------------------------


@functools.cache
def demo_policy_set() -> DemoPolicySet:
    """The fictional policy set of Voorbeeldstad (the same, immutable object on every call)."""
    return DemoPolicySet(
        label=DEMO_POLICY_LABEL,
        actors=content.actors(),
        goals=content.goals(),
        uitvragen=content.uitvragen(),
        theories=content.theories(),
        indicators=content.indicators(),
        judgements=content.judgements(),
        information_items=content.information_items(),
        assessors=content.ASSESSORS,
        reviewer=content.REVIEWER,
    )


# --- the filled-in uitvraag workbooks ---------------------------------------------------------

_FIXED_TIME = (2026, 1, 20, 12, 0, 0)  # keeps the workbook bytes the same on every run
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
_CREATED = re.compile(rb"(<dcterms:created[^>]*>)[^<]*(</dcterms:created>)")


def _cells(row: MeasureRow) -> dict[str, object]:
    """{header: value} of a measure; empty values are left out."""
    years = [year for year, _amount in row.budget]
    headers = {column.key: column.header for column in measure_columns(years)}
    return {headers[key]: value for key, value in measure_cells(row).items()}


def _fixed_zip(data: bytes) -> bytes:
    """The same workbook with fixed timestamps, so that its SHA-256 never changes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    stamp = b"%04d-%02d-%02dT%02d:%02d:%02dZ" % _FIXED_TIME
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", content)
                content = _CREATED.sub(rb"\g<1>" + stamp + rb"\g<2>", content)
            target.writestr(zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME), content)
    return out.getvalue()


def _fill(template: bytes, measures: Sequence[MeasureRow]) -> bytes:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(template))
    ws = wb["Maatregelen"]
    columns = {cell.value: cell.column for cell in ws[1] if cell.value}
    for number, row in enumerate(measures, start=1):
        for header, value in _cells(row).items():
            ws.cell(row=number + 1, column=columns[header], value=value)
    out = io.BytesIO()
    wb.save(out)
    return _fixed_zip(out.getvalue())


def fill_uitvraag_workbook(template: bytes, measures: Sequence[MeasureRow]) -> bytes:
    """Fill the Maatregelen sheet of an uitvraag ``template`` (from any source, e.g. the
    workbench's own request) with ``measures``, as a directie would in Excel."""
    return _fill(template, measures)


def filled_uitvraag_workbooks(
    goal_titles: Sequence[str] | None = None,
    target_groups: Sequence[str] | None = None,
    domains: Sequence[str] | None = None,
    dossier_title: str = DEMO_DOSSIER_TITLE,
    *,
    template_version: str = "1",
    budget_years: Sequence[int] = DEFAULT_BUDGET_YEARS,
) -> dict[str, bytes]:
    """The uitvraag workbook of each demo directie, filled in as the directie returned it.

    Each is :func:`kansenaudit.policy.uitvraag.build_template` for these arguments with the
    directie's measures written into the Maatregelen sheet, as a directie would in Excel;
    :func:`~kansenaudit.policy.uitvraag.read_filled` reads it back without errors and returns
    exactly the set's :class:`MeasureRow` objects.

    Parameters
    ----------
    goal_titles, target_groups, domains : the dropdown lists of the templates, as the dossier's
        registers give them; default: the set's goals, target groups and the catalogue domains.
        Each must contain every value the measures use.
    dossier_title : the dossier's title, written into the workbook
    template_version, budget_years : as for ``build_template``; the budget years must include
        the years of the measures' budgets

    Returns
    -------
    dict
        {directie name: xlsx bytes}, in the set's order of directies. The bytes are the same on
        every run (fixed timestamps).

    Raises
    ------
    ValueError
        When a list lacks a value a measure uses (message in Dutch).
    """
    policy = demo_policy_set()
    goals = list(goal_titles if goal_titles is not None else policy.goal_titles)
    groups = list(target_groups if target_groups is not None else policy.target_groups)
    domain_list = list(domains if domains is not None else policy.domains)
    years = tuple(budget_years)
    result: dict[str, bytes] = {}
    for uitvraag in policy.uitvragen:
        for row in uitvraag.measures:
            _check_row(row, goals, groups, domain_list, years)
        template = build_template(
            dossier_title=dossier_title,
            directie=uitvraag.directie,
            goals=goals,
            target_groups=groups,
            domains=domain_list,
            template_version=template_version,
            budget_years=years,
            deadline=uitvraag.deadline,
            contact=uitvraag.contact,
            municipality=DEMO_MUNICIPALITY_NAME,
        )
        result[uitvraag.directie] = _fill(template, uitvraag.measures)
    return result


def _check_row(
    row: MeasureRow,
    goals: Sequence[str],
    groups: Sequence[str],
    domains: Sequence[str],
    years: Sequence[int],
) -> None:
    missing = [g for g in row.goals if g not in goals]
    missing += [g for g in row.target_groups if g not in groups]
    if row.domain and row.domain not in domains:
        missing.append(row.domain)
    missing += [str(y) for y, amount in row.budget if amount is not None and y not in years]
    if missing:
        raise ValueError(
            f"maatregel {row.name!r}: ontbreekt in de keuzelijsten van het sjabloon: "
            + ", ".join(missing)
        )
