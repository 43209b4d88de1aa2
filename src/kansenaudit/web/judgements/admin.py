# SPDX-License-Identifier: EUPL-1.2
"""Judgements in the admin: read-only, only for the dossiers you are a member of.

Assessments and the history are deliberately not in the admin: the admin cannot apply the
blindness rule (an assessor would see the other assessor's score), and every change must go
through the services so that it is logged and reopens a signed-off judgement.
"""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from kansenaudit.web.core.admin import AuditedModelAdmin, ReadOnlyAdminMixin
from kansenaudit.web.dossiers.selectors import dossier_ids_for_user
from kansenaudit.web.judgements.models import DossierFramework, Judgement


class _MemberDossiersOnly(ReadOnlyAdminMixin, AuditedModelAdmin):
    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .filter(dossier__in=dossier_ids_for_user(user=request.user))
        )


@admin.register(DossierFramework)
class DossierFrameworkAdmin(_MemberDossiersOnly):
    list_display = ("name", "key", "version", "dossier", "created_at")
    list_filter = ("key",)
    exclude = ("data",)


@admin.register(Judgement)
class JudgementAdmin(_MemberDossiersOnly):
    list_display = ("framework_key", "criterion_code", "subject_label", "status", "dossier")
    list_filter = ("framework_key", "status")
    search_fields = ("subject_label",)
    fields = (
        "dossier",
        "framework_key",
        "framework_version",
        "criterion_code",
        "subject_label",
        "mode",
        "status",
        "signed_off_by",
        "signed_off_at",
        "created_at",
    )
