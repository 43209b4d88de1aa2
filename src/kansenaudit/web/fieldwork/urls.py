# SPDX-License-Identifier: EUPL-1.2
"""Pages of the fieldwork app (each one is in tests/helpers/matrix_fieldwork.py)."""

from django.urls import path  # noqa: F401

app_name = "fieldwork"

urlpatterns: list = []
