# SPDX-License-Identifier: EUPL-1.2
"""Fieldwork without Django: transcripts, pseudonymisation, REFI-QDA exchange, selection."""
