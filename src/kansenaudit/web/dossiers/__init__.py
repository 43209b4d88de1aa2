"""Audit dossiers (onderzoeken), their team and roles, sub-questions, planning and timeline."""
