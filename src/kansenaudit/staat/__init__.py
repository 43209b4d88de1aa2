# SPDX-License-Identifier: EUPL-1.2
"""The state of opportunity (deelvraag 1): from source tables to every number of the report.

``inputs_*`` read a city's cached sources or the demo city into :class:`StaatInputs`;
:func:`compute.compute_state` runs the statistics engine; :mod:`report` writes the HTML report,
the CSV and XLSX tables and ``numbers.json``. No Django here: the web app calls the same code.
"""
