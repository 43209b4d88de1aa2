# SPDX-License-Identifier: EUPL-1.2
"""The uitvraag: an Excel workbook in which a directorate lists at most ten measures.

The research design (§4.1.4) asks each directorate closely involved in kansengelijkheid for at
most ten measures or programmes, chosen by impact, cost or size of the target group, each with
its rationale. :func:`build_template` writes that workbook in Dutch; :func:`read_filled` reads
the returned file back, checks every cell and names each problem by sheet, row and column;
:func:`diff_measures` shows what a re-import would change before it is applied. The workbook
and its rules are described for auditors and directorates in ``docs/uitvraag.md``.

The package, one module per part:

* :mod:`.spec`: the workbook's specification (sheets, columns, lists, limits, the structure
  checksum), public so that nothing else copies the layout;
* :mod:`.template`: writing the workbook;
* :mod:`.container`: refusing a hostile ZIP container before openpyxl opens it;
* :mod:`.cells` and :mod:`.reader`: the validated reading of a returned file;
* :mod:`.diff`: what a re-import changes.
"""

from kansenaudit.policy.uitvraag.cells import CellError
from kansenaudit.policy.uitvraag.diff import Change, ChangeKind, diff_measures
from kansenaudit.policy.uitvraag.reader import UitvraagResult, read_filled
from kansenaudit.policy.uitvraag.spec import (
    DEFAULT_BUDGET_YEARS,
    MAX_BYTES,
    MAX_MEASURES,
    REASONS,
    SHEET_INFO,
    SHEET_LISTS,
    SHEET_MEASURES,
    SHEET_META,
    SHEETS,
    STATUSES,
    MeasureRow,
    column_letters,
    measure_cells,
    measure_columns,
    name_key,
    template_checksum,
)
from kansenaudit.policy.uitvraag.template import build_template

__all__ = [
    "DEFAULT_BUDGET_YEARS",
    "MAX_BYTES",
    "MAX_MEASURES",
    "REASONS",
    "SHEETS",
    "SHEET_INFO",
    "SHEET_LISTS",
    "SHEET_MEASURES",
    "SHEET_META",
    "STATUSES",
    "CellError",
    "Change",
    "ChangeKind",
    "MeasureRow",
    "UitvraagResult",
    "build_template",
    "column_letters",
    "diff_measures",
    "measure_cells",
    "measure_columns",
    "name_key",
    "read_filled",
    "template_checksum",
]
