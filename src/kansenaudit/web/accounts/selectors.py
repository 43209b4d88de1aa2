# SPDX-License-Identifier: EUPL-1.2
"""Reading user accounts."""

from __future__ import annotations

from django.contrib.auth import get_user_model


def user_by_username(username: str) -> object | None:
    """The active user with this username (case-insensitive), or None."""
    return (
        get_user_model().objects.filter(username__iexact=username.strip(), is_active=True).first()
    )
