"""The council register as tables, CSV and XLSX, shared by the web pages and the CLI.

Export files are Dutch, like the other exports of the workbench. Every text cell goes through
:func:`kansenaudit.web.core.csv_safety.safe_cell`, in CSV and in XLSX alike, so that a title
such as ``=HYPERLINK(...)`` arrives as text and is never run as a formula.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from kansenaudit.web.core.csv_safety import safe_cell
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


@dataclass(frozen=True)
class Table:
    name: str  # the sheet name
    headers: list[str]
    rows: list[list[object]]


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


def matrix_table(matrix: selectors.CouncilMatrix) -> Table:
    """One row per goal: a column per year with what the council was told, then the summary."""
    rows = []
    for row in matrix.rows:
        share = row.summary.share_on_effects
        rows.append(
            [
                row.goal.code,
                row.goal.title,
                row.goal.get_level_display(),
                *(cell_text(c) for c in row.cells),
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


def _safe(value: object) -> object:
    return safe_cell(value) if isinstance(value, str) else value


def _is_demo(dossier: object, table: Table) -> bool:
    return bool(getattr(dossier, "is_demo", False)) or (
        "demo" in table.headers and any(r[table.headers.index("demo")] == "ja" for r in table.rows)
    )


def to_csv(table: Table, *, demo: bool = False) -> str:
    """The table as CSV (semicolons, for Dutch spreadsheet programs), with a UTF-8 BOM."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    if demo:
        writer.writerow([f"# {DEMO_NOTICE}"])
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([_safe(v) if v is not None else "" for v in row])
    return out.getvalue()


def items_csv(dossier: object) -> str:
    table = items_table(dossier)
    return to_csv(table, demo=_is_demo(dossier, table))


def matrix_csv(dossier: object) -> str:
    return to_csv(matrix_table(selectors.matrix(dossier)), demo=bool(dossier.is_demo))


def workbook_bytes(dossier: object) -> bytes:
    """The register as one workbook: items, the matrix (colour and text), the gaps."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    items = items_table(dossier)
    council_matrix = selectors.matrix(dossier)
    tables = [items, matrix_table(council_matrix), unreported_table(dossier)]
    demo = _is_demo(dossier, items)
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(table.name)
        if demo:
            sheet.append([DEMO_NOTICE])
        sheet.append(table.headers)
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        header_row = sheet.max_row
        for row in table.rows:
            sheet.append([_safe(v) for v in row])
        sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(60, max(8, width + 2))
    # Colour the year cells of the matrix by state (the text says the same).
    sheet = workbook[tables[1].name]
    first_row = 3 if demo else 2
    for r, row in enumerate(council_matrix.rows, start=first_row):
        for c, cell in enumerate(row.cells, start=4):
            fill = STATE_FILL[cell.state]
            sheet.cell(row=r, column=c).fill = PatternFill("solid", start_color=fill)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
