# SPDX-License-Identifier: EUPL-1.2
"""The fieldwork commands that need no database (pseudonymise a file without storing it)."""

from __future__ import annotations

from pathlib import Path

import click

from kansenaudit.cli.output import emit, json_option

TOOL_COMMANDS: list[click.Command] = []


@click.command("pseudonymise")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--allow",
    "allow_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A text file of terms to keep (area names, directies, measures), one per line.",
)
@json_option
def pseudonymise_command(file: Path, allow_file: Path | None, as_json: bool) -> None:
    """Pseudonymise a transcript FILE and print the result; nothing is stored.

    The same reading (TXT, Markdown, DOCX, ODT, SRT, WebVTT) and pseudonymisation as on
    upload. The output holds the pseudonymised text and, per replacement, its place, kind and
    pseudonym, never the original words. Speaker labels that are names are pseudonymised too.
    """
    from kansenaudit.fieldwork.pseudonymise import AllowList, PersonRegister, pseudonymise
    from kansenaudit.fieldwork.transcripts import TranscriptError, parse_transcript

    data = file.read_bytes()
    try:
        parsed = parse_transcript(data, file.name)
    except TranscriptError as exc:
        raise click.ClickException(str(exc)) from exc
    terms: list[str] = []
    if allow_file is not None:
        try:
            raw = allow_file.read_text(encoding="utf-8-sig")
        except (UnicodeDecodeError, OSError) as exc:
            raise click.ClickException(
                f"The allow-list '{allow_file.name}' is not UTF-8 text."
            ) from exc
        terms = [
            line.strip() for line in raw.splitlines() if line.strip() and not line.startswith("#")
        ]
    speakers = {turn.speaker: "" for turn in parsed.turns if turn.speaker}
    result = pseudonymise(
        parsed.text, register=PersonRegister(), allow=AllowList(terms), speakers=speakers
    )
    data_out = {
        "text": result.text,
        "replacements": [
            {"start": r.start, "end": r.end, "kind": r.kind, "pseudonym": r.pseudonym}
            for r in result.replacements
        ],
        "warnings": list(parsed.warnings),
    }
    for warning in parsed.warnings:
        click.echo(f"Warning: {warning}", err=True)
    emit(data_out, as_json, result.text)


TOOL_COMMANDS.append(pseudonymise_command)
