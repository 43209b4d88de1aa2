# SPDX-License-Identifier: EUPL-1.2
"""The default chapters of each kind of report, after the research design (seed §3.1, §6).

A rekenkamer publishes a *bestuurlijk rapport* (summary, conclusions, recommendations, the
college's reaction and the nawoord) and a *nota van bevindingen* (the findings per sub-question
against the normenkader, with the sources). The team can rename, add, move and remove chapters;
this is only the start. The text of each chapter says what belongs there, in Dutch, since the
report is written in Dutch.
"""

from __future__ import annotations

from typing import Any

FRONT, CHAPTER, ANNEX = "front", "chapter", "annex"

_ANNEXES = (
    (
        "normenkader",
        "Normenkader",
        ANNEX,
        "De normen waaraan het beleid is getoetst, per deelvraag, met hun bron.\n",
    ),
    (
        "onderzoeksverantwoording",
        "Onderzoeksverantwoording",
        ANNEX,
        "Hoe het onderzoek is gedaan: bronnen, methoden, selectie van maatregelen, interviews "
        "en de beperkingen.\n",
    ),
    ("bronnen", "Bronnen", ANNEX, "De geraadpleegde documenten.\n"),
)


def default_chapters(kind: str, dossier: Any) -> list[tuple[str, str, str, str]]:
    """(key, title, kind, starting text) for each chapter of a new report of ``kind``."""
    if kind == "bestuurlijk_rapport":
        return [
            (
                "samenvatting",
                "Samenvatting",
                FRONT,
                "De belangrijkste conclusies en aanbevelingen in gewone taal (taalniveau B1).\n",
            ),
            ("inleiding", "Inleiding", CHAPTER, _introduction(dossier)),
            ("conclusies", "Conclusies", CHAPTER, "Het antwoord op de centrale vraag.\n"),
            ("aanbevelingen", "Aanbevelingen", CHAPTER, "Aan het college en aan de raad.\n"),
            (
                "reactie-college",
                "Reactie van het college",
                CHAPTER,
                "De bestuurlijke reactie van het college, integraal.\n",
            ),
            ("nawoord", "Nawoord van de rekenkamer", CHAPTER, "Het nawoord op de reactie.\n"),
            *_ANNEXES[1:],
        ]
    chapters = [
        (
            "samenvatting",
            "Samenvatting",
            FRONT,
            "De bevindingen per deelvraag in het kort.\n",
        ),
        ("inleiding", "Inleiding", CHAPTER, _introduction(dossier)),
    ]
    for sub in dossier.sub_questions.order_by("number"):
        chapters.append(
            (
                f"deelvraag-{sub.number}",
                _title_of(sub.question),
                CHAPTER,
                f"*Deelvraag {sub.number}: {sub.question.strip()}*\n\n"
                "De bevindingen bij deze deelvraag, getoetst aan de normen.\n",
            )
        )
    return [*chapters, *_ANNEXES]


def _introduction(dossier: Any) -> str:
    question = (getattr(dossier, "central_question", "") or "").strip()
    text = "Aanleiding, doel en aanpak van het onderzoek.\n"
    if question:
        text += f"\nDe centrale vraag is: *{question}*\n"
    return text


def _title_of(question: str) -> str:
    """A chapter title from a sub-question: its first clause, without the question mark."""
    title = question.strip().rstrip("?").split(",")[0]
    return (title[:1].upper() + title[1:])[:300] or "Deelvraag"
