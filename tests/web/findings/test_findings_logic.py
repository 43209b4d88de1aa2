"""The Django-free logic: cycles, tracing both ways, version diffs, Markdown, fingerprints."""

from __future__ import annotations

from kansenaudit.findings_logic import chain
from kansenaudit.findings_logic.diagram import render_chain_svg
from kansenaudit.findings_logic.text import diff_sections, fingerprint, markdown_html


def test_cycle_found_and_refused():
    g = chain.adjacency(
        [(("conclusion", 1), ("conclusion", 2)), (("conclusion", 2), ("conclusion", 3))]
    )
    assert chain.find_cycle(g) is None
    assert chain.would_cycle(g, ("conclusion", 3), ("conclusion", 1))
    assert chain.would_cycle(g, ("conclusion", 1), ("conclusion", 1))
    assert not chain.would_cycle(g, ("conclusion", 1), ("conclusion", 3))
    g2 = chain.adjacency(
        [*((a, b) for a, bs in g.items() for b in bs), (("conclusion", 3), ("conclusion", 1))]
    )
    cycle = chain.find_cycle(g2)
    assert cycle[0] == cycle[-1]
    assert set(cycle) == {("conclusion", 1), ("conclusion", 2), ("conclusion", 3)}


def test_long_chain_does_not_exhaust_the_stack():
    edges = [(("conclusion", i), ("conclusion", i + 1)) for i in range(20_000)]
    g = chain.adjacency(edges)
    assert chain.find_cycle(g) is None
    assert chain.would_cycle(g, ("conclusion", 20_000), ("conclusion", 0))


def test_trace_goes_both_ways():
    g = chain.adjacency(
        [
            (("norm", 1), ("finding", 1)),
            (("finding", 1), ("conclusion", 1)),
            (("finding", 2), ("conclusion", 2)),
            (("conclusion", 1), ("recommendation", 1)),
        ]
    )
    assert chain.trace(g, ("recommendation", 1)) == {
        "norm": [1],
        "finding": [1],
        "conclusion": [1],
        "recommendation": [],
    }
    assert chain.trace(g, ("norm", 1))["recommendation"] == [1]


def test_diff_sections_per_paragraph():
    old = [
        {"key": "B1", "title": "T", "text": "Een.\n\nTwee."},
        {"key": "B2", "title": "X", "text": "Weg."},
    ]
    new = [
        {"key": "B1", "title": "T", "text": "Een.\n\nTwee, herzien."},
        {"key": "B3", "title": "N", "text": "Nieuw."},
    ]
    diff = {d.key: d for d in diff_sections(old, new)}
    assert diff["B1"].status == "gewijzigd"
    assert ("-", "Twee.") in diff["B1"].lines
    assert ("+", "Twee, herzien.") in diff["B1"].lines
    assert diff["B3"].status == "nieuw"
    assert diff["B2"].status == "vervallen"
    same = diff_sections(new, new)
    assert {d.status for d in same} == {"ongewijzigd"}


def test_markdown_has_no_raw_html_and_no_script_links():
    html = markdown_html(
        '# Kop\n\n<b onclick="x">b</b> [a](javascript:alert(1)) '
        "[ok](https://example.org) ![i](x.png)"
    )
    assert "<b " not in html
    assert "&lt;b" in html
    assert 'href="javascript' not in html
    assert 'href="https://example.org"' in html
    assert "<img" not in html


def test_fingerprint_is_canonical():
    assert fingerprint({"a": 1, "b": [1, 2]}) == fingerprint({"b": [1, 2], "a": 1})
    assert fingerprint({"a": 1}) != fingerprint({"a": 2})


def test_diagram_escapes_labels():
    nodes = [("finding", 1), ("conclusion", 2)]
    svg = render_chain_svg(
        nodes,
        {("finding", 1): [("conclusion", 2)]},
        {("finding", 1): "<script>x</script>", ("conclusion", 2): "C&1"},
        title="Keten",
        column_titles={},
        href=lambda n: f"?focus={n[0]}:{n[1]}",
    )
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "C&amp;1" in svg
    assert svg.count("<line") == 1
