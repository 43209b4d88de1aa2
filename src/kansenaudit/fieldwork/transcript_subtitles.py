# SPDX-License-Identifier: EUPL-1.2
"""Subtitle files (SRT and WebVTT) from transcription services: the cues become lines, their
speakers (``<v Name>``, ``[Name]``, ``Name:``) speaker labels.
"""

from __future__ import annotations

import re

from kansenaudit.fieldwork.transcript_model import TranscriptError
from kansenaudit.fieldwork.transcript_turns import NOT_SPEAKERS, SPEAKER_NAME

# --- subtitles --------------------------------------------------------------------------------

_CUE_TIMING = re.compile(r"^\s*(?:\d{1,3}:)?\d{1,2}:\d{2}[,.]\d{1,3}\s*-->")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>")
_TAG = re.compile(r"</?[^>\n]{0,80}>")
_CUE_SPEAKER = re.compile(r"^\s*-?\s*(?:\[(?P<a>[^\]\n]{1,40})\]|(?P<b>" + SPEAKER_NAME + r"):)\s*")


def read_subtitles(text: str, file_name: str, *, vtt: bool, warnings: list[str]) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = re.split(r"\n[ \t]*\n", text.strip())
    if vtt:
        if not blocks or not blocks[0].lstrip("\ufeff").startswith("WEBVTT"):
            raise TranscriptError("corrupt", file_name, detail="no WEBVTT header")
        blocks = blocks[1:]
    cues: list[tuple[str, str]] = []
    for block in blocks:
        lines = block.split("\n")
        timing = next((i for i, line in enumerate(lines) if _CUE_TIMING.match(line)), None)
        if timing is None:
            continue  # VTT NOTE, STYLE and REGION blocks, SRT garbage between cues
        payload = " ".join(line.strip() for line in lines[timing + 1 :] if line.strip())
        speaker = ""
        voice = _VOICE.search(payload)
        if voice:
            speaker = voice.group(1).strip()
        payload = _TAG.sub("", payload).strip()
        if not speaker:
            match = _CUE_SPEAKER.match(payload)
            if match:
                name = (match.group("a") or match.group("b") or "").strip()
                if name and name.lower() not in NOT_SPEAKERS and (name[0].isupper()):
                    speaker = name
                    payload = payload[match.end() :]
        payload = payload.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
        payload = payload.replace("&nbsp;", " ")
        if payload.strip():
            cues.append((speaker, payload.strip()))
    if not cues:
        raise TranscriptError("empty", file_name)
    if not any(speaker for speaker, _ in cues):
        return "\n".join(payload for _, payload in cues)
    merged: list[tuple[str, list[str]]] = []
    unlabelled = False
    for speaker, payload in cues:
        if not speaker:
            unlabelled = True
            if merged:
                merged[-1][1].append(payload)
                continue
            speaker = "?"
        if merged and merged[-1][0] == speaker:
            merged[-1][1].append(payload)
        else:
            merged.append((speaker, [payload]))
    if unlabelled:
        warnings.append("srt_unlabelled_cues")
    # Every speaker occurs at least... once; lines carry their label, so the finder will accept
    # the labels because they start every line.
    return "\n".join(f"{speaker}: {' '.join(parts)}" for speaker, parts in merged)
