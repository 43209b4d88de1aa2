# SPDX-License-Identifier: EUPL-1.2
"""The demo as a dated story: what the audit team did, on the days it did it.

Loading the demo takes seconds, but the story it tells spans months: the study starts on 25
November 2025 (the first milestone), the uitvraag goes out on 15 January 2026 with a deadline
of 13 February, two directies answer in time, one after a reminder and late, and the
judgements are signed off on 18 March 2026. Every record the services stamp with "now" (the
status history of a request, the time a file was received, the audit log) gets the story's
day instead of the day the demo was loaded, so no request is sent and accepted "today", after
its deadline.

The clock is Django's ``timezone.now``, set for the duration of :func:`dated` (the demo load)
and moved forward by :func:`advance_to`. The pillars loaded after the policy set run on the
real clock again (:func:`release`).
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from django.utils import timezone

F = TypeVar("F", bound=Callable[..., Any])

START = dt.date(2025, 11, 25)  # the first milestone: the study starts
_real_now = timezone.now
_lock = threading.Lock()
_state = threading.local()


def _moment(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _story_now() -> dt.datetime:
    moment = getattr(_state, "moment", None)
    if moment is None:
        return _real_now()
    # Each call a millisecond later, so that events on one day keep their order.
    _state.moment = moment + dt.timedelta(milliseconds=1)
    return moment


def advance_to(day: dt.date, hour: int = 10) -> None:
    """Set the story's clock to ``day`` at ``hour`` (the log sorts by time, not by loading)."""
    if getattr(_state, "moment", None) is None:
        return  # not loading the demo: the real clock
    _state.moment = _moment(day, hour)


def release() -> None:
    """The real clock again, for what follows the story (the later pillars' demo content)."""
    _state.moment = None


def dated(func: F) -> F:
    """Run ``func`` (the demo load) on the story's clock, starting at :data:`START`."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with _lock:
            _state.moment = _moment(START, 9)
            timezone.now = _story_now  # type: ignore[assignment]
            try:
                return func(*args, **kwargs)
            finally:
                _state.moment = None
                timezone.now = _real_now  # type: ignore[assignment]

    return wrapper  # type: ignore[return-value]
