# SPDX-License-Identifier: EUPL-1.2
"""The few words the writers put in the report themselves, in the report's language.

The report is built without Django (from the CLI, a notebook or the web app's worker), so these
are not in the gettext catalogue; they are few, and a test keeps both languages complete.
"""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "nl": {
        "contents": "Inhoud",
        "figure": "Figuur",
        "table": "Tabel",
        "annex": "Bijlage",
        "notes": "Noten",
        "back": "terug naar de tekst",
        "data_of": "Gegevens bij figuur",
        "source": "Bron",
        "version": "Versie",
        "page": "Pagina",
        "note_label": "Noot",
    },
    "en": {
        "contents": "Contents",
        "figure": "Figure",
        "table": "Table",
        "annex": "Annex",
        "notes": "Notes",
        "back": "back to the text",
        "data_of": "Data of figure",
        "source": "Source",
        "version": "Version",
        "page": "Page",
        "note_label": "Note",
    },
}


def labels(language: str) -> dict[str, str]:
    return LABELS.get(language, LABELS["nl"])
