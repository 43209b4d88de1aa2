"""Pseudonymisation: the labelled fictional transcripts, the register, the allow-list, offsets.

deduce takes several seconds to start; it is started once per test process and the labelled
set is pseudonymised once per module.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kansenaudit.fieldwork.labelled import read_labelled, score
from kansenaudit.fieldwork.pseudonymise import (
    KINDS,
    AllowList,
    PersonRegister,
    Replacement,
    apply_replacements,
    elfproef,
    pseudonymise,
)
from kansenaudit.fieldwork.transcripts import parse_transcript

LABELLED = Path(__file__).resolve().parents[1] / "data" / "fieldwork" / "labelled"


def allow_terms() -> list[str]:
    raw = (LABELLED / "allow.txt").read_text(encoding="utf-8")
    return [line.strip() for line in raw.splitlines() if line.strip() and not line.startswith("#")]


@pytest.fixture(scope="module")
def labelled_results():
    allow = AllowList(allow_terms())
    out = {}
    for title, folder in (
        ("development", LABELLED),
        ("holdout", LABELLED / "holdout"),
        ("cases", LABELLED / "cases"),
    ):
        register = PersonRegister()
        items = []
        for path in sorted(folder.glob("*.txt")):
            if path.name == "allow.txt":
                continue
            labelled = read_labelled(path.read_text(encoding="utf-8"), path.name)
            parsed = parse_transcript(labelled.text.encode(), path.name)
            assert parsed.text == labelled.text
            speakers = {turn.speaker: "" for turn in parsed.turns if turn.speaker}
            items.append(
                (
                    labelled,
                    pseudonymise(labelled.text, register=register, allow=allow, speakers=speakers),
                )
            )
        out[title] = (items, score(items), register)
    return out


@pytest.mark.parametrize("title", ["development", "holdout", "cases"])
def test_recall_goal_and_context_kept(labelled_results, title):
    # Every labelled detail is found and nothing else is replaced, on all three sets (the goal
    # of the issue is recall >= 95 %; these sets are at 100 % and must stay there).
    _, result, _ = labelled_results[title]
    assert result.recall() == 1.0, result.missed
    assert result.context_kept_share() == 1.0, result.spurious
    assert result.precision() == 1.0, result.spurious
    for kind in ("person", "phone", "email", "id_number", "postcode"):
        if result.labelled.get(kind):
            assert result.recall(kind) >= 0.95, (kind, result.missed)


def test_no_original_survives_in_the_text(labelled_results):
    for items, _, _ in labelled_results.values():
        for labelled, done in items:
            for span in labelled.spans:
                if span.kind not in ("context", "age"):  # "9" also occurs in "9 april"
                    original = labelled.text[span.start : span.end]
                    # A detail may occur as part of a longer word; whole-word leaks are the risk.
                    assert f" {original} " not in f" {done.text} ", (labelled.name, original)


def test_replacements_point_into_the_original(labelled_results):
    for items, _, _ in labelled_results.values():
        for labelled, done in items:
            previous = 0
            for item in done.replacements:
                assert labelled.text[item.start : item.end] == item.original
                assert item.start >= previous
                assert item.kind in KINDS
                previous = item.end
            assert apply_replacements(labelled.text, done.replacements) == done


def test_same_person_same_pseudonym_across_transcripts(labelled_results):
    items, _, register = labelled_results["development"]
    # "Marieke de Boer" is mentioned in two interviews, as is "Stichting Geldzorg Oost".
    found = {}
    for _labelled, done in items:
        for item in done.replacements:
            found.setdefault(item.original, set()).add(item.pseudonym)
    assert len(found["Marieke de Boer"]) == 1
    assert found["Marieke"] == found["Marieke de Boer"]
    assert len(found["Stichting Geldzorg Oost"]) == 1
    assert found["Jacobs"]
    assert len(found["Jacobs"]) == 1
    again = PersonRegister.from_dict(register.to_dict())
    assert again.pseudonym_for("person", "Marieke de Boer") == next(iter(found["Marieke de Boer"]))


def test_register_name_variants_and_groups():
    register = PersonRegister()
    assert register.pseudonym_for("person", "Jan Jansen", group="resident") == "[Bewoner 1]"
    assert register.pseudonym_for("person", "meneer Jansen") == "[Bewoner 1]"
    assert register.pseudonym_for("person", "J. Jansen") == "[Bewoner 1]"
    assert register.pseudonym_for("person", "Jansen", group="civil_servant") == "[Bewoner 1]"
    assert (
        register.pseudonym_for("person", "Els de Vries", group="civil_servant") == "[Ambtenaar 1]"
    )
    assert register.pseudonym_for("person", "Piet", group="partner") == "[Partner 1]"
    assert register.pseudonym_for("person", "Onbekend") == "[Persoon 1]"
    assert register.pseudonym_for("institution", "basisschool De Klimop") == "[School 1]"
    assert register.pseudonym_for("institution", "Basisschool de Klimop") == "[School 1]"
    assert register.pseudonym_for("institution", "Stichting Kansrijk") == "[Instelling 1]"
    assert register.pseudonym_for("phone", "06-12345678") == "[Telefoon 1]"
    assert register.pseudonym_for("phone", "06 1234 5678") == "[Telefoon 1]"
    # A later, fuller name joins the person seen before under a shorter name.
    register.pseudonym_for("person", "Koster", group="partner")
    assert register.pseudonym_for("person", "Willem Koster") == "[Partner 2]"
    again = PersonRegister.from_dict(register.to_dict())
    assert again.to_dict() == register.to_dict()
    assert again.pseudonym_for("person", "Anna") == "[Persoon 2]"  # numbering continues
    with pytest.raises(ValueError, match="unknown kind"):
        register.pseudonym_for("shoe_size", "42")


def test_speaker_label_names_and_groups():
    text = (
        "I: Dag Fatima.\nFatima el Amrani: Dag. Ik werk met Els de Vries.\nEls de Vries: Klopt.\n"
    )
    register = PersonRegister()
    done = pseudonymise(
        text,
        register=register,
        allow=AllowList([]),
        speakers={
            "I": "interviewer",
            "Fatima el Amrani": "resident",
            "Els de Vries": "civil_servant",
        },
    )
    assert done.text.startswith("I: Dag [Bewoner 1].\n[Bewoner 1]: Dag.")
    assert "[Ambtenaar 1]: Klopt." in done.text
    assert "Fatima" not in done.text
    assert "Vries" not in done.text


def test_allow_list_keeps_context_but_not_inside_a_name():
    allow = AllowList(["Oost", "Directie Onderwijs", "Schoolmaatschappelijk werk", "Voorbeeldstad"])
    text = (
        "Ik woon in Oost en werk met de Directie Onderwijs aan Schoolmaatschappelijk werk. "
        "Mijn adres is Kerkstraat 4, 1091 AB Voorbeeldstad. Ik werk bij Stichting Geldzorg Oost."
    )
    done = pseudonymise(text, register=PersonRegister(), allow=allow)
    for kept in ("in Oost", "Directie Onderwijs", "Schoolmaatschappelijk werk", "Voorbeeldstad"):
        assert kept in done.text
    assert "Geldzorg" not in done.text
    assert "Kerkstraat" not in done.text
    assert "1091" not in done.text
    assert "oost" in allow
    assert "OOST " in allow
    assert "West" not in allow


def test_numbers_dates_and_ages_in_context_stay():
    text = (
        "In 2019 was de nulmeting. Het budget is 4,2 miljoen euro, 20 procent meer. "
        "Kinderen van 4 tot 12 jaar zijn de doelgroep; het gesprek was op 14 maart 2026."
    )
    done = pseudonymise(text, register=PersonRegister(), allow=AllowList([]))
    assert done.text == text


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("Mijn BSN is 111.222.333.", "id_number", "111.222.333"),
        ("bel 020-555 1234 of", "phone", "020-555 1234"),
        ("bel +31 6 12345678 of", "phone", "+31 6 12345678"),
        ("mail naar a.b-c@voorbeeld.nl.", "email", "a.b-c@voorbeeld.nl"),
        ("zie https://voorbeeld.nl/x?y=1.", "url", "https://voorbeeld.nl/x?y=1"),
        ("postcode 1234AB hier", "postcode", "1234AB"),
        ("geboortedatum: 01-02-1990", "birth_date", "01-02-1990"),
        ("ze is 7 jaar oud", "age", "7"),
        ("een 12-jarige jongen", "age", "12"),
    ],
)
def test_patterns(text, kind, value):
    done = pseudonymise(text, register=PersonRegister(), allow=AllowList([]))
    assert any(item.kind == kind and item.original == value for item in done.replacements), done


def test_nine_digits_failing_the_eleven_test_are_no_bsn():
    done = pseudonymise(
        "Mijn BSN is 111222333 en het dossiernummer is 123456789.",
        register=PersonRegister(),
        allow=AllowList([]),
    )
    # A file number identifies too (deduce's "id"), but it is not called a BSN.
    assert done.text == "Mijn BSN is [BSN 1] en het dossiernummer is [Nummer 1]."
    assert elfproef("111222333")
    assert not elfproef("123456789")
    assert not elfproef("000000000")


def test_map_offset():
    text = "Jan woont hier. Daarna."
    done = apply_replacements(text, [Replacement(0, 3, "person", "Jan", "[Persoon 1]")])
    assert done.text == "[Persoon 1] woont hier. Daarna."
    assert done.map_offset(0) == 0
    assert done.map_offset(3) == len("[Persoon 1]")
    assert done.map_offset(1) == 0  # inside a replacement: its start
    assert done.text[done.map_offset(16) :] == "Daarna."
    assert done.map_offset(len(text)) == len(done.text)


def test_apply_replacements_refuses_stale_and_drops_overlaps():
    text = "Jan Jansen"
    with pytest.raises(ValueError, match="does not match"):
        apply_replacements(text, [Replacement(0, 3, "person", "Piet", "[Persoon 1]")])
    with pytest.raises(ValueError, match="outside the text"):
        apply_replacements(text, [Replacement(5, 50, "person", "x", "[Persoon 1]")])
    done = apply_replacements(
        text,
        [
            Replacement(4, 10, "person", "Jansen", "[Persoon 2]"),
            Replacement(0, 10, "person", "Jan Jansen", "[Persoon 1]"),
        ],
    )
    assert done.text == "[Persoon 1]"
    assert len(done.replacements) == 1
    # Undo: re-apply without the replacement.
    assert apply_replacements(text, []).text == text


def test_a_word_before_a_name_is_no_part_of_it(labelled_results):
    """deduce reads "Volgens Marieke" and "Collega Vera" as names; the register must hold
    only the name, or every later "volgens" would be replaced (labelled set "cases")."""
    items, _, register = labelled_results["cases"]
    originals = {r.original for _, done in items for r in done.replacements}
    assert {"Marieke", "Mohamed", "Vera", "Thijs", "Ruud", "Jurgen"} <= originals
    assert not any(
        o.split()[0] in {"Volgens", "Zei", "Collega", "Wijkcoach", "Zelfs"} for o in originals
    )
    assert "Volgens" not in register.known_names()
    _labelled, done = items[0]
    assert "volgens mij" in done.text  # the word itself stays everywhere else
