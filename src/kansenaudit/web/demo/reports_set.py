# SPDX-License-Identifier: EUPL-1.2
"""The demo's reports: a nota van bevindingen and a bestuurlijk rapport of Voorbeeldstad.

Both start from the default chapters and get fictional text that cites the demo's documents,
quotes them, takes numbers from the demo statistics and the measures register, so that the
report can be built in every format, with figures from the statistics, a measure's policy theory
and a network map. The nota gets a draft and a version frozen for wederhoor.
"""

from __future__ import annotations

from typing import Any

from kansenaudit.web.evidence.models import Citation
from kansenaudit.web.reports import services as reports
from kansenaudit.web.reports.models import Report

# The demo city's codes: the city, and the stadsdelen Nieuw-West and Zuid.
CITY, NIEUW_WEST, ZUID, YEAR = "GM9999", "SD03", "SD04", 2025


def _n(indicator: str, area: str) -> str:
    return "{{number:" + f"{indicator}/{area}/{YEAR}" + "}}"


def _texts(c: list[int]) -> dict[str, dict[str, str]]:
    cite = ["{{citation:" + str(pk) + "}}" for pk in c]
    quote = ["{{quote:" + str(pk) + "}}" for pk in c]
    nota = {
        "samenvatting": (
            "Voorbeeldstad wil dat ieder kind dezelfde kansen krijgt, ongeacht de wijk waar het "
            "opgroeit. In Nieuw-West kreeg in 2025 "
            f"{_n('vo_advice_havo_vwo_pct', NIEUW_WEST)} van de leerlingen een havo/vwo-advies, "
            f"tegen {_n('vo_advice_havo_vwo_pct', CITY)} in de hele stad. De gemeente heeft "
            "veel maatregelen, maar weet van de meeste niet wat ze opleveren.\n"
        ),
        "inleiding": (
            "Dit is een fictief voorbeeld. De rekenkamer onderzocht het beleid voor gelijke "
            f"kansen. Het college schrijft: {quote[0]}\n\n"
            "Het onderzoek volgt vijf deelvragen; dit rapport bespreekt ze in die volgorde.\n"
        ),
        "deelvraag-1": (
            "# Verschillen tussen stadsdelen\n\n"
            f"De werkloosheid is in Nieuw-West {_n('unemployment_pct', NIEUW_WEST)}, in Zuid "
            f"{_n('unemployment_pct', ZUID)}. Het aandeel havo/vwo-adviezen loopt uiteen van "
            f"{_n('vo_advice_havo_vwo_pct', NIEUW_WEST)} in Nieuw-West tot "
            f"{_n('vo_advice_havo_vwo_pct', ZUID)} in Zuid.{cite[1]}\n"
        ),
        "deelvraag-2": (
            "# De maatregelen\n\n"
            f"De gemeente noemt elf maatregelen in drie directies.{cite[2]} De tabel geeft ze "
            "met hun budget over alle jaren.\n\n{{table:measures}}\n\n"
            f"Over de samenhang tussen de maatregelen schrijft de gemeente weinig.{cite[3]}\n"
        ),
    }
    bestuurlijk = {
        "samenvatting": (
            "Voorbeeldstad doet veel voor gelijke kansen, maar stuurt weinig op resultaat. "
            "De rekenkamer beveelt aan om per maatregel vast te leggen wat die moet opleveren, "
            "en de raad daar jaarlijks over te informeren.\n"
        ),
        "conclusies": (
            "1. De doelen zijn breed gedragen maar zelden meetbaar gemaakt." + cite[2] + "\n"
            "2. De verschillen tussen stadsdelen blijven groot: in Nieuw-West kreeg "
            f"{_n('vo_advice_havo_vwo_pct', NIEUW_WEST)} van de leerlingen een havo/vwo-advies.\n"
            "3. De raad krijgt vooral informatie over wat is gedaan, niet over wat het heeft "
            "opgeleverd." + cite[3] + "\n"
        ),
        "aanbevelingen": (
            "Aan het college:\n\n"
            "1. Leg voor elke maatregel vast welk doel die dient en hoe u dat meet.\n"
            "2. Rapporteer jaarlijks aan de raad over de effecten, per stadsdeel.\n"
        ),
    }
    return {"nota_van_bevindingen": nota, "bestuurlijk_rapport": bestuurlijk}


def _with_findings(dossier: Any, texts: dict[str, dict[str, str]]) -> None:
    """Let the chapters show the findings chain of the demo (when the findings demo is there)."""
    from kansenaudit.web.findings.models import Conclusion, Finding, Norm, Recommendation

    nota, bestuurlijk = texts["nota_van_bevindingen"], texts["bestuurlijk_rapport"]
    numbers = sorted(
        set(
            Finding.objects.filter(dossier=dossier, sub_question__isnull=False).values_list(
                "sub_question__number", flat=True
            )
        )
    )
    for number in numbers:
        key = f"deelvraag-{number}"
        intro = f"*Deelvraag {number}.*\n\n"
        nota[key] = nota.get(key, intro) + "\n{{findings:" + str(number) + "}}\n"
    if Norm.objects.filter(dossier=dossier).exists():
        nota["normenkader"] = "De normen waaraan het beleid is getoetst.\n\n{{table:norms}}\n"
    if Conclusion.objects.filter(dossier=dossier).exists():
        bestuurlijk["conclusies"] += "\nDe conclusies per deelvraag:\n\n{{conclusions:all}}\n"
    if Recommendation.objects.filter(dossier=dossier).exists():
        bestuurlijk["aanbevelingen"] = "{{recommendations:all}}\n"


def _with_figures(dossier: Any, texts: dict[str, dict[str, str]]) -> None:
    """Figures from the statistics always; a policy theory and a network map when the demo has
    them (the policy set and the network maps are optional pillars)."""
    from kansenaudit.web.policy.models import Measure

    nota, bestuurlijk = texts["nota_van_bevindingen"], texts["bestuurlijk_rapport"]
    nota["deelvraag-1"] += (
        "\nDe kaart toont het aandeel havo/vwo-adviezen per stadsdeel; de rangorde daarna "
        "de werkloosheid, met de onzekerheid van elk cijfer.\n\n"
        f"{{{{figure:map/vo_advice_havo_vwo_pct/stadsdeel/{YEAR}}}}}\n\n"
        f"{{{{figure:ranking/unemployment_pct/stadsdeel/{YEAR}}}}}\n"
    )
    bestuurlijk["conclusies"] += f"\n{{{{figure:map/vo_advice_havo_vwo_pct/stadsdeel/{YEAR}}}}}\n"
    measure = (
        Measure.objects.filter(dossier=dossier, theory_steps__isnull=False).order_by("pk").first()
    )
    if measure is not None:
        nota["deelvraag-2"] += (
            f"\nDe beleidstheorie van {measure.name} laat zien welke schakels op stukken "
            "rusten en welke niet.\n\n{{figure:theory/" + str(measure.pk) + "}}\n"
        )
        from kansenaudit.web.network.models import NetworkMap

        network_map = (
            NetworkMap.objects.filter(dossier=dossier, measure=measure).order_by("pk").last()
            or NetworkMap.objects.filter(dossier=dossier).order_by("pk").last()
        )
        if network_map is not None:
            nota["deelvraag-2"] += (
                "\nDe netwerkkaart toont wie bij de uitvoering betrokken is.\n\n"
                "{{figure:network/" + str(network_map.pk) + "}}\n"
            )


def load(*, dossier: Any, users: dict[str, Any], documents: dict[str, Any]) -> None:
    citations = list(
        Citation.objects.filter(dossier=dossier, held_for__isnull=True, state=Citation.State.VALID)
        .order_by("pk")
        .values_list("pk", flat=True)[:4]
    )
    if len(citations) < 4:
        return
    author = users.get("onderzoeker")
    titles = {
        "nota_van_bevindingen": ("Kansen voor iedereen?", "Nota van bevindingen (fictief)"),
        "bestuurlijk_rapport": ("Kansen voor iedereen?", "Bestuurlijk rapport (fictief)"),
    }
    all_texts = _texts(citations)
    _with_figures(dossier, all_texts)
    _with_findings(dossier, all_texts)
    for kind, texts in all_texts.items():
        title, subtitle = titles[kind]
        report = reports.report_create(
            dossier=dossier, kind=kind, title=title, subtitle=subtitle, actor=author, is_demo=True
        )
        for key, text in texts.items():
            chapter = report.chapters.get(key=key)
            reports.chapter_update(chapter=chapter, title=chapter.title, text=text, actor=author)
        reports.version_save(
            report=report, purpose="draft", actor=author, note="Eerste volledige concept."
        )
        purpose, note = (
            ("wederhoor", "Verstuurd voor ambtelijk wederhoor.")
            if kind == Report.Kind.NOTA
            else ("publication", "Vastgesteld voor publicatie.")
        )
        try:
            reports.version_save(
                report=report, purpose=purpose, actor=users.get("projectleider"), note=note
            )
        except reports.ReportError:
            # A finding of the demo is reopened by its wederhoor (on purpose): the nota then
            # stays a draft, which its page explains by listing the finding.
            continue
