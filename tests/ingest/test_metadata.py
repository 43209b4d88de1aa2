"""Metadata heuristics: title, Dutch dates, document type, issuer, language."""

from __future__ import annotations

import datetime as dt

import pytest

from kansenaudit.ingest.metadata import (
    detect_language,
    find_dutch_date,
    guess_doc_type,
    guess_issuer,
    guess_title,
    normalise_language,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Amsterdam, 12 november 2021", dt.date(2021, 11, 12)),
        ("Datum 1 mrt. 2011", dt.date(2011, 3, 1)),
        ("Den Haag, 12-11-2021", dt.date(2021, 11, 12)),
        ("12/11/2021 vergadering", dt.date(2021, 11, 12)),
        ("versie 2021-11-12", dt.date(2021, 11, 12)),
        ("Wet van 21 juli 1890, tot regeling", dt.date(1890, 7, 21)),
        ("eerst 3 januari 2020, later 2019-05-01", dt.date(2020, 1, 3)),
        ("later 2019-05-01, eerst? nee: 3 januari 2020", dt.date(2019, 5, 1)),
        ("31 februari 2020 bestaat niet; 30-13-2020 ook niet", None),
        ("geen datum", None),
    ],
)
def test_find_dutch_date(text, expected):
    assert find_dutch_date(text) == expected


@pytest.mark.parametrize(
    ("title", "page", "expected"),
    [
        ("Coalitieakkoord 2022-2026", "", "coalitieakkoord"),
        ("Motie van de leden X en Y", "", "motie"),
        (None, "Amendement van het lid Z", "amendement"),
        (None, "Besluitenlijst van de raadsvergadering; motie 12 aangenomen", "besluitenlijst"),
        (None, "Jaarrekening 2022", "jaarverslag"),
        (None, "Begroting 2024", "begroting"),
        (None, "Voortgangsrapportage aanpak Noord", "voortgangsrapportage"),
        (None, "Uitvraag aan de directies", "uitvraag"),
        (None, "Actieplan armoede", "beleidsnota"),
        (None, "Raadsinformatiebrief over de stand van zaken", "brief"),
        ("Brief aan de raad", "", "brief"),
        (None, "Zoals u per brief is meegedeeld", None),  # "brief" alone only counts in a title
        (None, "Niets herkenbaars", None),
    ],
)
def test_guess_doc_type(title, page, expected):
    assert guess_doc_type(title, page) == expected


@pytest.mark.parametrize(
    ("issuer", "page", "expected"),
    [
        ("Tweede Kamer der Staten-Generaal", "", "Tweede Kamer der Staten-Generaal"),
        (None, "Het college van burgemeester en wethouders van Amsterdam", "college van B&W"),
        (None, "Aan de gemeenteraad. Het college van B en W", "gemeenteraad"),
        (None, "Directie Onderwijs", "directie"),
        (None, "Ministerie van Landbouw", "ministerie"),
        (None, "", None),
    ],
)
def test_guess_issuer(issuer, page, expected):
    assert guess_issuer(issuer, page) == expected


def test_guess_title_skips_boilerplate_and_markup():
    assert guess_title("Microsoft Word - 2011 nota.doc", "\n  \n3\nKamerbrief\n") == "Kamerbrief"
    assert guess_title("nota_v2.docx", "Echte titel") == "Echte titel"
    assert guess_title("", "<meta charset='utf-8' />\n##Wet\u00a0op het onderwijs") == (
        "Wet op het onderwijs"
    )
    assert guess_title(None, "") is None
    assert len(guess_title("x" * 1000, "")) == 300


def test_language():
    assert normalise_language("nl-NL") == "nld"
    assert normalise_language("EN") == "eng"
    assert normalise_language("klingon") is None
    assert detect_language(
        ["Het college wil dat de kinderen in de stad een goede kans hebben."]
    ) == ("nld")
    assert detect_language(["The board and the council agreed that it is time for this."]) == "eng"
    assert detect_language(["12 34 56"]) is None
