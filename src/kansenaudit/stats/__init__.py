# SPDX-License-Identifier: EUPL-1.2
"""Statistics engine of Kansenaudit.

Pure numerical code on numpy (and later Polars/statsmodels): inequality measures, gaps,
stacking, trends, projections and disclosure control. It never imports Django, so analysts can
use it from a notebook and the web app, CLI and API all share one implementation; the test
``tests/test_layers.py`` enforces this.
"""
