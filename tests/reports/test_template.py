"""The rekenkamer's own Word template: used when sound, refused by name when not."""

import io
import zipfile

import docx
import pytest
from docx.shared import RGBColor

from kansenaudit.reports.docx import render_docx
from kansenaudit.reports.docx_template import TEMPLATE_CT, TemplateError
from tests.reports.sample import sample_report

DOCUMENT_CT = "wordprocessingml.document.main+xml"


def house_template() -> bytes:
    document = docx.Document()
    document.styles["Heading 1"].font.color.rgb = RGBColor(0xC8, 0x10, 0x2E)
    document.add_paragraph("Voorbeeldtekst van het sjabloon die niet in het rapport mag komen.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def rewrite(data: bytes, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    parts = {i.filename: source.read(i) for i in source.infolist()}
    change(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, body in parts.items():
            target.writestr(name, body)
    return out.getvalue()


def test_the_house_style_is_used_and_its_sample_text_dropped():
    report, _ = sample_report()
    result = docx.Document(io.BytesIO(render_docx(report, template=house_template())))
    assert result.styles["Heading 1"].font.color.rgb == RGBColor(0xC8, 0x10, 0x2E)
    assert not any("Voorbeeldtekst" in p.text for p in result.paragraphs)


def test_a_dotx_template_is_accepted():
    def as_template(parts):
        types = parts["[Content_Types].xml"].decode()
        parts["[Content_Types].xml"] = types.replace(
            "application/vnd.openxmlformats-officedocument." + DOCUMENT_CT, TEMPLATE_CT
        ).encode()

    dotx = rewrite(house_template(), as_template)
    report, _ = sample_report()
    assert render_docx(report, template=dotx, template_name="huisstijl.dotx")[:2] == b"PK"


def _macros(parts):
    parts["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0macro"


def _entities(parts):
    parts["word/styles.xml"] = (
        b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "aaaaaaaaaa">]>'
        + parts["word/styles.xml"].split(b"?>", 1)[1]
    )


def _bomb(parts):
    parts["word/media/leeg.bin"] = b"\0" * 30_000_000


def _no_caption(parts):
    styles = parts["word/styles.xml"].decode()
    start = styles.index('<w:style w:type="paragraph" w:styleId="Caption"')
    end = styles.index("</w:style>", start) + len("</w:style>")
    parts["word/styles.xml"] = (styles[:start] + styles[end:]).encode()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_macros, "contains macros"),
        (_entities, "not acceptable XML"),
        (_bomb, "compressed suspiciously"),
        (_no_caption, "styles Caption are missing"),
    ],
)
def test_hostile_or_unfit_templates_are_refused_by_name(change, message):
    report, _ = sample_report()
    with pytest.raises(TemplateError, match=message) as caught:
        render_docx(
            report, template=rewrite(house_template(), change), template_name="huisstijl.docx"
        )
    assert str(caught.value).startswith("huisstijl.docx:")


@pytest.mark.parametrize("data", [b"", b"not a zip", b"PK\x03\x04broken"])
def test_files_that_are_not_word_are_refused(data):
    report, _ = sample_report()
    with pytest.raises(TemplateError, match=r"sjabloon\.docx: not a Word"):
        render_docx(report, template=data, template_name="sjabloon.docx")
