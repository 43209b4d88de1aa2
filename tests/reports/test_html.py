import re

from lxml import html as lxml_html

from kansenaudit.reports.html import render_html
from tests.reports.sample import WITHHELD_VALUE, sample_report


def page(mode="web"):
    report, _ = sample_report()
    return render_html(report, mode=mode)


def test_the_page_declares_its_language_and_title():
    tree = lxml_html.fromstring(page())
    assert tree.get("lang") == "nl"
    assert tree.findtext(".//title") == "Kansen voor iedereen?"
    assert tree.xpath("//h1")[0].text_content() == "Kansen voor iedereen?"


def test_headings_are_numbered_and_nested():
    tree = lxml_html.fromstring(page())
    h2 = [h.text_content() for h in tree.xpath("//main//h2")]
    assert h2 == ["Samenvatting", "1 Inleiding", "Bijlage A: Normenkader"]
    sections = tree.xpath("//main//h3[not(@class='visually-hidden')]")
    assert [h.text_content() for h in sections] == ["Aanpak"]


def test_footnotes_link_both_ways_and_number_in_reading_order():
    tree = lxml_html.fromstring(page())
    calls = tree.xpath("//sup[@class='noteref']/a")
    assert [a.get("href") for a in calls] == ["#fn-1", "#fn-2", "#fn-3"]
    for n in (1, 2, 3):
        note = tree.get_element_by_id(f"fn-{n}")
        assert note.xpath(".//a[@class='back']")[0].get("href") == f"#fnref-{n}"
    assert "p. 2." in tree.get_element_by_id("fn-1").text_content()  # the summary's citation


def test_figures_have_a_text_alternative_and_their_data_and_no_active_content():
    text = page()
    tree = lxml_html.fromstring(text)
    drawing = tree.xpath("//figure//div[@role='img']")[0]
    assert drawing.get("aria-label").startswith("Staafdiagram:")
    assert tree.xpath("//figure//details/summary")[0].text_content() == "Gegevens bij figuur 1"
    assert (
        tree.xpath("//figure//figcaption")[0].text_content() == "Figuur 1 – Werkloosheid per wijk"
    )
    svg_part = text[text.index("<svg") : text.index("</svg>")]
    assert "<script" not in svg_part
    assert "onclick" not in svg_part
    assert "javascript:" not in svg_part


def test_text_that_looks_like_markup_is_escaped_and_withheld_numbers_are_absent():
    text = page()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert not re.search(r"<script", text.split("</head>")[1])
    assert WITHHELD_VALUE not in text


def test_the_print_page_puts_notes_in_place_and_figures_as_images_with_alt():
    tree = lxml_html.fromstring(page("print"))
    assert len(tree.xpath("//span[@class='footnote']")) == 3
    image = tree.xpath("//figure/img")[0]
    assert image.get("src").startswith("data:image/svg+xml;base64,")
    assert image.get("alt").startswith("Staafdiagram:")
