# SPDX-License-Identifier: EUPL-1.2
"""The policy registers of a dossier as tables: XLSX (one sheet per register), CSV and JSON.

Every export is a read; it never changes the register. The CSV and XLSX files are written by
:mod:`kansenaudit.reporting.tables`, which protects every text cell against spreadsheet formulas
in both formats. Demo dossiers are labelled as fictional in every format.
"""

from __future__ import annotations

import datetime as dt

from django.db import models

from kansenaudit.reporting import tables as writer
from kansenaudit.reporting.tables import Table
from kansenaudit.web.dossiers.selectors import DEMO_NOTICE
from kansenaudit.web.policy import selectors
from kansenaudit.web.policy.models import Indicator

JSON_FORMAT = "kansenaudit-beleidsregisters"
JSON_VERSION = 1
REGISTERS = (
    "actoren",
    "doelen",
    "maatregelen",
    "begrotingen",
    "beleidstheorie",
    "indicatoren",
    "waarden",
    "bewijs",
)
GAPS = "hiaten"


def _names(items: object) -> str:
    return "; ".join(str(i) for i in items)


def is_demo(dossier: models.Model) -> bool:
    """Whether an export of this dossier must carry the demo notice."""
    if getattr(dossier, "is_demo", False):
        return True
    return any(
        qs.filter(is_demo=True).exists()
        for qs in (
            selectors.actors_for(dossier),
            selectors.goals_for(dossier),
            selectors.measures_for(dossier),
            selectors.indicators_for(dossier),
        )
    )


def register_table(dossier: models.Model, name: str) -> Table:
    """One register of the dossier as a table; ``name`` is one of :data:`REGISTERS`."""
    builders = {
        "actoren": _actors,
        "doelen": _goals,
        "maatregelen": _measures,
        "begrotingen": _budgets,
        "beleidstheorie": _theory,
        "indicatoren": _indicators,
        "waarden": _values,
        "bewijs": _evidence,
        GAPS: gaps_table,
    }
    if name not in builders:
        raise KeyError(name)
    return builders[name](dossier)


def register_tables(dossier: models.Model) -> list[Table]:
    return [register_table(dossier, name) for name in REGISTERS]


def _actors(dossier: models.Model) -> Table:
    rows = [
        [a.pk, a.name, a.kind, a.description, a.contact, a.is_demo]
        for a in selectors.actors_for(dossier)
    ]
    return Table("actoren", ["id", "naam", "soort", "beschrijving", "contactpersoon", "demo"], rows)


def _goals(dossier: models.Model) -> Table:
    rows = []
    for node in selectors.goal_tree(dossier):
        g = node.goal
        rows.append(
            [
                g.pk,
                g.code,
                g.title,
                g.level,
                node.depth,
                g.parent_id or "",
                g.parent.title if g.parent else "",
                g.owner.name if g.owner else "",
                _names(g.target_groups.all()),
                "; ".join(g.domains or []),
                g.description,
                g.is_demo,
            ]
        )
    columns = [
        "id",
        "code",
        "doel",
        "niveau",
        "diepte",
        "dient_doel_id",
        "dient_doel",
        "eigenaar",
        "doelgroepen",
        "domeinen",
        "beschrijving",
        "demo",
    ]
    return Table("doelen", columns, rows)


MEASURE_COLUMNS = [
    ("description", "beschrijving"),
    ("domain", "domein"),
    ("reason", "reden_selectie"),
    ("status", "status"),
    ("start", "start"),
    ("end", "einde"),
    ("reach", "bereik"),
    ("rationale", "onderbouwing"),
    ("assumptions", "aannames"),
    ("alignment", "aansluiting_stedelijk_beleid"),
    ("indicators_text", "indicatoren_gerapporteerd"),
    ("evidence_claimed", "geclaimd_bewijs"),
    ("origin", "herkomst"),
    ("uitvraag_number", "uitvraagnummer"),
]


def _measures(dossier: models.Model) -> Table:
    rows = []
    for m in selectors.measures_for(dossier):
        extra = [getattr(m, f) for f, _c in MEASURE_COLUMNS]
        rows.append(
            [
                m.pk,
                m.name,
                m.owner.name if m.owner else "",
                _names(m.goals.all()),
                _names(m.target_groups.all()),
                *["" if v is None else v for v in extra],
                m.is_demo,
            ]
        )
    columns = [
        "id",
        "naam",
        "directie",
        "doelen",
        "doelgroepen",
        *[c for _f, c in MEASURE_COLUMNS],
        "demo",
    ]
    return Table("maatregelen", columns, rows)


def _budgets(dossier: models.Model) -> Table:
    rows = [
        [m.pk, m.name, m.owner.name if m.owner else "", b.year, b.amount]
        for m in selectors.measures_for(dossier)
        for b in m.budgets.all()
    ]
    return Table(
        "begrotingen", ["maatregel_id", "maatregel", "directie", "jaar", "bedrag_euro"], rows
    )


def _theory(dossier: models.Model) -> Table:
    rows = []
    for m in selectors.measures_for(dossier):
        view = selectors.measure_theory(m)
        for step in view.steps:
            rows.append(
                [
                    m.pk,
                    m.name,
                    "stap",
                    step.pk,
                    step.kind,
                    step.text,
                    step.goal or "",
                    "",
                    "",
                    "",
                    "",
                ]
            )
        for item in view.links:
            link = item.link
            rows.append(
                [
                    m.pk,
                    m.name,
                    "schakel",
                    link.pk,
                    f"{link.source.kind} → {link.target.kind}",
                    f"{link.source.text} → {link.target.text}",
                    "",
                    link.source_id,
                    link.target_id,
                    link.rationale,
                    item.evidence,
                ]
            )
    columns = [
        "maatregel_id",
        "maatregel",
        "regel",
        "id",
        "soort",
        "tekst",
        "doel",
        "van_stap_id",
        "naar_stap_id",
        "onderbouwing",
        "aantal_bewijzen",
    ]
    return Table("beleidstheorie", columns, rows)


def _indicators(dossier: models.Model) -> Table:
    rows = [
        [
            i.pk,
            i.name,
            i.source,
            i.catalogue_key,
            i.area_code,
            i.unit,
            i.polarity,
            i.definition,
            _names(i.goals.all()),
            _names(i.measures.all()),
            i.is_demo,
        ]
        for i in selectors.indicators_for(dossier)
    ]
    columns = [
        "id",
        "naam",
        "bron",
        "catalogusindicator",
        "gebiedscode",
        "eenheid",
        "richting",
        "definitie",
        "doelen",
        "maatregelen",
        "demo",
    ]
    return Table("indicatoren", columns, rows)


def _values(dossier: models.Model) -> Table:
    rows = []
    statistics = selectors.StatisticsSource(dossier)
    for v in selectors.values_for(dossier).order_by("indicator__name", "year", "kind"):
        c = v.citation
        rows.append(
            [
                v.indicator_id,
                v.indicator.name,
                v.kind,
                v.year,
                v.value,
                "register",
                v.note,
                c.pk if c else "",
                c.document.title if c else "",
                c.page_number if c else "",
            ]
        )
    for i in selectors.indicators_for(dossier).filter(source=Indicator.Source.CATALOGUS):
        series = statistics.series(i.catalogue_key, i.area_code)
        for year, value in series.values:
            rows.append(
                [
                    i.pk,
                    i.name,
                    "realisatie",
                    year,
                    "" if value is None else value,
                    selectors.STATISTICS_LABEL,
                    "niet getoond (onthullingscontrole)" if value is None else "",
                    "",
                    "",
                    "",
                ]
            )
    columns = [
        "indicator_id",
        "indicator",
        "soort",
        "jaar",
        "waarde",
        "bron",
        "toelichting",
        "citaat_id",
        "document",
        "pagina",
    ]
    return Table("waarden", columns, rows)


def _evidence(dossier: models.Model) -> Table:
    rows = []
    for link in selectors.evidence_for(dossier).select_related("created_by"):
        ct, c = link.content_type, link.citation
        rows.append(
            [
                link.pk,
                f"{ct.app_label}.{ct.model}",
                link.object_id,
                str(link.subject) if link.subject is not None else "",
                c.pk,
                c.document.title,
                c.page_number,
                c.quote,
                link.note,
                link.created_by.get_username() if link.created_by else "",
                link.created_at.isoformat(),
            ]
        )
    columns = [
        "id",
        "onderwerp_soort",
        "onderwerp_id",
        "onderwerp",
        "citaat_id",
        "document",
        "pagina",
        "citaat",
        "notitie",
        "door",
        "aangemaakt",
    ]
    return Table("bewijs", columns, rows)


def gaps_table(dossier: models.Model) -> Table:
    """The monitoring gaps, one row per gap."""
    gaps = selectors.monitoring_gaps(dossier)
    rows = []
    for kind, label in selectors.GAP_KINDS.items():
        for item in getattr(gaps, kind):
            rows.append([kind, label, item._meta.model_name, item.pk, str(item)])
    return Table(GAPS, ["hiaat", "omschrijving", "soort", "id", "onderdeel"], rows)


# --- Formats ----------------------------------------------------------------------------------


def _plain(value: object) -> object:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, models.Model):
        return str(value)
    return "" if value is None else value


def _plain_table(table: Table) -> Table:
    return Table(table.name, table.columns, [[_plain(v) for v in row] for row in table.rows])


def table_csv(table: Table, *, demo: bool) -> str:
    """A table as CSV (semicolon, formula-safe, with a BOM), the demo notice as a comment line."""
    return writer.csv_text(_plain_table(table), notice=DEMO_NOTICE if demo else None)


def tables_xlsx(dossier: models.Model, tables: list[Table], *, demo: bool) -> bytes:
    """A workbook: an ``over`` sheet (dossier, municipality, date), then one sheet per table."""
    about = Table(
        "over",
        [],
        [
            ["Beleidsregisters", str(dossier)],
            ["Gemeente", getattr(dossier, "municipality_name", "") or ""],
            ["Geëxporteerd", dt.datetime.now(dt.UTC).isoformat(timespec="seconds")],
        ],
    )
    return writer.xlsx_bytes(
        [about, *(_plain_table(t) for t in tables)], notice=DEMO_NOTICE if demo else None
    )


def registers_json(dossier: models.Model) -> dict:
    """Every register as JSON that ``kansenaudit policy import`` reads back (names, not ids).

    Evidence links are included for reading but not imported: citations belong to a dossier.
    """
    actors = [
        {"name": a.name, "kind": a.kind, "description": a.description, "contact": a.contact}
        for a in selectors.actors_for(dossier)
    ]
    goals = [
        {
            "title": n.goal.title,
            "code": n.goal.code,
            "level": n.goal.level,
            "parent": n.goal.parent.title if n.goal.parent else None,
            "owner": n.goal.owner.name if n.goal.owner else None,
            "target_groups": [a.name for a in n.goal.target_groups.all()],
            "domains": list(n.goal.domains or []),
            "description": n.goal.description,
            "order": n.goal.order,
        }
        for n in selectors.goal_tree(dossier)
    ]
    measures = []
    for m in selectors.measures_for(dossier):
        view = selectors.measure_theory(m)
        keys = {s.pk: f"s{i}" for i, s in enumerate(view.steps, start=1)}
        record = {
            "name": m.name,
            "owner": m.owner.name if m.owner else None,
            "goals": [g.title for g in m.goals.all()],
            "target_groups": [a.name for a in m.target_groups.all()],
            "budgets": [{"year": b.year, "amount": str(b.amount)} for b in m.budgets.all()],
        }
        for f, _c in MEASURE_COLUMNS:
            value = getattr(m, f)
            record[f] = value.isoformat() if isinstance(value, dt.date) else value
        record["theory"] = {
            "steps": [
                {
                    "key": keys[s.pk],
                    "kind": s.kind,
                    "text": s.text,
                    "goal": s.goal.title if s.goal else None,
                    "order": s.order,
                }
                for s in view.steps
            ],
            "links": [
                {
                    "source": keys[i.link.source_id],
                    "target": keys[i.link.target_id],
                    "rationale": i.link.rationale,
                }
                for i in view.links
            ],
        }
        measures.append(record)
    indicators = []
    for i in selectors.indicators_for(dossier):
        indicators.append(
            {
                "name": i.name,
                "source": i.source,
                "catalogue_key": i.catalogue_key,
                "area_code": i.area_code,
                "definition": i.definition,
                "unit": i.unit,
                "polarity": i.polarity,
                "goals": [g.title for g in i.goals.all()],
                "measures": [
                    {"name": m.name, "owner": m.owner.name if m.owner else None}
                    for m in i.measures.all()
                ],
                "values": [
                    {"kind": v.kind, "year": v.year, "value": v.value, "note": v.note}
                    for v in sorted(i.values.all(), key=lambda v: (v.year, v.kind))
                ],
            }
        )
    demo = is_demo(dossier)
    return {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "dossier": {"id": dossier.pk, "title": str(dossier)},
        "notice": DEMO_NOTICE if demo else "",
        "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "actors": actors,
        "goals": goals,
        "measures": measures,
        "indicators": indicators,
        "evidence": [
            dict(zip(t.columns, row, strict=True)) for t in [_evidence(dossier)] for row in t.rows
        ],
    }
