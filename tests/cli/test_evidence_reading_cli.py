"""`kansenaudit evidence cite | page | terms` in-process against the test database: a citation
made in the terminal, the page with it marked, and the term chart — the same services as the
viewer and the term pages."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from kansenaudit.cli.main import cli
from kansenaudit.ingest.extract import extract
from kansenaudit.web.core.models import AuditEvent
from kansenaudit.web.evidence import services as evidence
from kansenaudit.web.evidence.models import Citation

TEXT = (
    "Het college wil gelijke kansen voor ieder kind.\n"
    "Kansengelijkheid vraagt om ongelijk investeren in wijken met een achterstand.\n"
)


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("KANSENAUDIT_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def run(db):
    runner = CliRunner()

    def invoke(*args: object):
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)

    return invoke


@pytest.fixture
def document(team):
    stored, _ = evidence.document_store(
        dossier=team["dossier"],
        extracted=extract(TEXT.encode(), "nota.txt", ocr=False),
        data=TEXT.encode(),
        actor=None,
        overrides={"title": "Nota kansen", "date": dt.date(2024, 3, 1), "issuer": "college"},
    )
    return stored


def test_cite_by_quote_and_by_offsets_then_page_shows_them(run, team, document):
    d = team["dossier"].pk
    result = run(
        "evidence", "cite", "--dossier", d, "--document", document.pk, "--page", 1,
        "--quote", "ongelijk   investeren\nin wijken", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    made = json.loads(result.output)
    page_text = document.pages.get(number=1).text
    assert page_text[made["start"] : made["end"]] == "ongelijk investeren in wijken"
    assert made["quote"] == "ongelijk investeren in wijken"
    start = page_text.index("gelijke kansen")
    result = run(
        "evidence", "cite", "--dossier", d, "--document", document.pk, "--page", 1,
        "--start", start, "--end", start + len("gelijke kansen"), "--note", "definitie?",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "“gelijke kansen”" in result.output
    assert Citation.objects.filter(document=document).count() == 2
    assert AuditEvent.objects.filter(action__startswith="evidence.citation").count() == 2
    # The page, with both passages marked and listed.
    shown = run("evidence", "page", "--dossier", d, "--document", document.pk, "--page", 1)
    assert shown.exit_code == 0
    first = Citation.objects.get(quote="gelijke kansen").pk
    assert f"«gelijke kansen»[{first}]" in shown.output
    assert f"«ongelijk investeren in wijken»[{made['id']}]" in shown.output
    data = json.loads(
        run("evidence", "page", "--dossier", d, "--document", document.pk, "--json").output
    )
    assert data["text"] == page_text
    assert [c["quote"] for c in data["citations"]] == [
        "gelijke kansen",
        "ongelijk investeren in wijken",
    ]


def test_cite_refusals_are_one_line_errors(run, team, document):
    d = team["dossier"].pk
    base = ["evidence", "cite", "--dossier", d, "--document", document.pk, "--page", 1]
    for extra, message in [
        (["--quote", "staat er niet"], "komt niet voor op deze pagina"),
        (["--quote", "gelijk"], "komt 3 keer voor"),
        ([], "geef --quote, of --start en --end"),
    ]:
        result = CliRunner().invoke(cli, [str(a) for a in base + extra])
        assert result.exit_code != 0
        assert message in result.output, result.output
        assert "Traceback" not in result.output
    other = CliRunner().invoke(
        cli, ["evidence", "page", "--dossier", str(team["other"].pk), "--document",
              str(document.pk)],
    )  # fmt: skip
    assert other.exit_code != 0
    assert "bestaat niet in dossier" in other.output
    assert not Citation.objects.exists()


def test_terms_chart_and_kwic(run, team, document):
    d = team["dossier"].pk
    result = run("evidence", "terms", "--dossier", d, "--kwic")
    assert result.exit_code == 0, result.output
    assert "gelijke kansen: 1 keer" in result.output
    assert "kansengelijkheid: 1 keer" in result.output
    assert "2024 █" in result.output
    assert "per afzender: college 1" in result.output
    assert "[ongelijk investeren]" in result.output
    data = json.loads(
        run("evidence", "terms", "--dossier", d, "--term", "achterstand", "--json").output
    )
    assert data["terms"] == ["achterstand"]
    assert data["usage"] == [
        {"term": "achterstand", "year": 2024, "issuer": "college", "count": 1, "documents": 1}
    ]
