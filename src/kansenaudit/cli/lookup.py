# SPDX-License-Identifier: EUPL-1.2
"""Looking up what a CLI command names by id, with a Dutch error when it does not exist."""

from __future__ import annotations

import click


def operator_dossier_or_fail(dossier_id: int) -> object:
    """The dossier with this id (the CLI sees every dossier), or a ``ClickException``.

    Call it after :func:`kansenaudit.cli.runtime.setup_django`.
    """
    from kansenaudit.web.dossiers.selectors import DossierNotFound, operator_dossier

    try:
        return operator_dossier(dossier_id=dossier_id)
    except DossierNotFound as exc:
        raise click.ClickException(f"dossier {dossier_id} bestaat niet") from exc


def operator_document_or_fail(dossier_id: int, document_id: int) -> tuple[object, object]:
    """The dossier and its evidence document with these ids, or a ``ClickException``."""
    from kansenaudit.web.evidence.selectors import document_in_dossier

    dossier = operator_dossier_or_fail(dossier_id)
    document = document_in_dossier(dossier, document_id)
    if document is None:
        raise click.ClickException(f"document {document_id} bestaat niet in dossier {dossier_id}")
    return dossier, document
