"""Speaker labels link turns to participants: by pseudonym without regard to case and spaces,
and by the participant's role when exactly one participant has it."""

from __future__ import annotations

import pytest

from kansenaudit.web.fieldwork import services, transcript_services
from kansenaudit.web.fieldwork.transcript_services import participant_matcher


@pytest.fixture
def people(team):
    dossier, pl = team["dossier"], team["users"]["projectleider"]
    session = services.session_save(dossier=dossier, actor=pl, kind="focus_group", title="F")
    other = services.session_save(dossier=dossier, actor=pl, kind="interview", title="G")

    def add(pseudonym, role, sessions):
        return services.participant_save(
            dossier=dossier,
            actor=pl,
            pseudonym=pseudonym,
            stakeholder_group="resident",
            role=role,
            sessions=sessions,
        )

    return {
        **team,
        "session": session,
        "mother": add("Bewoner 1", "moeder", [session]),
        "coach": add("Partner 2", "Wijkcoach", [other]),
        "teacher_a": add("Partner 3", "docent", [session]),
        "teacher_b": add("Partner 4", "docent", [session]),
        "head_here": add("Ambtenaar 1", "teamleider", [session]),
        "head_there": add("Ambtenaar 2", "teamleider", [other]),
    }


def test_labels_match_pseudonyms_and_unambiguous_roles(people):
    match = participant_matcher(people["dossier"], people["session"])
    assert match("Bewoner 1") == people["mother"].pk
    assert match("bewoner 1") == people["mother"].pk
    assert match("  BEWONER   1 ") == people["mother"].pk
    assert match("Moeder") == people["mother"].pk  # the one participant with that role
    assert match("wijkcoach") == people["coach"].pk  # only one in the dossier
    assert match("Docent") is None  # two in this session: ambiguous, linked by hand
    # Two team leaders in the dossier, one of them in this session: that one.
    assert match("Teamleider") == people["head_here"].pk
    assert participant_matcher(people["dossier"])("Teamleider") is None
    assert match("Bewoner 12") is None
    assert match("") is None


def test_an_uploaded_transcript_links_its_turns(people):
    text = (
        "[Fictief testtranscript]\n"
        "BEWONER 1: Ik kwam via de school.\n"
        "Moeder: Dat zei ik al.\n"
        "Docent: Wij zagen het ook.\n"
        "Wijkcoach: En ik belde.\n"
    )
    transcript = transcript_services.transcript_import(
        session=people["session"],
        actor=people["users"]["projectleider"],
        data=text.encode(),
        file_name="focusgroep.txt",
    )
    links = {t.speaker: t.participant_id for t in transcript.turns.all()}
    assert links["BEWONER 1"] == people["mother"].pk
    assert links["Moeder"] == people["mother"].pk
    assert links["Docent"] is None
    assert links["Wijkcoach"] == people["coach"].pk
    # A label that names a participant is no name to hide: it stays in the text.
    assert "Wijkcoach" in transcript.text
    assert "Moeder" in transcript.text
    assert "Docent" in transcript.text  # a role, although two people share it
