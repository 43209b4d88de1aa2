"""JSON imports with absurd numbers: an integer of 100,001 digits (Python refuses to convert it
with a ValueError that json.loads passes on) and 1e400 (a float overflowing to infinity). Both
pages that read uploaded JSON answer with a Dutch message that names the field, store nothing,
and never give a 500; the CLI readers share the same parser."""

from __future__ import annotations

import copy
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kansenaudit.policy.frameworks import framework, to_dict
from kansenaudit.safe_json import JsonNumberError, loads
from kansenaudit.sources.council_documents import CouncilError, read_notubiz_meeting
from kansenaudit.web.judgements.models import DossierFramework
from kansenaudit.web.policy.exports import JSON_FORMAT, JSON_VERSION
from kansenaudit.web.policy.models import Actor, Indicator

HUGE = "1" + "0" * 100_000
HOSTILE = [pytest.param(HUGE, id="100001-digit-integer"), pytest.param("1e400", id="1e400")]


def _registers(number: str) -> bytes:
    """A registers file whose one indicator value is ``number`` (written as a JSON number)."""
    text = json.dumps(
        {
            "format": JSON_FORMAT,
            "version": JSON_VERSION,
            "actors": [{"name": "Directie Onderwijs", "kind": "directie"}],
            "indicators": [
                {
                    "name": "Voorschoolse deelname",
                    "values": [{"kind": "realisatie", "year": 2024, "value": "NUMBER"}],
                }
            ],
        }
    )
    return text.replace('"NUMBER"', number).encode()


@pytest.mark.parametrize("number", HOSTILE)
def test_registers_import_page_names_the_field_and_stores_nothing(client, team, number):
    client.force_login(team["users"]["onderzoeker"])
    response = client.post(
        reverse("policy:import_json", args=[team["dossier"].pk]),
        {"bestand": SimpleUploadedFile("registers.json", _registers(number))},
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Niets ingelezen uit registers.json" in page
    assert "indicators[0].values[0].value" in page
    assert "te groot" in page
    assert not Actor.objects.filter(dossier=team["dossier"]).exists()
    assert not Indicator.objects.filter(dossier=team["dossier"]).exists()


@pytest.mark.parametrize("number", HOSTILE)
def test_framework_editor_names_the_field_and_stores_nothing(client, team, number):
    client.force_login(team["users"]["onderzoeker"])
    edited = copy.deepcopy(to_dict(framework("smart")))
    edited["criteria"][0]["weight"] = "NUMBER"
    text = json.dumps(edited).replace('"NUMBER"', number)
    response = client.post(
        reverse("judgements:framework_edit", args=[team["dossier"].pk, "smart"]),
        {"json": text, "notitie": "vijandig"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "criteria[0].weight" in page
    assert "te groot" in page
    assert not DossierFramework.objects.filter(dossier=team["dossier"]).exists()


@pytest.mark.parametrize("number", [HUGE, "1e400", "-1e400", "NaN", "Infinity"])
def test_the_parser_refuses_every_absurd_number_and_names_where_it_is(number):
    with pytest.raises(JsonNumberError, match=r"veld 'a\[1\]\.b'"):
        loads('{"a": [1, {"b": ' + number + "}]}")
    assert loads('{"a": [123456789012345678, -2.5e300]}') == {"a": [123456789012345678, -2.5e300]}


def test_a_notubiz_meeting_file_with_an_absurd_number_is_refused_with_the_reason():
    meeting = b'{"id": 1, "documents": [{"id": 2, "file_size": ' + HUGE.encode() + b"}]}"
    with pytest.raises(CouncilError, match=r"documents\[0\]\.file_size"):
        read_notubiz_meeting(meeting)


def test_deeply_nested_framework_json_is_refused_in_the_interface_language():
    from django.utils import translation

    from kansenaudit.web.judgements.services import JudgementError, parse_framework_json

    with translation.override("en"), pytest.raises(JudgementError, match="nested too deeply"):
        parse_framework_json("[" * 100_000)
