"""The demo coding works from whatever transcripts the fieldwork demo left: with none it only
writes the codebook; with some it double codes two of them so that an alpha shows."""

from __future__ import annotations

from django.utils import timezone

from kansenaudit.web.coding.agreement import dossier_agreement
from kansenaudit.web.coding.models import Code, DoubleCoding, Segment
from kansenaudit.web.demo import coding_set
from tests.web.coding.support import transcript, turn

TURNS = [
    ("I1", None, "Hoe kwam u bij de schoolmaatschappelijk werker terecht?"),
    (
        "R1",
        ("Bewoner 1", "resident"),
        "Via het spreekuur op school. Ik durfde eerst niet, ik schaamde me voor de schulden.",
    ),
    (
        "R2",
        ("Bewoner 2", "resident"),
        "Het duurde drie maanden voordat er iemand langs kwam. Dat wachten was zwaar.",
    ),
    (
        "R3",
        ("Partner 1", "partner"),
        "De samenwerking met het wijkteam loopt goed; we overleggen elke week.",
    ),
    (
        "R4",
        ("Ambtenaar 1", "civil_servant"),
        "Sommige gezinnen zijn juist afgehaakt door het stigma. Dat werkt averechts.",
    ),
    (
        "R1",
        ("Bewoner 1", "resident"),
        "Ik vertrouw haar, ze luistert echt. De rekening van de energie is nu betaald.",
    ),
    (
        "R2",
        ("Bewoner 2", "resident"),
        "Het geld blijft krap, maar ik weet nu waar ik terecht kan met mijn betalingsachterstand.",
    ),
]


def test_demo_coding_without_transcripts_writes_only_the_codebook(team):
    coding_set.load(dossier=team["dossier"], users=team["users"], documents={})
    assert Code.objects.filter(dossier=team["dossier"]).count() == len(coding_set.INDUCTIVE)
    assert not Segment.objects.exists()


def test_demo_coding_double_codes_with_an_alpha_and_a_consensus(team):
    dossier = team["dossier"]
    items = [transcript(dossier, title=f"Interview {n}", turns=TURNS) for n in range(3)]
    gone = turn(items[2], 5).participant
    gone.withdrawn_at = timezone.now()
    gone.save()
    coding_set.load(dossier=dossier, users=team["users"], documents={})
    assert DoubleCoding.objects.filter(dossier=dossier, consensus_at__isnull=False).count() == 2
    result = dossier_agreement(dossier, n_boot=50)
    assert result.transcripts == 2
    assert result.overall.alpha is not None
    assert 0.3 < result.overall.alpha < 1
    assert Segment.objects.filter(kind="consensus").exists()
    assert Segment.objects.filter(transcript=items[2]).exists()
    count = Segment.objects.count()
    coding_set.load(dossier=dossier, users=team["users"], documents={})  # once only
    assert Segment.objects.count() == count


def test_demo_mirror_of_a_measure_rests_on_its_coded_segments(team):
    from kansenaudit.web.coding.models import MirrorRow
    from tests.web.coding.support import measure_with_theory

    dossier = team["dossier"]
    measure, _steps, _links = measure_with_theory(dossier, name=coding_set.MEASURES[0])
    for n in range(3):
        transcript(dossier, title=f"Interview {n}", turns=TURNS, measure=measure)
    coding_set.load(dossier=dossier, users=team["users"], documents={})
    rows = list(MirrorRow.objects.filter(measure=measure).order_by("order"))
    assert len(rows) == 5
    assert all(r.assessments.count() == 2 for r in rows)
    assert all(r.status == "afgetekend" for r in rows)  # the first measure is signed off
    verdicts = {r.verdict for r in rows}
    assert "ondersteund" in verdicts
    assert len(verdicts) >= 3
    assert all(r.segments.exists() for r in rows if r.verdict != "niet_aan_bod")
