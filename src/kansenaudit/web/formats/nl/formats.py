# SPDX-License-Identifier: EUPL-1.2
"""Dutch: "7 december 2026" and "7 december 2026 14:05" (reporting.formatting)."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
SHORT_DATE_FORMAT = "j F Y"
SHORT_DATETIME_FORMAT = "j F Y H:i"
