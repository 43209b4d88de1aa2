"""Kept for the web app's imports; the implementation lives in the Django-free reporting layer."""

from kansenaudit.reporting.csv_safety import safe_cell

__all__ = ["safe_cell"]
