# SPDX-License-Identifier: EUPL-1.2
"""Counting attempts against a limit, atomically, in the database every process shares.

``hit`` adds one and returns the new count in one transaction whose UPDATE locks the row
(PostgreSQL) or the database (SQLite, whose transactions here begin IMMEDIATE), so each of any
number of parallel requests gets its own count: with a limit of 30, the 31st is refused even
when 24 clients ask at the same moment. Django's cache ``incr`` reads, then writes, and let
three times the limit through.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from kansenaudit.web.core.models import RateCounter


def _bump(key: str, now: dt.datetime, window: dt.timedelta) -> int:
    expired = When(window_ends__lte=now, then=Value(1))
    return RateCounter.objects.filter(key=key).update(
        count=Case(expired, default=F("count") + 1),
        window_ends=Case(
            When(window_ends__lte=now, then=Value(now + window)), default=F("window_ends")
        ),
    )


def hit(key: str, window_seconds: int) -> int:
    """Count one attempt for ``key``; the count within the current window, this one included.

    A window starts with the first attempt and lasts ``window_seconds``; after it the count
    starts again at one.
    """
    now = timezone.now()
    window = dt.timedelta(seconds=window_seconds)
    with transaction.atomic():
        if _bump(key, now, window):
            # Same transaction, the row still locked by our UPDATE: the value we made.
            return RateCounter.objects.filter(key=key).values_list("count", flat=True).get()
        try:
            with transaction.atomic():
                RateCounter.objects.create(key=key, count=1, window_ends=now + window)
        except IntegrityError:
            _bump(key, now, window)  # another request created it meanwhile
            return RateCounter.objects.filter(key=key).values_list("count", flat=True).get()
    # A new key: a good moment to drop counters whose window has long passed.
    RateCounter.objects.filter(window_ends__lt=now - window).delete()
    return 1


def forgive(key: str) -> None:
    """Take back one attempt (one that turned out to be legitimate)."""
    RateCounter.objects.filter(key=key, count__gt=0).update(count=F("count") - 1)
