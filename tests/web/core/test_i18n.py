"""Interface text is Dutch through Django's i18n, with English available."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

from django.urls import reverse

WEB = Path(__file__).resolve().parents[3] / "src" / "kansenaudit" / "web"
TEMPLATE_STRING = re.compile(r"""{%\s*translate\s+(["'])(.+?)\1""")
PYTHON_STRING = re.compile(r"""\b_\(\s*"((?:[^"\\]|\\.)+)"\s*\)""")


def _source_strings() -> set[str]:
    found = set()
    for path in WEB.rglob("*.html"):
        found |= {m.group(2) for m in TEMPLATE_STRING.finditer(path.read_text())}
    for path in WEB.rglob("*.py"):
        if "migrations" not in path.parts:
            found |= set(PYTHON_STRING.findall(path.read_text()))
    return found


def test_every_interface_text_has_a_dutch_translation():
    with (WEB / "locale/nl/LC_MESSAGES/django.mo").open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    strings = _source_strings()
    assert len(strings) > 100
    untranslated = sorted(s for s in strings if s not in catalogue._catalog)
    assert untranslated == [], "run `make messages` and translate these in django.po"


def test_dutch_is_the_default_and_english_is_available(client, db):
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Inloggen" in page
    assert 'lang="nl"' in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Log in" in page
    assert 'lang="en"' in page
