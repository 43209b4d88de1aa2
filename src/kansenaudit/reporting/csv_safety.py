"""CSV cells that spreadsheet programs will not execute."""

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """Render ``value`` for CSV, neutralising spreadsheet formulas (CSV injection).

    >>> safe_cell("=HYPERLINK('x')")
    "'=HYPERLINK('x')"
    >>> safe_cell(3)
    '3'
    """
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text
