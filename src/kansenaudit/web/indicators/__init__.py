# SPDX-License-Identifier: EUPL-1.2
"""Indicator definitions and their values per area, group and period (one tidy long table)."""
