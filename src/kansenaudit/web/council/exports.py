# SPDX-License-Identifier: EUPL-1.2
"""The council register as tables, CSV and XLSX, shared by the web pages and the CLI.

Export files are Dutch, like the other exports of the workbench. They are written by
:mod:`kansenaudit.reporting.tables`, which guards every text cell in CSV and XLSX alike, so that
a title such as ``=HYPERLINK(...)`` arrives as text and is never run as a formula.
"""

from __future__ import annotations

from kansenaudit.reporting.tables import Cell, Table, csv_text, xlsx_bytes
from kansenaudit.web.council import selectors
from kansenaudit.web.dossiers.selectors import DEMO_NOTICE

REPORTS_NL = {
    "outputs": "prestaties (wat is gedaan)",
    "effecten": "effecten (wat is bereikt)",
    "beide": "prestaties en effecten",
    "geen": "geen van beide (alleen plannen of voornemens)",
}
STATE_NL = {
    selectors.NONE: "geen informatie",
    selectors.PLANS: "alleen plannen",
    selectors.OUTPUTS: "prestaties",
    selectors.EFFECTS: "effecten",
    selectors.BOTH: "prestaties en effecten",
}
# Fill colours of the matrix sheet; the cell text says the same, so colour is never the only cue.
STATE_FILL = {
    selectors.NONE: "F3F3F3",
    selectors.PLANS: "E0E0E0",
    selectors.OUTPUTS: "C6DBEF",
    selectors.EFFECTS: "FFD8A8",
    selectors.BOTH: "CDEBC5",
}


def cell_text(cell: selectors.MatrixCell) -> str:
    """A matrix cell in words, e.g. ``effecten (2)``; ``–`` when nothing was sent."""
    if cell.state == selectors.NONE:
        return "–"
    return f"{STATE_NL[cell.state]} ({cell.count})"


def _names(objects: object) -> str:
    return "; ".join(str(o) for o in objects)


def items_table(dossier: object) -> Table:
    """One row per information item."""
    rows = []
    for item in selectors.items_for_dossier(dossier):
        rows.append(
            [
                item.pk,
                item.date.isoformat(),
                item.title,
                item.reports_on,
                REPORTS_NL.get(item.reports_on, item.reports_on),
                _names(item.goals.all()),
                _names(item.measures.all()),
                _names(item.indicators.all()),
                item.document_id,
                item.document.title,
                item.document.doc_type,
                item.note,
                "ja" if item.is_demo else "nee",
            ]
        )
    headers = [
        "item_id",
        "datum",
        "titel",
        "rapporteert_over",
        "rapporteert_over_omschrijving",
        "doelen",
        "maatregelen",
        "indicatoren",
        "document_id",
        "document",
        "documentsoort",
        "notitie",
        "demo",
    ]
    return Table("Raadsinformatie", headers, rows)


def matrix_table(matrix: selectors.CouncilMatrix, *, colours: bool = False) -> Table:
    """One row per goal: a column per year with what the council was told, then the summary.

    With ``colours`` the year cells carry their state's fill for the workbook (the text says
    the same, so colour is never the only cue).
    """
    rows = []
    for row in matrix.rows:
        share = row.summary.share_on_effects
        rows.append(
            [
                row.goal.code,
                row.goal.title,
                row.goal.get_level_display(),
                *(
                    Cell(cell_text(c), STATE_FILL[c.state]) if colours else cell_text(c)
                    for c in row.cells
                ),
                row.summary.count,
                row.summary.first.isoformat() if row.summary.first else "",
                row.summary.last.isoformat() if row.summary.last else "",
                "" if share is None else round(share, 3),
            ]
        )
    headers = [
        "doel_code",
        "doel",
        "niveau",
        *(str(y) for y in matrix.years),
        "aantal_items",
        "eerste_rapportage",
        "laatste_rapportage",
        "aandeel_over_effecten",
    ]
    return Table("Matrix doelen x jaren", headers, rows)


def unreported_table(dossier: object) -> Table:
    """Goals, measures and indicators that no item reports on."""
    gaps = selectors.unreported(dossier)
    rows: list[list[object]] = [["doel", g.pk, str(g)] for g in gaps.goals]
    rows += [["maatregel", m.pk, str(m)] for m in gaps.measures]
    rows += [["indicator", i.pk, str(i)] for i in gaps.indicators]
    return Table("Nooit gerapporteerd", ["soort", "id", "naam"], rows)


def _is_demo(dossier: object, table: Table) -> bool:
    return bool(getattr(dossier, "is_demo", False)) or (
        "demo" in table.columns and any(r[table.columns.index("demo")] == "ja" for r in table.rows)
    )


def to_csv(table: Table, *, demo: bool = False) -> str:
    """The table as CSV (semicolons, for Dutch spreadsheet programs), with a UTF-8 BOM."""
    return csv_text(table, notice=DEMO_NOTICE if demo else None)


def items_csv(dossier: object) -> str:
    table = items_table(dossier)
    return to_csv(table, demo=_is_demo(dossier, table))


def matrix_csv(dossier: object) -> str:
    return to_csv(matrix_table(selectors.matrix(dossier)), demo=bool(dossier.is_demo))


def workbook_bytes(dossier: object) -> bytes:
    """The register as one workbook: items, the matrix (colour and text), the gaps."""
    items = items_table(dossier)
    tables = [
        items,
        matrix_table(selectors.matrix(dossier), colours=True),
        unreported_table(dossier),
    ]
    return xlsx_bytes(tables, notice=DEMO_NOTICE if _is_demo(dossier, items) else None)
