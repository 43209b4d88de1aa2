from kansenaudit.reports.document import (
    FigureBlock,
    FootnoteRef,
    Heading,
    Link,
    ListBlock,
    Paragraph,
    TableBlock,
    Text,
)
from kansenaudit.reports.markup import parse_chapter
from tests.reports.sample import INTRO, WITHHELD_VALUE, FakeResolver


def parsed():
    return parse_chapter(INTRO, chapter="inleiding", resolver=FakeResolver())


def test_blocks_follow_the_markdown():
    blocks = parsed().blocks
    kinds = [type(b) for b in blocks]
    assert kinds == [Paragraph, Heading, ListBlock, FigureBlock, TableBlock, Paragraph]
    assert blocks[1].level == 2
    assert blocks[4].columns == ("Wijk", "Aantal")
    assert blocks[4].rows == (("Noord", "1.234"),)


def test_citations_become_footnotes_in_place():
    first = parsed().blocks[0].inlines
    notes = [i for i in first if isinstance(i, FootnoteRef)]
    assert [n.note.source for n in notes] == ["citation:4"]
    assert "p. 4." in notes[0].note.text
    # The footnote sits after "kansen." and before the next sentence.
    position = first.index(notes[0])
    assert first[position - 1].text.endswith("gelijke kansen.")


def test_every_reference_is_listed_in_order():
    assert parsed().references == (
        "citation:4",
        "number:werkloosheid",
        "citation:5",
        "figure:werkloosheid",
        "number:withheld",
    )


def test_a_withheld_number_is_a_problem_and_never_a_value():
    result = parsed()
    assert [(p.reference, p.reason, p.line) for p in result.problems] == [
        ("number:withheld", "withheld", 14)
    ]
    texts = " ".join(
        i.text
        for b in result.blocks
        if isinstance(b, Paragraph)
        for i in b.inlines
        if isinstance(i, Text)
    )
    assert "[number:withheld?]" in texts
    assert WITHHELD_VALUE not in texts


def test_raw_html_is_text_and_unsafe_links_are_dropped():
    blocks = parsed().blocks
    item = blocks[2].items[1]
    assert "".join(i.text for i in item) == "Een punt met <script>alert(1)</script> als tekst"
    last = blocks[-1].inlines
    links = [i for i in last if isinstance(i, Link)]
    assert [link.href for link in links] == ["https://www.rekenkamer.amsterdam.nl/"]
    assert any(isinstance(i, Text) and "slechte link" in i.text for i in last)


def test_unknown_kinds_images_and_block_references_in_running_text_are_reported():
    source = "Zie {{figure:werkloosheid}} en {{onzin:1}}.\n\n![foto](/etc/passwd)\n"
    result = parse_chapter(source, chapter="h3", resolver=FakeResolver())
    assert sorted(p.reason for p in result.problems) == ["block_inline", "image", "unknown_kind"]
    assert all(p.chapter == "h3" for p in result.problems)


def test_a_huge_chapter_is_refused_before_parsing():
    import pytest

    with pytest.raises(ValueError, match="longer than"):
        parse_chapter("x" * 2_000_001, chapter="groot", resolver=FakeResolver())
