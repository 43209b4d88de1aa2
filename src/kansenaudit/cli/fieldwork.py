# SPDX-License-Identifier: EUPL-1.2
"""`kansenaudit fieldwork …`: the practice study (deelvraag 3) from the command line.

The group holds the fieldwork commands (selection, transcripts, pseudonymisation) and, from
``cli/fieldwork_coding.py``, those of qualitative coding (agreement, REFI-QDA exchange), and
from ``cli/fieldwork_tools.py`` those that need no database (pseudonymise a file).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kansenaudit.cli.fieldwork_coding import CODING_COMMANDS
from kansenaudit.cli.fieldwork_tools import TOOL_COMMANDS
from kansenaudit.cli.output import emit, json_option, refused_as_click
from kansenaudit.cli.runtime import require_migrated, setup_django

TRANSCRIPT_SUFFIXES = (".docx", ".odt", ".txt", ".md", ".srt", ".vtt")


@click.group()
def fieldwork() -> None:
    """Practice study: measures, sessions, transcripts, coding and REFI-QDA exchange."""


def _dossier(dossier_id: int) -> object:
    from kansenaudit.web.dossiers.selectors import DossierNotFound, operator_dossier

    try:
        return operator_dossier(dossier_id=dossier_id)
    except DossierNotFound as exc:
        raise click.ClickException(f"dossier {dossier_id} bestaat niet") from exc


@fieldwork.command("select")
@click.option("--dossier", "dossier_id", required=True, type=int, help="Dossier id.")
@click.option("--n", "n", default=6, show_default=True, type=click.IntRange(1, 30))
@click.option(
    "--store",
    is_flag=True,
    help="Store the proposal as the dossier's selection (logged); without it nothing changes.",
)
@click.option("--rationale", default="", help="Rationale stored with --store.")
@json_option
def select(dossier_id: int, n: int, store: bool, rationale: str, as_json: bool) -> None:
    """Propose a varied selection of N measures for the practice study (maximum diversity).

    Shows why each measure was chosen and what the set covers and misses, and the selection
    stored so far. Swapping measures (with a reason) is done on the selection page.
    """
    setup_django()
    require_migrated()
    from kansenaudit.web.fieldwork import selectors, services
    from kansenaudit.web.fieldwork.selection import proposal_for

    dossier = _dossier(dossier_id)
    with refused_as_click():
        proposal = proposal_for(dossier, n=n)
        if store:
            services.selection_confirm(
                dossier=dossier,
                actor=None,
                measure_ids=[c.measure_id for c in proposal.choices],
                rationale=rationale,
                n=n,
            )
    stored = [
        {"measure": s.measure.name, "reasons": s.reasons, "swap_reason": s.swap_reason}
        for s in selectors.selected_measures(dossier)
    ]
    data = {
        "dossier": dossier_id,
        "n": n,
        "proposal": [
            {"id": c.measure_id, "measure": c.name, "directie": c.directie, "reasons": c.reasons}
            for c in proposal.choices
        ],
        "covers": proposal.covers,
        "misses": proposal.misses,
        "stored": stored,
    }

    def text() -> str:
        lines = [f"Voorstel ({len(proposal.choices)} maatregelen):"]
        lines += [f"- {c.name}: {'; '.join(c.reasons)}" for c in proposal.choices]
        lines.append("Mist: " + ", ".join(f"{k}: {v}" for k, v in proposal.misses.items() if v))
        if stored:
            lines.append("Vastgelegde selectie: " + ", ".join(s["measure"] for s in stored))
        return "\n".join(lines)

    emit(data, as_json, text)


@fieldwork.command("import-transcripts")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--dossier", "dossier_id", required=True, type=int, help="Dossier id.")
@click.option("--session", "session_id", required=True, type=int, help="Session id.")
@json_option
def import_transcripts(folder: Path, dossier_id: int, session_id: int, as_json: bool) -> None:
    """Import every transcript in FOLDER into a session, pseudonymised on the way in.

    DOCX, ODT, TXT, Markdown, SRT and WebVTT. Each file is stored whole or not at all;
    progress goes to stderr. Exits with 1 when any file was refused.
    """
    setup_django()
    require_migrated()
    from kansenaudit.web.core.errors import ServiceError
    from kansenaudit.web.fieldwork import selectors, transcript_services

    dossier = _dossier(dossier_id)
    session = selectors.session_in_dossier(dossier, session_id)
    if session is None:
        raise click.ClickException(f"sessie {session_id} bestaat niet in dossier {dossier_id}")
    files = sorted(
        p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in TRANSCRIPT_SUFFIXES
    )
    stored, refused = [], []
    for number, path in enumerate(files, start=1):
        click.echo(f"[{number}/{len(files)}] {path.name}", err=True)
        try:
            if path.stat().st_size > transcript_services.MAX_TRANSCRIPT_BYTES:
                raise click.ClickException(f"{path.name}: te groot")
            transcript = transcript_services.transcript_import(
                session=session,
                actor=None,
                data=path.read_bytes(),
                file_name=path.name,
                is_demo=bool(getattr(dossier, "is_demo", False)),
            )
        except (ServiceError, click.ClickException) as exc:
            message = exc.format_message() if isinstance(exc, click.ClickException) else str(exc)
            click.echo(f"  geweigerd: {message}", err=True)
            refused.append({"file": path.name, "error": message})
            continue
        stored.append(
            {"file": path.name, "transcript": transcript.pk, "turns": transcript.turns.count()}
        )
    data = {"dossier": dossier_id, "session": session_id, "stored": stored, "refused": refused}
    emit(
        data,
        as_json,
        lambda: f"{len(stored)} transcript(en) opgeslagen, {len(refused)} geweigerd.",
    )
    if refused:
        sys.exit(1)


for _command in (*CODING_COMMANDS, *TOOL_COMMANDS):
    fieldwork.add_command(_command)
