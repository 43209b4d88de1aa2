from django.contrib import admin

from kansenaudit.web.areas.models import Area


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "division", "municipality_code", "is_demo")
    list_filter = ("division", "level", "is_demo")
    search_fields = ("code", "name")
    exclude = ("geometry",)
    readonly_fields = ("parent",)
