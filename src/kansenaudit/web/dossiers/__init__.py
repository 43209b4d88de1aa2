# SPDX-License-Identifier: EUPL-1.2
"""Audit dossiers (onderzoeken), their team and roles, sub-questions, planning and timeline."""
