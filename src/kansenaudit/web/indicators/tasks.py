# SPDX-License-Identifier: EUPL-1.2
"""Background work of the indicators app: computing the statistics section ahead of a visit.

The statistics page shows numbers of the statistics engine run over a municipality's values
(seconds of work). Loading values (the demo, ``data import``) enqueues this task, so the engine
runs in the worker and its result waits in the shared cache: the first visitor after a load or
a restart does not wait for it (issue 12 §4).
"""

from __future__ import annotations

from django_tasks import task


@task()
def precompute_statistics(municipality_code: str) -> str:
    """Compute (or find) the statistics of a municipality; returns the cache key used."""
    from kansenaudit.web.indicators.selectors import statistics_precompute

    return statistics_precompute(municipality_code=municipality_code) or ""
