# SPDX-License-Identifier: EUPL-1.2
"""`kansenaudit evidence cite | page | terms`: cite a passage, read a page with its citations
marked, and chart how a dossier's documents use its terms — what the viewer and the term pages
of the web interface do, for the terminal."""

from __future__ import annotations

import click

from kansenaudit.cli.lookup import operator_document_or_fail, operator_dossier_or_fail
from kansenaudit.cli.output import emit, json_option, refused_as_click
from kansenaudit.cli.runtime import require_migrated, setup_django

BAR_WIDTH = 40  # characters of the longest bar in the term chart


def _document(dossier_id: int, document_id: int) -> tuple[object, object]:
    # Django first: the selectors import models, which need configured settings.
    setup_django()
    require_migrated()
    return operator_document_or_fail(dossier_id, document_id)


def _citation_json(citation: object) -> dict:
    return {
        "id": citation.pk,
        "document_id": citation.document_id,
        "page": citation.page_number,
        "start": citation.start,
        "end": citation.end,
        "quote": citation.quote,
        "quote_sha256": citation.quote_sha256,
        "state": citation.state,
        "note": citation.note,
    }


def register(group: click.Group) -> None:
    """Add the commands to the ``evidence`` group."""
    group.add_command(cite)
    group.add_command(page)
    group.add_command(terms)


@click.command("cite")
@click.option("--dossier", "dossier_id", required=True, type=int, help="Dossier id.")
@click.option("--document", "document_id", required=True, type=int, help="Document id.")
@click.option("--page", "page_number", required=True, type=int, help="Page number (from 1).")
@click.option("--quote", help="The passage, as it stands on the page (whitespace may differ).")
@click.option("--start", type=int, help="First character (code point) of the passage.")
@click.option("--end", type=int, help="Character after the passage.")
@click.option("--note", default="", help="A note with the citation.")
@json_option
def cite(
    dossier_id: int,
    document_id: int,
    page_number: int,
    quote: str | None,
    start: int | None,
    end: int | None,
    note: str,
    as_json: bool,
) -> None:
    """Cite a passage of a page: by its text (--quote) or by its characters (--start, --end).

    The citation records document, page, character range, the quote and its SHA-256, and is
    logged in the audit log, as when citing in the viewer.
    """
    if (quote is None) == (start is None or end is None):
        raise click.UsageError("geef --quote, of --start en --end")
    _dossier, document = _document(dossier_id, document_id)
    from kansenaudit.web.evidence import services

    with refused_as_click("niet geciteerd: "):
        if quote is not None:
            citation = services.citation_create_from_quote(
                document=document, page_number=page_number, quote=quote, actor=None, note=note
            )
        else:
            citation = services.citation_create(
                document=document,
                page_number=page_number,
                start=start,
                end=end,
                actor=None,
                note=note,
            )
    emit(
        _citation_json(citation),
        as_json,
        lambda: (
            f"citaat {citation.pk}: {document.title}, p. {page_number}, tekens "
            f"{citation.start}–{citation.end}: “{citation.quote}”"
        ),
    )


@click.command("page")
@click.option("--dossier", "dossier_id", required=True, type=int, help="Dossier id.")
@click.option("--document", "document_id", required=True, type=int, help="Document id.")
@click.option("--page", "page_number", default=1, show_default=True, help="Page number.")
@json_option
def page(dossier_id: int, document_id: int, page_number: int, as_json: bool) -> None:
    """Print a page's text with its cited passages marked «…»[id], and its citations."""
    _dossier, document = _document(dossier_id, document_id)
    from kansenaudit.web.evidence import selectors

    # No user: a citation held for a blind assessment is not shown (as in the judgements export).
    found, citations = selectors.page_view(document, page_number, viewer=None)
    if found is None:
        raise click.ClickException(
            f"pagina {page_number} bestaat niet (het document heeft {document.page_count} pagina's)"
        )
    payload = {
        "document_id": document.pk,
        "title": document.title,
        "page": page_number,
        "pages": document.page_count,
        "text": found.text,
        "citations": [_citation_json(c) for c in citations],
    }
    emit(payload, as_json, lambda: _marked_page(document, page_number, found.text, citations))


def _marked_page(document: object, number: int, text: str, citations: list) -> str:
    """The page text with each valid or moved citation wrapped in «…»[id] (highlighted on a
    terminal); overlapping citations are marked where the earlier one ends."""
    pieces, at = [], 0
    for citation in citations:
        if citation.state == "gewijzigd" or citation.start < at:
            continue  # text changed: no longer at a known place; overlaps: listed below
        pieces.append(text[at : citation.start])
        passage = click.style(text[citation.start : citation.end], reverse=True)
        pieces.append(f"«{passage}»[{citation.pk}]")
        at = citation.end
    pieces.append(text[at:])
    lines = [f"{document.title} — pagina {number} van {document.page_count}", "", "".join(pieces)]
    if citations:
        lines += ["", "Citaten:"]
        lines += [
            f"  [{c.pk}] tekens {c.start}–{c.end} ({c.get_state_display()}): “{c.quote}”"
            for c in citations
        ]
    return "\n".join(lines)


@click.command("terms")
@click.option("--dossier", "dossier_id", required=True, type=int, help="Dossier id.")
@click.option(
    "--term", "chosen", multiple=True, help="A term (repeatable); default: the dossier's terms."
)
@click.option("--kwic", is_flag=True, help="Also print every occurrence in context.")
@json_option
def terms(dossier_id: int, chosen: tuple[str, ...], kwic: bool, as_json: bool) -> None:
    """How often the dossier's documents use each term, per year (a bar chart) and per issuer.

    The default terms are the dossier's followed terms (kansengelijkheid, gelijke kansen, …);
    --kwic adds the keyword-in-context lines with document, page and character offsets.
    """
    setup_django()
    require_migrated()
    dossier = operator_dossier_or_fail(dossier_id)
    from kansenaudit.web.evidence import search, selectors, services

    if chosen:
        wanted = list(dict.fromkeys(" ".join(t.split()).lower() for t in chosen if t.strip()))
    else:
        services.terms_ensure_defaults(dossier)
        wanted = [t.term for t in selectors.terms_for_dossier(dossier)]
    try:
        usage = search.term_usage(dossier, wanted)
        occurrences = search.term_occurrences(dossier, wanted) if kwic else []
    except search.SearchFailed as exc:  # logged with its cause; on stderr, exit 1, never "0 keer"
        raise click.ClickException(str(exc)) from exc
    payload = {
        "dossier": dossier_id,
        "terms": wanted,
        "usage": usage,
        "occurrences": [vars(o) for o in occurrences],
    }
    emit(payload, as_json, lambda: _term_chart(wanted, usage, occurrences))


def _term_chart(wanted: list[str], usage: list[dict], occurrences: list) -> str:
    from kansenaudit.web.evidence.selectors import usage_per_year_and_issuer

    per_year, per_issuer = usage_per_year_and_issuer(usage)
    most = max((n for years in per_year.values() for n in years.values()), default=0)
    lines = []
    for term in wanted:
        total = sum(per_year[term].values())
        lines.append(f"{term}: {total} keer")
        for year in sorted(per_year[term], key=lambda y: (y is None, y or 0)):
            n = per_year[term][year]
            bar = "█" * max(1, round(BAR_WIDTH * n / most)) if most else ""
            lines.append(f"  {year or 'zonder datum':>12} {bar} {n}")
        if per_issuer[term]:
            issuers = ", ".join(
                f"{k or 'onbekend'} {v}" for k, v in sorted(per_issuer[term].items())
            )
            lines.append(f"  per afzender: {issuers}")
    for o in occurrences:
        lines.append(
            f"{o.term} | doc {o.document_id} p. {o.page_number} [{o.start}–{o.end}]: "
            f"…{o.context_before}[{o.match}]{o.context_after}…"
        )
    return "\n".join(lines)
