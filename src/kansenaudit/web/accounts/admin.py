from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from kansenaudit.web.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, (None, {"fields": ("organisation",)}))
    list_display = ("username", "first_name", "last_name", "organisation", "is_active", "is_staff")

    def save_model(self, request, obj, form, change) -> None:  # noqa: ANN001
        # Changes through the admin are logged like every other change.
        from kansenaudit.web.core.services import audit_record

        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action="user.change" if change else "user.create",
            target=obj,
            summary=f"Gebruiker {obj.username} {'gewijzigd' if change else 'aangemaakt'} (beheer)",
            after={"changed": sorted(form.changed_data)},
        )

    def has_delete_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        # Users are deactivated, never deleted: the audit log keeps pointing at them.
        return False
