"""One error type for refused changes: every web service error is a ServiceError."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from django.contrib.messages import get_messages
from django.test import RequestFactory
from django.utils import translation
from django.utils.translation import gettext_lazy

import kansenaudit.web
from kansenaudit.web.core.errors import ServiceError
from kansenaudit.web.core.service_views import run_service


def _service_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(kansenaudit.web.__path__, "kansenaudit.web."):
        parts = info.name.split(".")
        if "services" in parts or parts[-1] == "services":
            names.append(info.name)
    return names


def _value_errors_defined_in(name: str) -> list[type]:
    module = importlib.import_module(name)
    return [
        cls
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if cls.__module__ == name and cls.__name__.endswith("Error") and issubclass(cls, ValueError)
    ]


def test_every_service_error_is_a_service_error() -> None:
    found = {
        cls.__name__: cls for name in _service_modules() for cls in _value_errors_defined_in(name)
    }
    # The walk must find the service errors the views and CLI catch, or it proves nothing.
    assert {"DossierError", "PolicyError", "JudgementError", "UitvraagError"} <= set(found)
    assert [n for n, cls in found.items() if not issubclass(cls, ServiceError)] == []


def test_message_is_rendered_in_the_language_active_when_shown() -> None:
    exc = ServiceError(gettext_lazy("Goal %(name)s not found."), {"name": "X"})
    with translation.override("en"):
        assert str(exc) == "Goal X not found."
    assert isinstance(exc, ValueError)


def _request():
    from django.contrib.messages.storage.fallback import FallbackStorage

    request = RequestFactory().post("/x")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_run_service_shows_the_refusal_and_redirects_to_failed_to() -> None:
    request = _request()

    def refuse() -> None:
        raise ServiceError("nee")

    response = run_service(request, refuse, success="ja", redirect_to="/ok", failed_to="/fout")
    assert response.status_code == 302
    assert response["Location"] == "/fout"
    assert [str(m) for m in get_messages(request)] == ["nee"]


def test_run_service_shows_success_and_lets_other_errors_through() -> None:
    request = _request()
    response = run_service(request, lambda: None, success="ja", redirect_to="/ok")
    assert response["Location"] == "/ok"
    assert [str(m) for m in get_messages(request)] == ["ja"]

    def crash() -> None:
        raise RuntimeError("bug")

    with pytest.raises(RuntimeError):
        run_service(_request(), crash, success="ja", redirect_to="/ok")
