# SPDX-License-Identifier: EUPL-1.2
"""The house-style Word template: the rekenkamer's own ``.docx``/``.dotx``, checked before use.

A template is an upload like any other: it is checked from the ZIP's central directory (size,
number of parts, compression ratio) before anything is inflated, every XML part is parsed with
DTDs and entities refused, macros (``vbaProject.bin``, a macro-enabled content type) are
refused, and the styles the writer needs must be there. Only its styles, page set-up, headers
and footers are used: its body text is dropped.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

MAX_TEMPLATE_BYTES = 20_000_000
MAX_UNPACKED_BYTES = 100_000_000
MAX_PARTS = 500
MAX_RATIO = 100
REQUIRED_STYLES = ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Caption")
TEMPLATE_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
DOCUMENT_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


class TemplateError(ValueError):
    """A template that cannot be used; the message names the file and what is wrong.

    ``code`` says what in a stable word ("too_large", "not_word", "parts", "unpacked", "ratio",
    "macros", "xml", "unreadable", "styles"), so the web app can say it in the user's language;
    ``detail`` is the part or the styles concerned.
    """

    def __init__(self, message: str, *, code: str = "not_word", detail: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.detail = detail


def check_template(data: bytes, *, file_name: str) -> bytes:
    """The template as a ``.docx`` package (a ``.dotx`` is re-typed), or TemplateError."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    if len(data) > MAX_TEMPLATE_BYTES:
        raise TemplateError(
            f"{file_name}: larger than {MAX_TEMPLATE_BYTES:,} bytes", code="too_large"
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise TemplateError(f"{file_name}: not a Word file (not a ZIP package)") from exc
    if len(infos) > MAX_PARTS:
        raise TemplateError(f"{file_name}: more than {MAX_PARTS} parts", code="parts")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNPACKED_BYTES:
        raise TemplateError(
            f"{file_name}: unpacks to more than {MAX_UNPACKED_BYTES:,} bytes", code="unpacked"
        )
    for info in infos:
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
            raise TemplateError(
                f"{file_name}: part {info.filename} is compressed suspiciously",
                code="ratio",
                detail=info.filename,
            )
        if info.filename.lower().endswith("vbaproject.bin"):
            raise TemplateError(
                f"{file_name}: contains macros ({info.filename})",
                code="macros",
                detail=info.filename,
            )
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or "word/document.xml" not in names:
        raise TemplateError(f"{file_name}: not a Word document (word/document.xml is missing)")
    parts: dict[str, bytes] = {}
    for info in infos:
        body = archive.read(info)
        if info.filename.endswith((".xml", ".rels")):
            try:
                fromstring(body)
            except (DefusedXmlException, Exception) as exc:
                kind = type(exc).__name__
                raise TemplateError(
                    f"{file_name}: part {info.filename} is not acceptable XML ({kind})",
                    code="xml",
                    detail=info.filename,
                ) from exc
        parts[info.filename] = body
    types = parts["[Content_Types].xml"].decode("utf-8")
    if "macroEnabled" in types:
        raise TemplateError(
            f"{file_name}: a macro-enabled template (.dotm/.docm) is refused", code="macros"
        )
    if TEMPLATE_CT in types:
        parts["[Content_Types].xml"] = types.replace(TEMPLATE_CT, DOCUMENT_CT).encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for info in infos:
            package.writestr(info.filename, parts[info.filename])
    return out.getvalue()


def open_template(data: bytes | None, *, file_name: str = "template.docx") -> Any:
    """A python-docx Document with the template's styles and an empty body."""
    import docx

    if data is None:
        document = docx.Document()
    else:
        try:
            document = docx.Document(io.BytesIO(check_template(data, file_name=file_name)))
        except TemplateError:
            raise
        except Exception as exc:  # python-docx's own errors for a broken package
            raise TemplateError(
                f"{file_name}: Word cannot read it ({type(exc).__name__})", code="unreadable"
            ) from exc
    names = {style.name for style in document.styles}
    missing = [s for s in REQUIRED_STYLES if s not in names]
    if missing:
        raise TemplateError(
            f"{file_name}: the styles {', '.join(missing)} are missing",
            code="styles",
            detail=", ".join(missing),
        )
    body = document.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    _ensure_footnote_styles(document)
    return document


def _ensure_footnote_styles(document: Any) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    names = {style.name for style in document.styles}
    if "footnote text" not in names and "Footnote Text" not in names:
        style = document.styles.add_style("Footnote Text", WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles["Normal"]
        style.font.size = Pt(9)
    if "footnote reference" not in names and "Footnote Reference" not in names:
        style = document.styles.add_style("Footnote Reference", WD_STYLE_TYPE.CHARACTER)
        style.font.superscript = True
    if "Hyperlink" not in names:
        style = document.styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
        style.font.underline = True
