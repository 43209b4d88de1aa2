# SPDX-License-Identifier: EUPL-1.2
"""HTML of the long lists of the coding page, built in Python: a transcript of 30,000 words has
hundreds of turns and may have a thousand segments, which Django's template loop renders far
too slowly (seconds). Every text is escaped here; the result is marked safe once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from kansenaudit.web.coding.selectors import TurnView
from kansenaudit.web.core.templatetags.ka_format import ka_datetime


def turns_html(turns: Sequence[TurnView]) -> SafeString:
    withdrawn = escape(
        _(
            "[withdrawn: this participant withdrew consent; their words are not shown and "
            "cannot be coded]"
        )
    )
    parts = []
    for t in turns:
        cls = "ka-turn ka-turn--withdrawn" if t.withdrawn else "ka-turn"
        head = ""
        if t.speaker:
            group = f' <span class="ka-hint">({escape(t.group)})</span>' if t.group else ""
            head = f'<p class="ka-turn__speaker">{t.number} · {escape(t.speaker)}{group}</p>'
        body = (
            f'<p class="ka-turn__text ka-hint">{withdrawn}</p>'
            if t.withdrawn
            else f'<p class="ka-turn__text">{t.html}</p>'
        )
        parts.append(f'<div class="{cls}" id="beurt-{t.number}">{head}{body}</div>')
    return mark_safe("\n".join(parts))


def _memos(memos: Sequence[Any]) -> str:
    if not memos:
        return ""
    items = "".join(
        f'<li><span class="ka-hint">{escape(m.author_label)}, '
        f"{escape(ka_datetime(m.created_at))}:</span> "
        f"{escape(m.text).replace(chr(10), '<br>')}</li>"
        for m in memos
    )
    return f'<ul class="ka-unordered-list ka-memos">{items}</ul>'


def segments_html(
    request: Any, dossier_id: int, segments: Sequence[Any], *, may_edit: bool
) -> SafeString:
    """The list items of the coded segments (see ``_segment_list.html``)."""
    token = escape(get_token(request))
    remove_url = reverse("coding:segment_remove", args=[dossier_id, 0]).replace("/0/", "/{}/")
    memo_url = reverse("coding:segment_memo", args=[dossier_id, 0]).replace("/0/", "/{}/")
    t_remove, t_segment = escape(_("Remove")), escape(_("segment"))
    t_memo, t_on, t_add = escape(_("Memo")), escape(_("on segment")), escape(_("Add memo"))
    t_consensus = escape(_("consensus"))
    parts = []
    for n, s in enumerate(segments, start=1):
        tags = "".join(
            f'<span class="ka-code-tag" data-colour="{escape(c.colour)}">{escape(c.name)}</span> '
            for c in s.codes.all()
        )
        coder = s.coder.get_username() if s.coder else s.coder_label
        kind = f" · {t_consensus}" if s.kind == "consensus" else ""
        actions = ""
        if may_edit:
            actions = (
                '<div class="ka-segment__actions">'
                f'<form method="post" action="{remove_url.format(s.pk)}">'
                f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
                f'<button type="submit" class="ka-button ka-button--tertiary">{t_remove}'
                f'<span class="ka-visually-hidden"> {t_segment} {n}</span></button></form>'
                f'<details><summary>{t_memo}<span class="ka-visually-hidden"> {t_on} {n}'
                "</span></summary>"
                f'<form method="post" action="{memo_url.format(s.pk)}">'
                f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
                f'<label class="ka-label" for="memo{s.pk}-text">{t_memo}</label>'
                f'<textarea class="ka-text-area" rows="2" name="memo{s.pk}-text" '
                f'id="memo{s.pk}-text" required></textarea>'
                f'<button type="submit" class="ka-button ka-button--secondary">{t_add}</button>'
                "</form></details></div>"
            )
        cls = "ka-segment ka-segment--withdrawn" if s.withdrawn else "ka-segment"
        parts.append(
            f'<li id="segment-{s.pk}" class="{cls}">'
            f'<p class="ka-paragraph ka-paragraph--small"><q>{escape(s.snippet)}</q></p>'
            f'<p class="ka-paragraph ka-paragraph--small">{tags}'
            f'<span class="ka-hint">· {escape(coder)}{kind}</span></p>'
            f"{_memos(s.memo_list)}{actions}</li>"
        )
    return mark_safe("\n".join(parts))
