# SPDX-License-Identifier: EUPL-1.2
"""Admin for dossiers: like every other page, it shows only the dossiers you are a member of,
and every change goes through the dossier services so it is logged."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kansenaudit.web.core.admin import AuditedModelAdmin
from kansenaudit.web.core.formfields import ModelForm
from kansenaudit.web.dossiers import selectors, services
from kansenaudit.web.dossiers.models import Dossier, Membership, Milestone, SubQuestion
from kansenaudit.web.dossiers.roles import Capability, Role


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
    """Team members. The site administrator adds a member to any dossier (setting up a team,
    or after the last project leader has left); others only to dossiers whose team they
    manage. A new member goes through ``membership_set``, so it lands in the dossier's audit
    log, which the team reads (ADR 0023). Changing and removing stay on the team page."""

    list_display = ("dossier", "user", "role", "added_at")
    list_filter = ("role",)
    fields = ("dossier", "user", "role")

    def _addable_dossiers(self, request: HttpRequest):  # noqa: ANN202
        if request.user.is_superuser:
            return Dossier.objects.all()
        managed = Membership.objects.filter(user=request.user, role=Role.PROJECTLEIDER)
        return Dossier.objects.filter(pk__in=managed.values("dossier"))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and self._addable_dossiers(request).exists()

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):  # noqa: ANN001, ANN201
        if db_field.name == "dossier":
            kwargs["queryset"] = self._addable_dossiers(request)
        if db_field.name == "user":
            kwargs["label"] = _("Person")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Membership, form: object, change: bool) -> None:
        created = services.membership_set(
            dossier=obj.dossier, user=obj.user, role=obj.role, actor=request.user
        )
        obj.pk = created.pk

    def log_addition(self, request: HttpRequest, obj: object, message: object):  # noqa: ANN201
        # membership_set has recorded the event in the dossier's log already.
        return admin.ModelAdmin.log_addition(self, request, obj, message)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Milestone)
class MilestoneAdmin(MemberScopedAdmin):
    list_display = ("dossier", "title", "due_date", "done")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
