"""A small report with every kind of content, resolved by a fake resolver of fixed values.

The resolver is the one seam a test may fill in: the web app's resolver (dossier evidence) has
its own tests. What is real here is everything after it: parser, writers, WeasyPrint,
python-docx and LibreOffice.
"""

from __future__ import annotations

from kansenaudit.reports.document import Chapter, FigureBlock, Report, TableBlock, Text
from kansenaudit.reports.markup import Resolved, Unresolved, note, parse_chapter

WITHHELD_VALUE = "37,5 %"  # what the statistics would say if the number were not withheld

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 120" width="300" height="120">'
    '<rect x="10" y="10" width="100" height="100" fill="#004699"/>'
    '<text x="130" y="60" font-size="14">Werkloosheid per wijk</text>'
    '<script>document.title="gekaapt"</script>'
    '<a href="javascript:alert(1)"><text x="130" y="90" onclick="alert(2)">klik</text></a>'
    "</svg>"
)


class FakeResolver:
    """Fixed answers per reference, as a dossier's resolver would give them."""

    def resolve(self, kind: str, ref: str) -> Resolved | Unresolved:
        if kind == "citation":
            return note(
                f"Gemeente Voorbeeldstad, Kansenaanpak 2023 (college, 12 maart 2023), p. {ref}.",
                f"citation:{ref}",
            )
        if kind == "number" and ref == "withheld":
            return Unresolved("withheld", "fewer than 10 observations")
        if kind == "number":
            return Resolved(inlines=(Text("12,3 %"),))
        if kind == "figure":
            return Resolved(
                block=FigureBlock(
                    caption="Werkloosheid per wijk",
                    alt="Staafdiagram: de werkloosheid is het hoogst in Nieuw-West (12,3 %).",
                    svg=SVG,
                    data=TableBlock(
                        "",
                        ("Wijk", "Aandeel"),
                        (("Nieuw-West", "12,3 %"), ("Zuid", "4,1 %")),
                        numeric=frozenset({1}),
                    ),
                    source="CBS (fictief)",
                )
            )
        if kind == "finding" and ref == "gone":
            return Unresolved("missing")
        return Unresolved("unknown_kind")


INTRO = """De gemeente wil gelijke kansen.{{citation:4}} De werkloosheid is {{number:werkloosheid}}.

# Aanpak

- Extra begeleiding{{citation:5}}
- Een punt met <script>alert(1)</script> als tekst

{{figure:werkloosheid}}

| Wijk | Aantal |
|---|---|
| Noord | 1.234 |

Niet te tonen: {{number:withheld}}. Een [slechte link](javascript:alert(1)) en een
[goede link](https://www.rekenkamer.amsterdam.nl/).
"""


def sample_report():
    """The sample report and the problems its chapters had."""
    resolver = FakeResolver()
    intro = parse_chapter(INTRO, chapter="inleiding", resolver=resolver)
    summary = parse_chapter(
        "Kort gezegd: het beleid is breed.{{citation:2}}", chapter="samenvatting", resolver=resolver
    )
    report = Report(
        title="Kansen voor iedereen?",
        subtitle="Bestuurlijk rapport",
        organisation="Rekenkamer Voorbeeldstad",
        date_text="7 december 2026",
        version="0.3",
        notice="Fictief voorbeeld: alle namen en cijfers zijn verzonnen.",
        chapters=(
            Chapter("samenvatting", "Samenvatting", summary.blocks, kind="front"),
            Chapter("inleiding", "Inleiding", intro.blocks),
            Chapter(
                "normenkader",
                "Normenkader",
                (TableBlock("Normen", ("Norm", "Bron"), (("Doelen zijn SMART", "goed gebruik"),)),),
                kind="annex",
            ),
        ),
    )
    return report, intro.problems + summary.problems
