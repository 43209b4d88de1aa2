# SPDX-License-Identifier: EUPL-1.2
"""Encryption of what fieldwork never keeps in the clear: originals, the pseudonym key, contacts.

Fernet (AES-128-CBC with HMAC-SHA256, from ``cryptography``) with one key per installation,
read from ``KANSENAUDIT_FIELDWORK_KEY`` or the file named by ``KANSENAUDIT_FIELDWORK_KEY_FILE``,
both outside the database and the data folder (ADR 0018). In demo mode, and for the fictional
demo data, a key is generated once in ``<data folder>-fieldwork.key`` beside the data folder.
Without a key, storing or reading confidential data is refused with a clear message.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.utils.translation import gettext_lazy as _

from kansenaudit import config
from kansenaudit.web.core.errors import ServiceError

KEY_SETTING = "KANSENAUDIT_FIELDWORK_KEY"
KEY_FILE_SETTING = "KANSENAUDIT_FIELDWORK_KEY_FILE"


class FieldworkKeyError(ServiceError):
    """No usable key: confidential fieldwork data can be neither stored nor read."""


def generated_key_path() -> Path:
    """Where demo mode keeps its generated key: beside, not inside, the data folder."""
    data = config.data_dir()
    return data.parent / f"{data.name}-fieldwork.key"


def _generated_key() -> bytes:
    path = generated_key_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(Fernet.generate_key())
    return path.read_bytes().strip()


def _key(*, demo: bool = False) -> bytes:
    value = config.env_str(KEY_SETTING)
    if not value:
        file_name = config.env_str(KEY_FILE_SETTING)
        if file_name:
            try:
                value = Path(file_name).expanduser().read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise FieldworkKeyError(
                    _("The fieldwork key file %(path)s cannot be read: %(reason)s"),
                    {"path": file_name, "reason": exc.strerror or exc},
                ) from exc
    if not value:
        if demo or config.demo_mode():
            return _generated_key()
        raise FieldworkKeyError(
            _(
                "No fieldwork key is configured, so original transcripts and contact details "
                "cannot be stored or read. Set KANSENAUDIT_FIELDWORK_KEY or "
                "KANSENAUDIT_FIELDWORK_KEY_FILE (see docs/configuration.md)."
            )
        )
    return value.encode("ascii", "replace")


def _fernet(*, demo: bool = False) -> Fernet:
    key = _key(demo=demo)
    try:
        return Fernet(key)
    except ValueError as exc:
        raise FieldworkKeyError(
            _("The fieldwork key is not a valid Fernet key (32 url-safe base64-encoded bytes).")
        ) from exc


def encrypt_json(value: Any, *, demo: bool = False) -> str:
    """``value`` as JSON, encrypted, as text for a ``TextField``."""
    data = json.dumps(value, ensure_ascii=False).encode("utf-8")
    return _fernet(demo=demo).encrypt(data).decode("ascii")


def decrypt_json(token: str, *, demo: bool = False) -> Any:
    """The value :func:`encrypt_json` stored; refused when the key does not fit."""
    try:
        data = _fernet(demo=demo).decrypt(token.encode("ascii"))
    except InvalidToken as exc:
        raise FieldworkKeyError(
            _("The stored fieldwork data cannot be decrypted with the configured key.")
        ) from exc
    return json.loads(data.decode("utf-8"))


def encrypt_bytes(data: bytes, *, demo: bool = False) -> str:
    """``data`` encrypted, as text for a ``TextField``."""
    return _fernet(demo=demo).encrypt(data).decode("ascii")


def decrypt_bytes(token: str, *, demo: bool = False) -> bytes:
    """The bytes :func:`encrypt_bytes` stored; refused when the key does not fit."""
    try:
        return _fernet(demo=demo).decrypt(token.encode("ascii"))
    except InvalidToken as exc:
        raise FieldworkKeyError(
            _("The stored fieldwork data cannot be decrypted with the configured key.")
        ) from exc
