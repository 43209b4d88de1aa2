# SPDX-License-Identifier: EUPL-1.2
"""Pages of the findings app (each one is in tests/helpers/matrix_findings.py)."""

from django.urls import path  # noqa: F401

app_name = "findings"

urlpatterns: list = []
