"""Shared helpers of the uitvraag tests: a dossier with goals, and filling in a workbook with
openpyxl as a directorate would in Excel (as tests/policy/test_uitvraag.py does)."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook

from kansenaudit.policy.uitvraag import column_letters
from kansenaudit.web.policy.models import Actor, Goal, Measure

GOALS = ["Betere schoolresultaten", "Minder schooluitval", "Meer kinderen naar de voorschool"]
GROUPS = ["Leerlingen basisschool", "Ouders"]

# Column letters of the default layout (five budget years 2023–2027).
COL = column_letters()

SCHOOLMAATJES = {
    "name": "Schoolmaatjes",
    "description": "Studenten begeleiden leerlingen in groep 7 en 8.",
    "goal_1": "Betere schoolresultaten",
    "goal_2": "Minder schooluitval",
    "target_group_1": "Leerlingen basisschool",
    "domain": "Onderwijs",
    "reason": "grootste doelgroep",
    "status": "lopend",
    "start": dt.date(2022, 9, 1),
    "end": dt.date(2026, 7, 31),
    "budget_2023": 250_000,
    "budget_2024": 262_500.5,
    "budget_2025": 0,
    "reach": 1200,
    "rationale": "Begeleiding door rolmodellen vergroot motivatie.",
    "assumptions": "Studenten zijn beschikbaar; scholen werken mee.",
    "alignment": "Actielijn ongelijk investeren van de bestuursopdracht.",
    "indicators": "Doorstroom naar havo/vwo; nulmeting 2022.",
    "evidence": "Evaluatie Schoolmaatjes 2024 (OIS).",
}
ZOMERSCHOOL = {
    "name": "Zomerschool",
    "goal_1": "Minder schooluitval",
    "target_group_1": "Ouders",
    "status": "gepland",
    "start": "01-07-2026",
    "reach": 300,
}


def seed_register(dossier, *, groups=True) -> None:
    """Goals (and target groups) in the dossier's policy register."""
    for order, title in enumerate(GOALS):
        Goal.objects.create(dossier=dossier, title=title, level="directie", order=order)
    if groups:
        for name in GROUPS:
            Actor.objects.create(dossier=dossier, name=name, kind=Actor.Kind.DOELGROEP)


def fill(data: bytes, rows: dict[int, dict[str, object]], edit=None) -> bytes:
    """Fill in measure ``number`` (1–10, sheet row number + 1) with {column key: value}."""
    wb = load_workbook(io.BytesIO(data))
    ws = wb["Maatregelen"]
    for number, values in rows.items():
        for key, value in values.items():
            ws[f"{COL[key]}{number + 1}"] = value
    if edit is not None:
        edit(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def register_state(dossier) -> list[tuple]:
    """Everything about the dossier's measures and actors, to assert nothing changed."""
    measures = []
    for m in Measure.objects.filter(dossier=dossier).order_by("pk"):
        measures.append(
            (
                m.pk,
                m.name,
                m.owner_id,
                m.description,
                m.domain,
                m.reason,
                m.status,
                m.start,
                m.end,
                m.reach,
                m.rationale,
                m.assumptions,
                m.alignment,
                m.indicators_text,
                m.evidence_claimed,
                m.origin,
                m.uitvraag_number,
                m.updated_at,
                tuple(sorted(m.goals.values_list("pk", flat=True))),
                tuple(sorted(m.target_groups.values_list("pk", flat=True))),
                tuple(m.budgets.order_by("year").values_list("year", "amount")),
            )
        )
    actors = list(
        Actor.objects.filter(dossier=dossier).order_by("pk").values_list("pk", "name", "kind")
    )
    return [tuple(measures), tuple(actors)]
