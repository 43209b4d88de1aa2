"""Fieldwork without Django: transcripts, pseudonymisation, REFI-QDA exchange, selection."""
