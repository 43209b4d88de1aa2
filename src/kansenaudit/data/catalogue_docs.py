# SPDX-License-Identifier: EUPL-1.2
"""Generate the indicator pages in ``docs/indicators/`` from the catalogue.

Run ``python -m kansenaudit.data.catalogue_docs docs/indicators`` (``make docs`` does); the
test ``tests/test_docs.py`` fails when a page differs from what the catalogue says, so the
documentation an auditor checks is always the definition the software uses.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kansenaudit.data.catalogue import (
    AMSTERDAM_CATALOGUE,
    DOMAINS,
    SOURCES,
    CatalogueIndicator,
)

_POLARITY = {
    1: "hoger is gunstiger",
    -1: "hoger is ongunstiger",
    0: "neutraal (context, geen oordeel over de richting)",
}
_KIND = {
    "share": "aandeel (percentage van personen of huishoudens); intervallen en toetsen voor "
    "proporties waar het aantal waarnemingen bekend is",
    "mean": "gemiddelde; intervallen alleen als de bron spreiding en aantal meelevert",
    "index": "index; geen intervallen (de bron levert geen onzekerheid mee)",
    "count": "aantal; dient als gewicht of context",
}


def render_indicator_page(indicator: CatalogueIndicator) -> str:
    """The Markdown page of one indicator.

    Examples
    --------
    >>> from kansenaudit.data.catalogue import by_key
    >>> page = render_indicator_page(by_key(AMSTERDAM_CATALOGUE)["bijstand"])
    >>> "IWWB_P" in page and page.startswith("# Inwoners met bijstand")
    True
    """
    domain = DOMAINS.get(indicator.domain, indicator.domain)
    lines = [
        f"# {indicator.name}",
        "",
        f"*Sleutel:* `{indicator.key}` · *Domein:* {domain}",
        "",
        "## Definitie",
        "",
        indicator.definition,
        "",
        "## Kenmerken",
        "",
        "| kenmerk | waarde |",
        "|---|---|",
        f"| eenheid | {indicator.unit} |",
        f"| richting (polariteit) | {_POLARITY[indicator.polarity]} |",
        f"| soort | {_KIND.get(indicator.kind, indicator.kind)} |",
        f"| gewicht bij ongelijkheidsmaten | {indicator.weight} |",
        f"| minimum aantal waarnemingen (n) | {indicator.min_n} |",
        f"| minimum aantal inwoners van een gebied | {indicator.min_population or '—'} |",
        f"| minimum aantal woningen van een gebied | {indicator.min_dwellings or '—'} |",
        "",
        "## Bronnen",
        "",
        "| bron | variabele |",
        "|---|---|",
    ]
    lines += [
        f"| {SOURCES.get(src.source, src.source)} | `{src.variable}` |" for src in indicator.sources
    ]
    lines += [
        "",
        "## Onthouding (geheimhouding)",
        "",
        f"Een waarde wordt niet getoond als zij op minder dan {indicator.min_n} waarnemingen "
        "berust, en bij aandelen ook niet als aan één kant (teller of noemer min teller) minder "
        "dan dat aantal waarnemingen ligt. De reden staat bij de waarde in `numbers.json`.",
        "",
    ]
    if indicator.notes:
        lines += ["## Aandachtspunten", "", indicator.notes, ""]
    lines += [
        "## Zo controleert u een getal",
        "",
        "Elk getal in de rapportage staat in `numbers.json` met het bronbestand, de uitgave, de "
        "regel in het bronbestand, de ophaaldatum en de versie van Kansenaudit. Zoek de "
        "variabele hierboven op in dat bronbestand en vergelijk.",
        "",
    ]
    return "\n".join(lines)


def render_index(catalogue: tuple[CatalogueIndicator, ...]) -> str:
    """The overview page ``docs/indicators/index.md``."""
    lines = [
        "# Indicatoren",
        "",
        "De catalogus van indicatoren waarmee Kansenaudit de staat van kansengelijkheid "
        "beschrijft (deelvraag 1). Deze pagina's zijn gegenereerd uit "
        "`src/kansenaudit/data/catalogue.py`; pas daar aan en draai `make docs`.",
        "",
    ]
    for domain, label in DOMAINS.items():
        members = [item for item in catalogue if item.domain == domain]
        if not members:
            continue
        lines += [f"## {label}", ""]
        lines += [f"- [{item.name}]({item.key}.md) — `{item.key}`" for item in members]
        lines.append("")
    return "\n".join(lines)


def expected_pages(
    catalogue: tuple[CatalogueIndicator, ...] = AMSTERDAM_CATALOGUE,
) -> dict[str, str]:
    """File name → content of every page the catalogue implies."""
    pages = {f"{item.key}.md": render_indicator_page(item) for item in catalogue}
    pages["index.md"] = render_index(catalogue)
    return pages


def write_pages(folder: Path) -> list[Path]:
    """Write the pages into ``folder`` and remove pages of indicators that no longer exist."""
    folder.mkdir(parents=True, exist_ok=True)
    pages = expected_pages()
    for stale in folder.glob("*.md"):
        if stale.name not in pages:
            stale.unlink()
    written = []
    for name, text in pages.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/indicators")
    print(f"{len(write_pages(target))} pages written to {target}")
