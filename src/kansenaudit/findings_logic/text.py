# SPDX-License-Identifier: EUPL-1.2
"""Finding text: Markdown to safe HTML, content fingerprints, and the diff of two versions."""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt

# HTML in the source is shown as text, never passed through; links only to http(s)/mailto.
_MD = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_MD.disable(["image"])
_SAFE_SCHEMES = ("http://", "https://", "mailto:", "#", "/")


def _validate_link(url: str) -> bool:
    return url.strip().lower().startswith(_SAFE_SCHEMES)


_MD.validateLink = _validate_link  # type: ignore[method-assign]


def markdown_html(text: str) -> str:
    """Markdown rendered with raw HTML disabled: the result is safe to insert into a page."""
    return _MD.render(text or "")


def fingerprint(content: Any) -> str:
    """SHA-256 of ``content`` as canonical JSON: the same content always gives the same print."""
    data = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SectionDiff:
    """How one section (a finding) of a version differs from the previous version."""

    key: str
    title: str
    status: str  # "nieuw", "vervallen", "gewijzigd", "ongewijzigd"
    lines: tuple[tuple[str, str], ...]  # (op, text) with op "+", "-" or " "


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a text (blank-line separated), stripped; a comment points at one."""
    return [p.strip() for p in (text or "").replace("\r\n", "\n").split("\n\n") if p.strip()]


def diff_sections(old: list[dict[str, str]], new: list[dict[str, str]]) -> list[SectionDiff]:
    """Per section (``key``, ``title``, ``text``), what changed from ``old`` to ``new``, in the
    new order with the removed sections last."""
    before = {s["key"]: s for s in old}
    after_keys = {s["key"] for s in new}
    result: list[SectionDiff] = []
    for section in new:
        prior = before.get(section["key"])
        if prior is None:
            lines = tuple(("+", p) for p in paragraphs(section["text"]))
            result.append(SectionDiff(section["key"], section["title"], "nieuw", lines))
            continue
        old_text = [prior["title"], *paragraphs(prior["text"])]
        new_text = [section["title"], *paragraphs(section["text"])]
        ops = _ops(old_text, new_text)
        changed = any(op != " " for op, _ in ops)
        result.append(
            SectionDiff(
                section["key"], section["title"], "gewijzigd" if changed else "ongewijzigd", ops
            )
        )
    for section in old:
        if section["key"] not in after_keys:
            lines = tuple(("-", p) for p in paragraphs(section["text"]))
            result.append(SectionDiff(section["key"], section["title"], "vervallen", lines))
    return result


def _ops(old: list[str], new: list[str]) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    for line in difflib.ndiff(old, new):
        op = line[:1]
        if op in "+- ":
            out.append((op, line[2:]))
    return tuple(out)
