"""A small policy register with hand-computed monitoring and consistency (policy tests)."""

from __future__ import annotations

from kansenaudit.ingest.canonical import text_sha256
from kansenaudit.web.evidence import services as evidence
from kansenaudit.web.evidence.models import Document, Page
from kansenaudit.web.policy import services as s

PAGE_TEXT = (
    "Uit onderzoek blijkt dat bijles de toetsscores verbetert. "
    "Het aantal uren bijles steeg in 2023 sterk."
)


def make_citation(dossier, quote="bijles de toetsscores verbetert", title="Evaluatie bijles"):
    """A document with one page in ``dossier`` and a citation of ``quote`` on it."""
    document = Document.objects.create(
        dossier=dossier,
        title=title,
        file_name=f"{title}.txt",
        file_format="txt",
        size=len(PAGE_TEXT),
        sha256=text_sha256(title + str(dossier.pk)),
        page_count=1,
    )
    Page.objects.create(
        document=document, number=1, text=PAGE_TEXT, text_sha256=text_sha256(PAGE_TEXT)
    )
    start = PAGE_TEXT.index(quote)
    return evidence.citation_create(
        document=document, page_number=1, start=start, end=start + len(quote), actor=None
    )


def build_register(dossier, user=None):
    """Actors, goals, measures, a policy theory and indicators (see test_policy_services)."""
    r = {}
    a = r["actors"] = {
        "onderwijs": s.actor_create(
            dossier=dossier, name="Directie Onderwijs", kind="directie", actor=user
        ),
        "jeugd": s.actor_create(
            dossier=dossier, name="Directie Jeugd", kind="directie", actor=user
        ),
        "kinderen": s.actor_create(
            dossier=dossier, name="Kinderen 0-12", kind="doelgroep", actor=user
        ),
        "besturen": s.actor_create(
            dossier=dossier, name="Schoolbesturen", kind="partner", actor=user
        ),
    }
    g = r["goals"] = {}
    g["c1"] = s.goal_create(
        dossier=dossier,
        code="C1",
        title="Gelijke kansen voor ieder kind",
        level="coalitieakkoord",
        actor=user,
    )
    g["b1"] = s.goal_create(
        dossier=dossier,
        code="C1.1",
        title="Betere schoolresultaten",
        level="bestuursopdracht",
        parent=g["c1"],
        actor=user,
    )
    g["d1"] = s.goal_create(
        dossier=dossier,
        code="C1.1.1",
        title="Meer kinderen met havo-advies",
        level="directie",
        parent=g["b1"],
        owner=a["onderwijs"],
        target_groups=[a["kinderen"]],
        actor=user,
    )
    g["c2"] = s.goal_create(
        dossier=dossier, code="C2", title="Minder armoede", level="coalitieakkoord", actor=user
    )
    g["d2"] = s.goal_create(
        dossier=dossier, code="D9", title="Eigen directiedoel", level="directie", actor=user
    )
    m = r["measures"] = {}
    m["m1"] = s.measure_create(
        dossier=dossier,
        name="Schoolmaatje",
        owner=a["onderwijs"],
        goals=[g["d1"]],
        target_groups=[a["kinderen"]],
        budgets={2024: "100000", 2025: 120000},
        status="lopend",
        actor=user,
    )
    m["m2"] = s.measure_create(
        dossier=dossier, name="Zomerschool", owner=a["jeugd"], goals=[g["b1"]], actor=user
    )
    m["m3"] = s.measure_create(
        dossier=dossier, name="Losse maatregel", owner=a["onderwijs"], actor=user
    )
    t = r["steps"] = {
        "a1": s.theory_step_create(measure=m["m1"], kind="activiteit", text="Bijles", actor=user),
        "o1": s.theory_step_create(measure=m["m1"], kind="output", text="Uren bijles", actor=user),
        "oc1": s.theory_step_create(
            measure=m["m1"], kind="outcome", text="Betere toetsscores", actor=user
        ),
        "g1": s.theory_step_create(
            measure=m["m1"], kind="doel", text="Meer havo-advies", goal=g["d1"], actor=user
        ),
    }
    r["links"] = {
        "a1o1": s.theory_link_create(
            source=t["a1"], target=t["o1"], rationale="Wie bijles geeft, levert uren", actor=user
        ),
        "o1oc1": s.theory_link_create(
            source=t["o1"], target=t["oc1"], rationale="Meer oefening, betere scores", actor=user
        ),
        "oc1g1": s.theory_link_create(
            source=t["oc1"], target=t["g1"], rationale="Scores wegen mee in het advies", actor=user
        ),
    }
    citation = r["citation"] = make_citation(dossier)
    s.evidence_link_add(dossier=dossier, subject=r["links"]["a1o1"], citation=citation, actor=user)
    i = r["indicators"] = {}
    i["i1"] = s.indicator_create(
        dossier=dossier,
        name="Havo-advies",
        unit="%",
        polarity="hoger",
        goals=[g["d1"]],
        measures=[m["m1"]],
        actor=user,
    )
    for kind, year, value in [
        ("nulmeting", 2019, 40),
        ("streefwaarde", 2022, 45),
        ("streefwaarde", 2026, 50),
        ("realisatie", 2021, 42),
        ("realisatie", 2023, 46),
    ]:
        s.indicator_value_set(indicator=i["i1"], kind=kind, year=year, value=value, actor=user)
    i["i2"] = s.indicator_create(
        dossier=dossier,
        name="Schooluitval",
        unit="%",
        polarity="lager",
        goals=[g["b1"]],
        actor=user,
    )
    s.indicator_value_set(indicator=i["i2"], kind="streefwaarde", year=2025, value=2.0, actor=user)
    s.indicator_value_set(
        indicator=i["i2"], kind="realisatie", year=2024, value=1.5, citation=citation, actor=user
    )
    i["i3"] = s.indicator_create(dossier=dossier, name="Tevredenheid ouders", actor=user)
    return r
