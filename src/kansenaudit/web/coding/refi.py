# SPDX-License-Identifier: EUPL-1.2
"""REFI-QDA exchange of a dossier's coding (ATLAS.ti, NVivo, MAXQDA, QualCoder, Taguette).

Export: the transcripts as text sources (their pseudonymised canonical text, same offsets;
the words of participants who withdrew consent blanked out character for character, so that
every offset stays the same), the active codes with their hierarchy and colours, the coded
segments as selections with their coder as user, and the memos as notes. The blind part of
the double-coding sample is left out (its sources without selections), as are withdrawn
segments and their memos. GUIDs are stable: an imported object keeps its own GUID, every other
one gets ``guid_for(kind, "<dossier>:<id>")``.

Import (all or nothing): codes by GUID (or by name at the same place), selections by GUID,
notes by GUID; what exists is left as it is, so a re-import of our own export changes nothing.
Sources we do not know become transcripts of a session "Geïmporteerd" through the same
pseudonymisation and review as an upload (``fieldwork.imported_sources``); the offsets of their
coded selections are mapped onto the pseudonymised text, so that they cover the same words.
Everything not imported is reported by element.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kansenaudit.fieldwork.refi import (
    ImportIssue,
    QdaCode,
    QdaNote,
    QdaProject,
    QdaSelection,
    QdaSource,
    QdaUser,
    RefiError,
    guid_for,
    read_qdc,
    read_qdpx,
    write_qdc,
    write_qdpx,
)
from kansenaudit.web.coding import selectors
from kansenaudit.web.coding.models import Code, CodeEvent, Memo, Segment
from kansenaudit.web.coding.services import CodingError, Log, require
from kansenaudit.web.fieldwork.imported_sources import transcript_from_text
from kansenaudit.web.fieldwork.models import Session, Transcript
from kansenaudit.web.fieldwork.services import FieldworkError

ORIGIN = "Kansenaudit"
WITHDRAWN_FILL = "[ingetrokken]"
IMPORTED_SUFFIX = ".refi.txt"  # file name of an imported source: "<GUID>.refi.txt"


class RefiImportError(CodingError):
    """A REFI-QDA file that cannot be imported; nothing was stored."""


def _guid(kind: str, obj: Any) -> str:
    own = getattr(obj, "guid", "")
    return own.upper() if own else guid_for(kind, f"{obj.dossier_id}:{obj.pk}")


def _blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` with each span replaced by a filler of the same length."""
    chars = list(text)
    for s, e in spans:
        filler = (WITHDRAWN_FILL + " " * (e - s))[: e - s]
        chars[s:e] = list(filler)
    return "".join(chars)


def _code_tree(dossier: Any) -> list[QdaCode]:
    rows = selectors.codebook_tree(dossier)
    made: dict[int, QdaCode] = {}
    top: list[QdaCode] = []
    for r in rows:
        c = r.code
        q = QdaCode(guid=_guid("code", c), name=c.name, color=c.colour, description=c.definition)
        made[c.pk] = q
        parent = made.get(c.parent_id) if c.parent_id else None
        (parent.children if parent else top).append(q)
    return top


def project(dossier: Any) -> QdaProject:
    """The dossier's coding as a REFI-QDA project (see the module docstring)."""
    result = QdaProject(name=dossier.title, origin=ORIGIN, codes=_code_tree(dossier))
    active = {c.pk for c in selectors.active_codes(dossier)}
    code_guid = {c.pk: _guid("code", c) for c in selectors.active_codes(dossier)}
    withdrawn = selectors.withdrawn_by_transcript(dossier)
    blind = selectors.blind_transcript_ids(dossier)
    users: dict[str, QdaUser] = {}
    source_guid: dict[int, str] = {}
    for t in selectors.transcripts(dossier).order_by("pk"):
        guid = (
            t.file_name.removesuffix(IMPORTED_SUFFIX).upper()
            if t.file_name.endswith(IMPORTED_SUFFIX)
            else _guid("source", t)
        )
        source_guid[t.pk] = guid
        result.sources.append(
            QdaSource(guid=guid, name=t.title, text=_blank(t.text, withdrawn.get(t.pk, [])))
        )
    segment_guid: dict[int, str] = {}
    items = (
        Segment.objects.filter(dossier=dossier, transcript__isnull=False)
        .exclude(transcript_id__in=blind)
        .select_related("coder")
        .prefetch_related("codes")
        .order_by("transcript_id", "start", "end", "pk")
    )
    for s in items:
        if selectors.segment_withdrawn(s, withdrawn):
            continue
        codes = [code_guid[c.pk] for c in s.codes.all() if c.pk in active]
        if not codes:
            continue
        name = s.coder.get_username() if s.coder else (s.coder_label or "onbekend")
        user = users.setdefault(name, QdaUser(guid=guid_for("user", name), name=name))
        guid = _guid("selection", s)
        segment_guid[s.pk] = guid
        result.selections.append(
            QdaSelection(
                guid=guid,
                source_guid=source_guid[s.transcript_id],
                start=s.start,
                end=s.end,
                code_guids=codes,
                user_guid=user.guid,
                created=s.created_at,
            )
        )
    result.users = sorted(users.values(), key=lambda u: u.name)
    for m in Memo.objects.filter(dossier=dossier).order_by("pk"):
        target = (
            segment_guid.get(m.segment_id)
            if m.segment_id
            else code_guid.get(m.code_id)
            if m.code_id
            else source_guid.get(m.transcript_id)
        )
        if target is None:
            continue  # a memo on a blind or withdrawn segment, or on a retired code
        result.notes.append(
            QdaNote(
                guid=_guid("note", m),
                name=f"Memo {m.author_label}".strip(),
                text=m.text,
                target_guids=[target],
            )
        )
    return result


def export_qdpx(dossier: Any, *, actor: Any) -> bytes:
    data = write_qdpx(project(dossier))
    _log_export(dossier, actor, "project.qdpx")
    return data


def export_qdc(dossier: Any, *, actor: Any) -> bytes:
    codes = _code_tree(dossier)
    if not codes:
        raise CodingError(_("The codebook is empty: there is nothing to export"))
    data = write_qdc(codes, origin=ORIGIN)
    _log_export(dossier, actor, "codeboek.qdc")
    return data


def _log_export(dossier: Any, actor: Any, what: str) -> None:
    log = Log(actor)
    log.audit(
        action="coding.exported",
        dossier=dossier,
        summary=f"Export REFI-QDA: {what}",
        after={"file": what},
    )
    log.flush()


# --- import ---------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    codes_created: int = 0
    codes_existing: int = 0
    sources_created: int = 0
    sources_existing: int = 0
    selections_created: int = 0
    selections_existing: int = 0
    notes_created: int = 0
    notes_existing: int = 0
    issues: list[dict[str, str]] = field(default_factory=list)

    def issue(self, element: str, message: str) -> None:
        self.issues.append({"element": element, "message": message})

    @property
    def changed(self) -> bool:
        return bool(
            self.codes_created + self.sources_created + self.selections_created + self.notes_created
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "codes": {"created": self.codes_created, "existing": self.codes_existing},
            "sources": {"created": self.sources_created, "existing": self.sources_existing},
            "selections": {
                "created": self.selections_created,
                "existing": self.selections_existing,
            },
            "notes": {"created": self.notes_created, "existing": self.notes_existing},
            "issues": self.issues,
        }


def _read(reader: Any, data: bytes, file_name: str) -> Any:
    try:
        return reader(data, file_name=file_name)
    except RefiError as exc:
        raise RefiImportError(
            _("%(file)s cannot be imported%(where)s: %(reason)s"),
            params={
                "file": exc.file_name,
                "where": f" (element {exc.element})" if exc.element else "",
                "reason": exc.reason,
            },
        ) from exc


class _Importer:
    def __init__(self, dossier: Any, actor: Any, report: ImportReport, file_name: str) -> None:
        self.dossier = dossier
        self.actor = actor
        self.report = report
        self.file_name = file_name
        # per newly imported source: the length of its text as the tool had it, and the map
        # from offsets in that text to offsets in the pseudonymised transcript
        self.offsets: dict[str, tuple[int, Callable[[int], int]]] = {}
        self.log = Log(actor)
        codes = list(Code.objects.filter(dossier=dossier))
        self.codes: dict[str, Code] = {}
        for c in codes:
            self.codes[guid_for("code", f"{dossier.pk}:{c.pk}")] = c
            if c.guid:
                self.codes[c.guid.upper()] = c

    def _active(self, code: Code) -> Code:
        while code.merged_into_id is not None:
            code = Code.objects.get(pk=code.merged_into_id)
        return code

    def code_tree(self, codes: list[QdaCode], parent: Code | None = None) -> None:
        for q in codes:
            found = self.codes.get(q.guid.upper())
            if found is None:
                found = Code.objects.filter(
                    dossier=self.dossier,
                    parent=parent,
                    merged_into__isnull=True,
                    name__iexact=q.name.strip()[:200],
                ).first()
                if found is not None:
                    self.report.issue(
                        f"Code {q.name}", "joined with the existing code of the same name"
                    )
            if found is not None:
                self.report.codes_existing += 1
                found = self._active(found)
            else:
                colour = (q.color or "#2f6fb0").lower()
                if len(colour) == 4:
                    colour = "#" + "".join(ch * 2 for ch in colour[1:])
                found = Code.objects.create(
                    dossier=self.dossier,
                    parent=parent,
                    name=(q.name.strip() or "naamloos")[:200],
                    definition=q.description,
                    colour=colour,
                    origin=Code.Origin.IMPORTED,
                    guid=q.guid.upper(),
                )
                self.log.code_event(
                    found,
                    action=CodeEvent.Action.IMPORTED,
                    summary=f"Code {found.name} geïmporteerd",
                    after={"name": found.name, "parent": found.parent_id, "guid": found.guid},
                )
                self.report.codes_created += 1
            self.codes[q.guid.upper()] = found
            self.code_tree(q.children, found)

    def sources(self, project: QdaProject) -> dict[str, Transcript]:
        """The project's sources as transcripts: known ones by GUID, new ones pseudonymised and
        stored for review like an upload. ``self.offsets`` keeps, per new source, the map from
        the tool's offsets to ours."""
        known: dict[str, Transcript] = {}
        for t in selectors.transcripts(self.dossier):
            known[guid_for("source", f"{self.dossier.pk}:{t.pk}")] = t
            if t.file_name.endswith(IMPORTED_SUFFIX):  # imported before: keeps its GUID
                known[t.file_name.removesuffix(IMPORTED_SUFFIX).upper()] = t
        result: dict[str, Transcript] = {}
        session = None
        for source in project.sources:
            guid = source.guid.upper()
            if guid in known:
                result[guid] = known[guid]
                self.report.sources_existing += 1
                continue
            if not source.text.strip():
                self.report.issue(f"TextSource {source.name or guid}", "not imported: no text")
                continue
            if session is None:
                session = Session.objects.create(
                    dossier=self.dossier,
                    kind=Session.Kind.INTERVIEW,
                    title=f"Geïmporteerd: {project.name or 'REFI-QDA'}"[:200],
                    status=Session.Status.TRANSCRIBED,
                )
            try:
                transcript, map_offset = transcript_from_text(
                    session=session,
                    actor=self.actor,
                    text=source.text,
                    title=source.name or guid,
                    file_name=f"{guid}{IMPORTED_SUFFIX}",
                )
            except FieldworkError as exc:
                raise RefiImportError(
                    _("%(file)s cannot be imported (element TextSource %(source)s): %(reason)s"),
                    params={
                        "file": self.file_name,
                        "source": source.name or guid,
                        "reason": str(exc),
                    },
                ) from exc
            result[guid] = transcript
            self.offsets[guid] = (len(source.text), map_offset)
            self.report.sources_created += 1
        return result

    def selections(self, project: QdaProject, sources: dict[str, Transcript]) -> dict[str, Any]:
        targets: dict[str, Any] = {}
        existing: dict[str, Segment] = {}
        for s in Segment.objects.filter(dossier=self.dossier):
            existing[guid_for("selection", f"{self.dossier.pk}:{s.pk}")] = s
            if s.guid:
                existing[s.guid.upper()] = s
        users = {u.name: u for u in project.users}
        members = {u.get_username(): u for u in selectors.coder_choices(self.dossier)}
        blind = selectors.blind_transcript_ids(self.dossier)
        withdrawn = selectors.withdrawn_by_transcript(self.dossier)
        names = {u.guid.upper(): u.name for u in users.values()}
        through = Segment.codes.through
        links = []
        for sel in project.selections:
            guid = sel.guid.upper()
            if guid in existing:
                self.report.selections_existing += 1
                targets[guid] = existing[guid]
                continue
            where = f"PlainTextSelection {guid}"
            transcript = sources.get(sel.source_guid.upper())
            if transcript is None:
                self.report.issue(where, "its source was not imported")
                continue
            if transcript.pk in blind:
                self.report.issue(where, "its transcript is being double coded blind")
                continue
            length, map_offset = self.offsets.get(
                sel.source_guid.upper(), (len(transcript.text), _same)
            )
            if not 0 <= sel.start < sel.end <= length:
                self.report.issue(where, "it lies outside the text of its source")
                continue
            # an offset inside a replaced name maps past the pseudonym's end at worst: clamp
            start, end = map_offset(sel.start), min(map_offset(sel.end), len(transcript.text))
            if start >= end:
                self.report.issue(where, "it lies outside the text of its source")
                continue
            if selectors.overlaps(withdrawn.get(transcript.pk, []), start, end):
                self.report.issue(where, "it holds words of a participant who withdrew consent")
                continue
            codes = [self.codes[g.upper()] for g in sel.code_guids if g.upper() in self.codes]
            if len(codes) < len(sel.code_guids):
                self.report.issue(where, "a code it refers to is not in the code book")
            if not codes:
                continue
            name = names.get((sel.user_guid or "").upper(), "")
            segment = Segment.objects.create(
                dossier=self.dossier,
                transcript=transcript,
                start=start,
                end=end,
                coder=members.get(name),
                coder_label=(name or "geïmporteerd")[:150],
                guid=guid,
            )
            links += [
                through(segment_id=segment.pk, code_id=self._active(c).pk)
                for c in {c.pk: c for c in codes}.values()
            ]
            targets[guid] = segment
            self.report.selections_created += 1
        through.objects.bulk_create(links, ignore_conflicts=True)
        return targets

    def notes(self, notes: list[QdaNote], targets: dict[str, Any]) -> None:
        existing = {
            guid_for("note", f"{self.dossier.pk}:{m.pk}")
            for m in Memo.objects.filter(dossier=self.dossier)
        }
        existing |= {
            g.upper()
            for g in Memo.objects.filter(dossier=self.dossier)
            .exclude(guid="")
            .values_list("guid", flat=True)
        }
        for note in notes:
            guid = note.guid.upper()
            if guid in existing:
                self.report.notes_existing += 1
                continue
            target = next(
                (
                    targets.get(g.upper()) or self.codes.get(g.upper())
                    for g in note.target_guids
                    if targets.get(g.upper()) or self.codes.get(g.upper())
                ),
                None,
            )
            if target is None:
                self.report.issue(
                    f"Note {note.name or guid}",
                    "it is not about a code, source or selection we imported",
                )
                continue
            if len(note.target_guids) > 1:
                self.report.issue(f"Note {note.name or guid}", "kept on its first target only")
            kind = {Segment: "segment", Code: "code", Transcript: "transcript"}[type(target)]
            Memo.objects.create(
                dossier=self.dossier,
                text=note.text or note.name,
                author=self.actor if getattr(self.actor, "pk", None) else None,
                author_label=f"geïmporteerd: {note.name}"[:150],
                guid=guid,
                **{kind: self._active(target) if kind == "code" else target},
            )
            self.report.notes_created += 1


def _same(offset: int) -> int:
    return offset


def _issues(report: ImportReport, issues: list[ImportIssue]) -> None:
    for issue in issues:
        report.issue(issue.element, issue.message)


def import_qdpx(*, dossier: Any, actor: Any, data: bytes, file_name: str) -> ImportReport:
    """Import a REFI-QDA project into ``dossier`` (all or nothing; see the module docstring)."""
    require(dossier, actor)
    qda, issues = _read(read_qdpx, data, file_name)
    report = ImportReport()
    _issues(report, issues)
    with transaction.atomic():
        importer = _Importer(dossier, actor, report, file_name)
        importer.code_tree(qda.codes)
        transcripts = importer.sources(qda)
        targets = importer.selections(qda, transcripts)
        for guid, t in transcripts.items():
            targets.setdefault(guid, t)
        importer.notes(qda.notes, targets)
        _log_import(importer, file_name, report)
    return report


def import_qdc(*, dossier: Any, actor: Any, data: bytes, file_name: str) -> ImportReport:
    """Import a REFI-QDA codebook into ``dossier`` (all or nothing)."""
    require(dossier, actor)
    codes, issues = _read(read_qdc, data, file_name)
    report = ImportReport()
    _issues(report, issues)
    with transaction.atomic():
        importer = _Importer(dossier, actor, report, file_name)
        importer.code_tree(codes)
        _log_import(importer, file_name, report)
    return report


def _log_import(importer: _Importer, file_name: str, report: ImportReport) -> None:
    importer.log.audit(
        action="coding.refi_imported",
        dossier=importer.dossier,
        summary=f"REFI-QDA geïmporteerd: {file_name}"[:500],
        after={k: v for k, v in report.as_dict().items() if k != "issues"}
        | {"issues": len(report.issues)},
    )
    importer.log.flush()
