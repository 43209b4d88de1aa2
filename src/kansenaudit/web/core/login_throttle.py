# SPDX-License-Identifier: EUPL-1.2
"""Login throttling with two limits: per account and address, and per address.

django-axes compares one number with one limit. We want two: a username from one address is
locked after ``KANSENAUDIT_LOGIN_FAILURE_LIMIT`` failures (5), and an address after
``KANSENAUDIT_LOGIN_ADDRESS_FAILURE_LIMIT`` failures over any usernames (20) — password
spraying tries a few passwords on many accounts and never reaches the first limit. The handler
below reports an address over its limit as a failure count at the account limit, so axes'
own checks lock it, both when a login is refused and when the next one is tried.
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import QuerySet, Sum
from django.http import HttpRequest


def _recent(request: HttpRequest) -> QuerySet:
    attempts = AccessAttempt.objects.all()
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts


def _failures(attempts: QuerySet) -> int:
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


class AccountAndAddressHandler(AxesDatabaseHandler):
    """Axes' database handler with a separate, higher limit for one address."""

    def _pair(self, request: HttpRequest, credentials: dict | None) -> QuerySet:
        return _recent(request).filter(
            username=get_client_username(request, credentials),
            ip_address=request.axes_ip_address,
        )

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        pair = _failures(self._pair(request, credentials))
        limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
        if limit > 0:
            address = _failures(_recent(request).filter(ip_address=request.axes_ip_address))
            if address >= limit:
                return max(pair, get_failure_limit(request, credentials))
        return pair

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        # A successful login forgives that account's failures from this address, not those of
        # other usernames: else one valid account would reset a sprayer's address count.
        count, _ = AccessAttempt.objects.filter(
            username=get_client_username(request, credentials),
            ip_address=request.axes_ip_address,
        ).delete()
        return count
