# SPDX-License-Identifier: EUPL-1.2
"""The dossier's assessment frameworks and the overview matrix of a framework."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from kansenaudit.policy import frameworks as fw_lib
from kansenaudit.policy.frameworks import Framework
from kansenaudit.web.judgements.models import (
    DossierFramework,
    Judgement,
)
from kansenaudit.web.judgements.stored_frameworks import (
    framework_current,
    framework_of,
)
from kansenaudit.web.judgements.subjects import SHIPPED_SUBJECT_KIND, SUBJECT_KINDS


@dataclass(frozen=True)
class FrameworkInfo:
    """A framework as the dossier uses it: the version in force, or the shipped one unused."""

    key: str
    framework: Framework
    subject_kind: str
    version: int  # 0: shipped, not yet copied into the dossier
    record: DossierFramework | None

    @property
    def subject_label(self) -> str:
        return SUBJECT_KINDS[self.subject_kind].label


def dossier_frameworks(dossier: Any) -> list[FrameworkInfo]:
    """The shipped frameworks (copied or not) and the dossier's own, shipped ones first."""
    records: dict[str, DossierFramework] = {}
    for newest in DossierFramework.objects.filter(dossier=dossier).order_by("key", "-version"):
        records.setdefault(newest.key, newest)
    result = []
    for shipped in fw_lib.frameworks():
        record = records.pop(shipped.key, None)
        result.append(
            FrameworkInfo(
                key=shipped.key,
                framework=framework_of(record) if record else shipped,
                subject_kind=record.subject_kind if record else SHIPPED_SUBJECT_KIND[shipped.key],
                version=record.version if record else 0,
                record=record,
            )
        )
    for key in sorted(records):
        record = records[key]
        result.append(
            FrameworkInfo(key, framework_of(record), record.subject_kind, record.version, record)
        )
    return result


def framework_info(dossier: Any, key: str) -> FrameworkInfo | None:
    """One framework of the dossier by key; None when there is none."""
    return next((info for info in dossier_frameworks(dossier) if info.key == key), None)


def framework_versions(dossier: Any, key: str) -> QuerySet[DossierFramework]:
    return DossierFramework.objects.filter(dossier=dossier, key=key).select_related("created_by")


def framework_for_judgement(judgement: Judgement) -> Framework:
    """The framework in force for ``judgement`` (edits never remove what it uses)."""
    record = framework_current(judgement.dossier_id, judgement.framework_key)
    if record is None:  # cannot happen: starting a judgement copies the framework
        return fw_lib.framework(judgement.framework_key)
    return framework_of(record)


def subject_content_type(info: FrameworkInfo) -> ContentType:
    return ContentType.objects.get_for_model(SUBJECT_KINDS[info.subject_kind].model_class())
