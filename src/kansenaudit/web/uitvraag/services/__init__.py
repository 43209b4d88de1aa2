# SPDX-License-Identifier: EUPL-1.2
"""Changing inventory requests. Each function validates, writes in one transaction and logs.

The workflow: :func:`request_create` (the directorate is added to the actor register when it
is not there yet) → :func:`template_build` (the workbook, whose lists, version and checksum the
request keeps) → :func:`status_set` to *verstuurd* → :func:`receive` a returned file (stored with
its SHA-256 and every error; nothing in the register changes) →
:func:`kansenaudit.web.uitvraag.checks.preview` what it would change → :func:`apply` it, all or
nothing, only when the whole file is valid. A directorate contact without an account uses a
personal link (:func:`token_create`; :func:`kansenaudit.web.uitvraag.selectors.token_verify`).

The functions live in one module per part of the workflow (:mod:`.requests`, :mod:`.templates`,
:mod:`.files`, :mod:`.tokens`; shared pieces in :mod:`._common`) and are all importable from
here. The reads they rely on are in :mod:`kansenaudit.web.uitvraag.selectors` and
:mod:`kansenaudit.web.uitvraag.checks`.
"""

from __future__ import annotations

from kansenaudit.web.uitvraag.services._common import (
    MANUAL_TRANSITIONS,
    MEASURE_FIELDS,
    REQUEST_FIELDS,
    TOKEN_DAYS_MAX,
    TOKEN_UPLOADS_PER_HOUR,
    UitvraagError,
)
from kansenaudit.web.uitvraag.services.files import ApplyOutcome, apply, receive
from kansenaudit.web.uitvraag.services.requests import (
    RequestOutcome,
    reminder_record,
    request_create,
    request_update,
    status_set,
)
from kansenaudit.web.uitvraag.services.templates import Template, template_build
from kansenaudit.web.uitvraag.services.tokens import token_create, token_revoke

__all__ = [
    "MANUAL_TRANSITIONS",
    "MEASURE_FIELDS",
    "REQUEST_FIELDS",
    "TOKEN_DAYS_MAX",
    "TOKEN_UPLOADS_PER_HOUR",
    "ApplyOutcome",
    "RequestOutcome",
    "Template",
    "UitvraagError",
    "apply",
    "receive",
    "reminder_record",
    "request_create",
    "request_update",
    "status_set",
    "template_build",
    "token_create",
    "token_revoke",
]
