"""The CLI shows a refused change with the same sentence as the web."""

from __future__ import annotations

import click
import pytest

from kansenaudit.cli.output import refused_as_click
from kansenaudit.web.dossiers.services import DossierError


def test_a_service_refusal_becomes_the_click_error_with_its_message() -> None:
    with pytest.raises(click.ClickException) as caught, refused_as_click("bestand.json: "):
        raise DossierError("kies een titel")
    assert caught.value.message == "bestand.json: kies een titel"


def test_other_errors_are_not_turned_into_a_refusal() -> None:
    with pytest.raises(OSError, match="disk"), refused_as_click():
        raise OSError("disk")
