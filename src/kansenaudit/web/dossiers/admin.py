# SPDX-License-Identifier: EUPL-1.2
"""Admin for dossiers: like every other page, it shows only the dossiers you are a member of,
and every change goes through the dossier services so it is logged."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from kansenaudit.web.core.admin import AuditedModelAdmin
from kansenaudit.web.core.formfields import ModelForm
from kansenaudit.web.dossiers import selectors, services
from kansenaudit.web.dossiers.models import Dossier, Membership, Milestone, SubQuestion
from kansenaudit.web.dossiers.roles import Capability


class MemberScopedAdmin(AuditedModelAdmin):
    """Limits the queryset to the user's dossiers; ``dossier_path`` names the route to one."""

    dossier_path = "dossier"
    form = ModelForm  # values survive the round trip through the browser (issue #11)

    def get_queryset(self, request: HttpRequest):  # noqa: ANN201
        ids = selectors.dossier_ids_for_user(user=request.user)
        if self.dossier_path == "self":
            return super().get_queryset(request).filter(pk__in=ids)
        return super().get_queryset(request).filter(**{f"{self.dossier_path}__in": ids})

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        # Dossier history is kept; archive a dossier instead of deleting it.
        return False


class SubQuestionInline(admin.TabularInline):
    model = SubQuestion
    extra = 0
    can_delete = False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Dossier)
class DossierAdmin(MemberScopedAdmin):
    dossier_path = "self"
    list_display = ("title", "municipality_code", "status", "is_demo", "created_at")
    list_filter = ("status", "is_demo")
    search_fields = ("title", "municipality_name")
    fields = services.DOSSIER_FIELDS
    inlines = [SubQuestionInline]

    def has_change_permission(self, request: HttpRequest, obj: Dossier | None = None) -> bool:
        # The role table decides here too: a read-only member cannot edit through the admin.
        if obj is None:
            return super().has_change_permission(request)
        try:
            selectors.dossier_access(
                user=request.user, dossier_id=obj.pk, capability=Capability.EDIT
            )
        except (selectors.DossierNotFound, PermissionDenied):
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Dossier, form: object, change: bool) -> None:
        data = {name: form.cleaned_data[name] for name in services.DOSSIER_FIELDS}
        if change:
            services.dossier_update(
                dossier=Dossier.objects.get(pk=obj.pk), actor=request.user, **data
            )
        else:
            created = services.dossier_create(creator=request.user, **data)
            obj.pk = created.pk


@admin.register(Membership)
class MembershipAdmin(MemberScopedAdmin):
    list_display = ("dossier", "user", "role", "added_at")
    list_filter = ("role",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # through the team page, where the services check the role

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Milestone)
class MilestoneAdmin(MemberScopedAdmin):
    list_display = ("dossier", "title", "due_date", "done")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
