# SPDX-License-Identifier: EUPL-1.2
"""Reading a returned uitvraag workbook: :func:`read_filled`.

The container is checked first (:mod:`.container`). openpyxl then reads the workbook in
read-only (streaming) mode and never evaluates anything: it has no formula engine, does not run
macros (``keep_vba=False``) and does not follow external links (``keep_links=False``). With
``defusedxml`` installed, openpyxl's own ``iterparse`` is defusedxml's; the container check does
not rely on that.

Formulas are refused, not evaluated: the reader opens the workbook with ``data_only=False`` so
that a formula arrives as its text with cell type ``"f"``, and reports it as "formule niet
toegestaan". A formula's cached value (what ``data_only=True`` would return) is never used,
because it was computed by whatever program saved the file and cannot be checked.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from kansenaudit.policy.uitvraag.cells import (
    FORMULA_REFUSED,
    CellError,
    ErrorCollector,
    RowReader,
    is_empty,
    is_formula,
)
from kansenaudit.policy.uitvraag.container import Refused, check_container
from kansenaudit.policy.uitvraag.spec import (
    FIRST_ROW,
    LAST_ROW,
    LIST_NOUNS,
    LISTS,
    MAX_BYTES,
    MAX_COLUMNS,
    MAX_MEASURES,
    META_CHECKSUM,
    META_KEYS,
    REASONS,
    SHEET_INFO,
    SHEET_LISTS,
    SHEET_MEASURES,
    SHEET_META,
    SHEETS,
    STATUSES,
    TEMPLATE_FORMAT,
    Column,
    MeasureRow,
    TemplateSpec,
    measure_columns,
    name_key,
    structure_checksum,
    template_structure,
)

__all__ = ["UitvraagResult", "read_filled"]


@dataclass(frozen=True)
class UitvraagResult:
    """What :func:`read_filled` found.

    ``measures`` holds every filled row, with values that failed a check left empty; apply
    them only when :attr:`ok`. ``sha256`` is the hash of the file as received (chain of
    custody).
    """

    directie: str
    template_version: str
    measures: list[MeasureRow]
    errors: list[CellError]
    sha256: str
    dossier_title: str = ""
    checksum: str = ""

    @property
    def ok(self) -> bool:
        """True when the file passed every check."""
        return not self.errors


def _rows(ws: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, cells) for every row, in order, whatever the sheet's dimension claims."""
    # The <dimension> element is written by whoever saved the file; trusting it could hide
    # cells outside the claimed range.
    ws.reset_dimensions()
    yield from enumerate(ws.iter_rows(), start=1)


def _read_simple_sheet(
    ws: Any, sheet: str, errors: ErrorCollector, max_col: int
) -> dict[int, list[Any]]:
    """Values by row of a protected sheet (Lijsten, Meta); formulas and stray cells are errors."""
    out: dict[int, list[Any]] = {}
    for number, cells in _rows(ws):
        values: list[Any] = []
        for index, cell in enumerate(cells, start=1):
            value = getattr(cell, "value", None)
            if is_empty(value):
                values.append(None)
                continue
            if is_formula(cell):
                errors.cell(sheet, number, index, None, FORMULA_REFUSED)
                values.append(None)
                continue
            if index > max_col:
                errors.cell(
                    sheet, number, index, None, "onverwachte inhoud; dit werkblad is gewijzigd"
                )
                continue
            values.append(value)
        if any(v is not None for v in values):
            out[number] = values
        if errors.full:
            break
    return out


def _read_meta(ws: Any, errors: ErrorCollector) -> tuple[dict[str, str], dict[str, int]]:
    rows = _read_simple_sheet(ws, SHEET_META, errors, 2)
    meta: dict[str, str] = {}
    where: dict[str, int] = {}
    for number, values in rows.items():
        key = values[0] if values else None
        value = values[1] if len(values) > 1 else None
        if isinstance(key, str):
            meta[key.strip()] = "" if value is None else str(value).strip()
            where[key.strip()] = number
    return meta, where


def _read_lists(ws: Any, errors: ErrorCollector) -> dict[str, tuple[str, ...]]:
    rows = _read_simple_sheet(ws, SHEET_LISTS, errors, len(LISTS))
    lists: dict[str, tuple[str, ...]] = {}
    for index, (key, title) in enumerate(LISTS):
        header = rows.get(1, [])
        found = header[index] if index < len(header) else None
        if found != title:
            errors.cell(
                SHEET_LISTS, 1, index + 1, None, f"verwacht de kop {title!r}, gevonden {found!r}"
            )
        items: list[str] = []
        for number in sorted(n for n in rows if n > 1):
            values = rows[number]
            value = values[index] if index < len(values) else None
            if value is None:
                continue
            if number != len(items) + 2:
                errors.cell(
                    SHEET_LISTS, number, index + 1, None, "de lijst is gewijzigd (gat in de lijst)"
                )
            items.append(" ".join(str(value).split()))
        lists[key] = tuple(items)
    return lists


def _read_measures(
    ws: Any,
    columns: Sequence[Column],
    lists: dict[str, tuple[str, ...]],
    errors: ErrorCollector,
) -> tuple[list[str], list[MeasureRow]]:
    headers: list[str] = []
    measures: list[MeasureRow] = []
    reader = RowReader(columns, lists, errors)
    width = len(columns)
    seen_rows = 0
    numbering_broken = False
    for number, cells in _rows(ws):
        seen_rows = number
        if errors.full:
            break
        # Anything right of the last column is outside the form.
        for index in range(width + 1, len(cells) + 1):
            cell = cells[index - 1]
            if not is_empty(getattr(cell, "value", None)):
                errors.cell(
                    SHEET_MEASURES,
                    number,
                    index,
                    None,
                    "cel buiten het invulgebied; gebruik alleen de kolommen van het sjabloon",
                )
        if number == 1:
            for index, column in enumerate(columns, start=1):
                cell = cells[index - 1] if index - 1 < len(cells) else None
                found = getattr(cell, "value", None)
                headers.append("" if found is None else str(found))
                if is_formula(cell):
                    errors.cell(SHEET_MEASURES, 1, index, column.header, FORMULA_REFUSED)
                elif found != column.header:
                    errors.cell(
                        SHEET_MEASURES,
                        1,
                        index,
                        column.header,
                        f"de koptekst is gewijzigd: verwacht {column.header!r}, gevonden {found!r}",
                    )
            continue
        input_cells = cells[1:width]
        filled = any(not is_empty(getattr(c, "value", None)) for c in input_cells)
        if number > LAST_ROW:
            first = next(
                (
                    index
                    for index, cell in enumerate(cells[:width], start=1)
                    if not is_empty(getattr(cell, "value", None))
                ),
                None,
            )
            if first is not None:
                errors.cell(
                    SHEET_MEASURES,
                    number,
                    first,
                    columns[first - 1].header,
                    f"meer dan tien maatregelen: rij {number} valt buiten de tien rijen van het "
                    "sjabloon; de uitvraag vraagt om maximaal tien maatregelen",
                )
            continue
        expected = number - FIRST_ROW + 1
        nr_cell = cells[0] if cells else None
        nr = getattr(nr_cell, "value", None)
        if not numbering_broken and (
            is_formula(nr_cell)
            or not (isinstance(nr, (int, float)) and not isinstance(nr, bool) and nr == expected)
        ):
            # Reported once: after an inserted row every following number is off as well.
            numbering_broken = True
            errors.cell(
                SHEET_MEASURES,
                number,
                1,
                columns[0].header,
                f"het volgnummer is gewijzigd (verwacht {expected}, gevonden {nr!r}); voeg geen "
                "rijen in en verwijder er geen",
            )
        if filled:
            measures.append(reader.read(number, cells))
    if seen_rows < LAST_ROW and not errors.full:
        errors.sheet(
            SHEET_MEASURES,
            f"het werkblad heeft {max(seen_rows - 1, 0)} in plaats van {MAX_MEASURES} "
            "genummerde rijen; er zijn rijen verwijderd",
        )
    return headers, measures


def _check_duplicate_names(
    measures: Sequence[MeasureRow], columns: Sequence[Column], errors: ErrorCollector
) -> None:
    first: dict[str, MeasureRow] = {}
    index = next(i for i, c in enumerate(columns, start=1) if c.key == "name")
    for measure in measures:
        if not measure.name:
            continue
        key = name_key(measure.name)
        if key in first:
            errors.cell(
                SHEET_MEASURES,
                measure.row,
                index,
                columns[index - 1].header,
                f"de naam {measure.name!r} komt al voor in rij {first[key].row}; geef elke "
                "maatregel een eigen naam",
            )
        else:
            first[key] = measure


def _open_workbook(data: bytes) -> Any:
    # openpyxl warns about workbook features it drops (extensions, print settings); they do not
    # matter for reading values, and the warnings would only clutter logs.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_workbook(
            io.BytesIO(data),
            read_only=True,
            data_only=False,
            keep_vba=False,
            keep_links=False,
            rich_text=False,
        )


def read_filled(
    data: bytes,
    *,
    max_bytes: int = MAX_BYTES,
    expected_version: str | None = None,
    expected_checksum: str | None = None,
) -> UitvraagResult:
    """Read and check a returned uitvraag workbook.

    Parameters
    ----------
    data : the uploaded file's bytes (untrusted)
    max_bytes : largest file accepted (10 MB)
    expected_version : when given, the workbook's template version must be this one
    expected_checksum : when given (from :func:`template_checksum` for the template that was
        sent), the workbook's structure must match it exactly: headers, lists, directorate,
        dossier, version and budget years

    Returns
    -------
    UitvraagResult
        The measures and every problem found, each with sheet, row and column and a Dutch
        message. ``result.ok`` only when there are no errors. Refused files (not an xlsx, too
        large, a zip bomb, macros, a DTD) give one file-level error and no measures.

    Notes
    -----
    Checked: the container (see :mod:`.container`); the sheet names; the Meta sheet
    (format, version, checksum of the structure); the lists; the headers of the measures sheet;
    the ten row numbers; no content beyond ten measures or right of the last column; no
    formulas and no merged cells anywhere; per cell: required name, known goals / target
    groups / domain / reason / status (case and spacing are forgiven), budgets numbers ≥ 0,
    reach a whole number ≥ 0, dates valid and not ending before they start, texts not too
    long; and no two measures with the same name.
    """
    errors = ErrorCollector()
    is_bytes = isinstance(data, (bytes, bytearray, memoryview))
    raw = bytes(data) if is_bytes else b""
    meta: dict[str, str] = {}
    measures: list[MeasureRow] = []
    merged: list[tuple[str, str]] = []
    try:
        merged = check_container(data, max_bytes)
        wb = _open_workbook(raw)
    except Refused as exc:
        errors.file(str(exc))
    except Exception:  # any parser failure means the same to the user
        errors.file("het bestand kan niet als Excel-werkmap worden gelezen")
    else:
        try:
            _report_merged(merged, errors)
            meta, measures = _read_workbook(
                wb, errors, expected_version=expected_version, expected_checksum=expected_checksum
            )
        except Exception:  # a malformed part that openpyxl only notices while streaming
            errors.file("het bestand kan niet als Excel-werkmap worden gelezen")
            measures = []
        finally:
            wb.close()
    return UitvraagResult(
        directie=meta.get("directie", ""),
        template_version=meta.get("sjabloonversie", ""),
        measures=measures,
        errors=errors.errors,
        sha256=hashlib.sha256(raw).hexdigest() if is_bytes else "",
        dossier_title=meta.get("dossier", ""),
        checksum=meta.get(META_CHECKSUM, ""),
    )


def _report_merged(merged: Sequence[tuple[str, str]], errors: ErrorCollector) -> None:
    for sheet, ref in merged:
        first = ref.split(":")[0]
        try:
            column, row = coordinate_from_string(first)
            index = column_index_from_string(column)
        except ValueError:
            errors.sheet(sheet, f"samengevoegde cellen ({ref}) zijn niet toegestaan")
            continue
        errors.cell(
            sheet,
            row,
            index,
            None,
            f"samengevoegde cellen ({ref}) zijn niet toegestaan; maak het samenvoegen ongedaan "
            "en vul elke cel apart in",
        )


def _check_sheet_names(names: Sequence[str], errors: ErrorCollector) -> bool:
    """Report missing and unknown sheets; False when the workbook cannot be read further."""
    missing = [name for name in SHEETS if name not in names]
    for name in missing:
        errors.sheet(
            name,
            "dit werkblad ontbreekt; gebruik het toegestuurde sjabloon zonder werkbladen te "
            "hernoemen of te verwijderen",
        )
    for name in names:
        if name not in SHEETS:
            errors.sheet(name, "onbekend werkblad; voeg geen werkbladen toe")
    return not any(name in missing for name in (SHEET_MEASURES, SHEET_LISTS, SHEET_META))


def _read_workbook(
    wb: Any,
    errors: ErrorCollector,
    *,
    expected_version: str | None,
    expected_checksum: str | None,
) -> tuple[dict[str, str], list[MeasureRow]]:
    names = list(wb.sheetnames)
    if not _check_sheet_names(names, errors):
        return {}, []

    meta, meta_rows = _read_meta(wb[SHEET_META], errors)
    if meta.get("formaat") != TEMPLATE_FORMAT:
        errors.sheet(
            SHEET_META,
            "dit bestand is geen uitvraagsjabloon van Kansenaudit of het werkblad Meta is "
            "gewijzigd",
        )
        return meta, []
    for key in (*META_KEYS, META_CHECKSUM):
        if not meta.get(key):
            errors.sheet(SHEET_META, f"de gegevens {key!r} ontbreken; het sjabloon is gewijzigd")
    version = meta.get("sjabloonversie", "")
    if expected_version is not None and version != expected_version:
        errors.cell(
            SHEET_META,
            meta_rows.get("sjabloonversie", 3),
            2,
            None,
            f"verkeerde sjabloonversie {version!r}; verwacht versie {expected_version!r}. "
            "Gebruik het laatst toegestuurde sjabloon",
        )
    try:
        years = tuple(int(y) for y in meta.get("begrotingsjaren", "").split(","))
    except ValueError:
        errors.cell(
            SHEET_META,
            meta_rows.get("begrotingsjaren", 6),
            2,
            None,
            "de begrotingsjaren zijn gewijzigd",
        )
        return meta, []

    lists = _read_lists(wb[SHEET_LISTS], errors)
    for key, fixed in (("statuses", STATUSES), ("reasons", REASONS)):
        if lists.get(key) != fixed:
            errors.sheet(SHEET_LISTS, f"de keuzelijst met {LIST_NOUNS[key]} is gewijzigd")
    columns = measure_columns(years)
    headers, measures = _read_measures(wb[SHEET_MEASURES], columns, lists, errors)
    if SHEET_INFO in names:
        # Only formulas matter here: the instructions are not read.
        _read_simple_sheet(wb[SHEET_INFO], SHEET_INFO, errors, MAX_COLUMNS)

    structural = any(
        e.sheet in (SHEET_META, SHEET_LISTS) or (e.sheet == SHEET_MEASURES and e.row == 1)
        for e in errors.errors
    )
    if not structural:
        # The checksum is compared only when no more specific structural error was reported:
        # otherwise it would repeat that error less precisely.
        spec = TemplateSpec(
            dossier_title=meta.get("dossier", ""),
            directie=meta.get("directie", ""),
            goals=lists.get("goals", ()),
            target_groups=lists.get("target_groups", ()),
            domains=lists.get("domains", ()),
            template_version=version,
            budget_years=years,
        )
        actual = structure_checksum(template_structure(spec, headers))
        row = meta_rows.get(META_CHECKSUM, len(META_KEYS) + 2)
        if actual != meta.get(META_CHECKSUM):
            errors.cell(
                SHEET_META,
                row,
                2,
                None,
                "het controlegetal klopt niet: de structuur van het sjabloon (kopteksten, "
                "keuzelijsten of gegevens) is gewijzigd",
            )
        elif expected_checksum is not None and actual != expected_checksum:
            errors.cell(
                SHEET_META,
                row,
                2,
                None,
                "dit is niet het sjabloon dat voor deze uitvraag is verstuurd (andere directie, "
                "keuzelijsten of versie)",
            )
    _check_duplicate_names(measures, columns, errors)
    return meta, measures
