from django.contrib import admin

from kansenaudit.web.indicators.models import Indicator


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("key", "name", "domain", "unit", "polarity", "min_n", "is_demo")
    list_filter = ("domain", "is_demo")
    search_fields = ("key", "name")
