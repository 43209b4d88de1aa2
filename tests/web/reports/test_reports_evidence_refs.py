"""Coded segments, cells of the mirror of practice and network checks as report references,
through the findings' evidence registry (the coding app's entries are a fixture here)."""

import sys
import types
from dataclasses import dataclass

import pytest

from kansenaudit.web.findings.registry import EvidenceKind
from kansenaudit.web.reports.models import Report
from kansenaudit.web.reports.services import check_chapters


@dataclass
class _Segment:
    pk: int
    dossier_id: int
    text: str


@pytest.fixture
def coding_registry(team, monkeypatch):
    """The coding app's registry entries as it will offer them: one segment in the dossier."""
    segments = {7: _Segment(7, team["dossier"].pk, "‘We weten niet wie we bereiken.’")}

    def load_many(dossier, ids):
        return {i: s for i in ids if (s := segments.get(int(i))) and s.dossier_id == dossier.pk}

    def kind(key):
        return EvidenceKind(
            key=key,
            name=key,
            load_many=load_many,
            label=lambda s: f"Interview R03, fragment {s.pk}: {s.text}",
            url=lambda s: "",
            content=lambda s: {"text": s.text},
        )

    module = types.ModuleType("kansenaudit.web.coding.evidence")
    module.SEGMENT = kind("segment")
    module.MATRIX_CELL = kind("spiegelcel")
    monkeypatch.setitem(sys.modules, "kansenaudit.web.coding.evidence", module)
    return segments


def _resolve(dossier, text):
    chapters = [{"key": "inleiding", "title": "Inleiding", "kind": "chapter", "text": text}]
    document, problems, _resolver = check_chapters(dossier, chapters)
    return document, [(p.reference, p.reason) for p in problems]


def test_a_coded_segment_becomes_a_footnote_through_the_registry(team, coding_registry):
    document, problems = _resolve(
        team["dossier"], "Een ambtenaar zei het zo.{{segment:7}} En de cel.{{matrix_cell:7}}"
    )
    assert problems == []
    notes = list(document.footnotes())
    assert [n.source for n in notes] == ["segment:7", "matrix_cell:7"]
    assert notes[0].text == "Interview R03, fragment 7: ‘We weten niet wie we bereiken.’."


def test_another_dossiers_segment_or_an_unknown_id_is_a_problem(team, coding_registry):
    _document, problems = _resolve(team["other"], "{{segment:7}}")
    assert problems == [("segment:7", "missing")]
    _document, problems = _resolve(team["dossier"], "{{segment:8}} {{segment:x}}")
    assert problems == [("segment:8", "missing"), ("segment:x", "malformed")]


def test_without_the_coding_registry_a_segment_is_an_unknown_kind(team, monkeypatch):
    monkeypatch.setitem(sys.modules, "kansenaudit.web.coding.evidence", None)
    _document, problems = _resolve(team["dossier"], "{{segment:7}}")
    assert problems == [("segment:7", "unknown_kind")]
    assert not Report.objects.exists()
