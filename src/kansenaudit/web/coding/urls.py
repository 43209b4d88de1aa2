# SPDX-License-Identifier: EUPL-1.2
"""Pages of the coding app (each one is in tests/helpers/matrix_coding.py)."""

from django.urls import path  # noqa: F401

app_name = "coding"

urlpatterns: list = []
