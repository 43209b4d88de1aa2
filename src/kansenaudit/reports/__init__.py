# SPDX-License-Identifier: EUPL-1.2
"""Report production without Django: Markdown chapters with references → DOCX, HTML and PDF.

``markup.parse_chapter`` turns a chapter's Markdown into blocks, asking a resolver for every
``{{kind:id}}`` reference; ``document.Report`` holds the result; ``docx.render_docx``,
``html.render_html`` and ``pdf.render_pdf`` write it. The web app's ``reports`` app supplies the
resolver (findings, citations, numbers, figures of a dossier) and stores versions.
"""
