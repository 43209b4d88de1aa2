# SPDX-License-Identifier: EUPL-1.2
"""What the search tells a person: the words it found marked on the page that opens, and
what was wrong with a query and what was searched instead (never a silent "0 pages found").
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kansenaudit.web.evidence import search as evidence_search

MAX_MARKS = 500  # a page of a common word marks at most this many (the rest stays plain text)

PROBLEMS = {
    "unclosed_quote": _(
        "A quotation mark was not closed: everything after it was searched as one phrase."
    ),
    "dangling_operator": _(
        "OR, AND or NOT stood without a word on one side and was left out. Write them between "
        "two words, in capitals: kansen OR onderwijs."
    ),
    "unsupported": _(
        "Brackets and NEAR( ) are not part of the search syntax: the words were searched as "
        "plain words. Use quotation marks for words that belong together."
    ),
    "short_prefix": _(
        "A word with * needs at least three letters before the *: the * was left out."
    ),
    "too_long": _("The query was too long: only its first part was searched."),
    "nothing_left": _(
        "The query holds only very common words, punctuation or excluded words, so there is "
        "nothing to look for. Add a word that should be on the page."
    ),
}


def query_feedback(query: str) -> dict[str, object]:
    """``{problems: [message, …], searched_for: str}`` for the results page."""
    codes = evidence_search.query_problems(query)
    return {
        "problems": [PROBLEMS[code] for code in codes],
        "searched_for": evidence_search.searched_for(evidence_search.parse_query(query))
        if codes
        else "",
    }


def marked_runs(runs: list[dict], text: str, query: str) -> tuple[list[dict], int]:
    """The page's runs (cited or not) cut at the search matches: each run gets ``pieces`` of
    ``{text, hit}`` with ``hit`` the match's number (1, 2, …) or 0. Returns the runs and the
    number of matches."""
    spans = evidence_search.page_matches(text, query)[:MAX_MARKS] if query.strip() else []
    offset = 0
    for run in runs:
        start, end = offset, offset + len(run["text"])
        pieces = []
        cursor = start
        for number, (left, right) in enumerate(spans, start=1):
            left, right = max(left, start), min(right, end)
            if left >= right:
                continue
            if cursor < left:
                pieces.append({"text": text[cursor:left], "hit": 0})
            pieces.append({"text": text[left:right], "hit": number})
            cursor = right
        if cursor < end:
            pieces.append({"text": text[cursor:end], "hit": 0})
        run["pieces"] = pieces
        offset = end
    return runs, len(spans)
