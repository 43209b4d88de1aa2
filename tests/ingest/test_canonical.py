"""The canonical-text invariant that every stored page text and every offset rely on."""

from __future__ import annotations

import pytest

from kansenaudit.ingest.canonical import canonicalise, is_canonical, text_sha256

NASTY = [
    "",
    "\n\n\n",
    "  ingesprongen eerste regel\n",
    "Windows\r\nregels\r\n",
    "oude Mac\rregels\r",
    "e\u0301e\u0301n (NFD)",
    "NUL\x00 en BEL\x07 en ESC\x1b",
    "pagina 1\fpagina 2",
    "spaties aan het eind   \t \nen nog een\u00a0\u00a0\n",
    "\ufeffBOM aan het begin",
    "verticale\x0btab en NEL\x85 en LS\u2028 en PS\u2029",
    "C1 \x80\x9f en DEL \x7f",
    "losse surrogaat \ud800 hier",
    "tab\tin het midden blijft",
    "\n\n  \n midden \n\n\n tekst \n \n",
]


@pytest.mark.parametrize("text", NASTY)
def test_canonicalise_is_idempotent_and_satisfies_the_invariant(text):
    result = canonicalise(text)
    assert canonicalise(result) == result
    assert is_canonical(result)
    result.encode("utf-8")  # no lone surrogates: must not raise
    assert "\r" not in result
    assert "\f" not in result
    assert "\ufeff" not in result
    assert all(ch in "\n\t" or not (ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F) for ch in result)
    # Offsets from split("\n") and splitlines() agree because "\n" is the only line break.
    assert result.split("\n") == (result.splitlines() or [""])
    for line in result.split("\n"):
        assert line == line.rstrip()
    assert not result.startswith("\n")
    assert not result.endswith("\n")


def test_specific_normalisations():
    assert canonicalise("a\r\nb\rc") == "a\nb\nc"
    assert canonicalise("Cafe\u0301") == "Café"
    assert canonicalise("a\x00b\x07c") == "abc"
    assert canonicalise("a\fb") == "ab"
    assert canonicalise("x  \n\n\ny\t") == "x\n\n\ny"
    assert canonicalise("\n\n  inspringing\n\n") == "  inspringing"
    assert canonicalise("regel\x0bregel") == "regel\nregel"


def test_offsets_are_code_points():
    text = canonicalise("Één € en 😀 daarna")
    start = text.index("daarna")
    assert text[start : start + len("daarna")] == "daarna"
    assert start == len("Één € en 😀 ")  # code points, not UTF-8 bytes or UTF-16 units


def test_text_sha256_is_sha256_of_utf8():
    import hashlib

    assert text_sha256("kansengelijkheid") == hashlib.sha256(b"kansengelijkheid").hexdigest()
    assert text_sha256(canonicalise("e\u0301")) == text_sha256("é")
