# SPDX-License-Identifier: EUPL-1.2
"""Policy layer of Kansenaudit: assessment frameworks and the uitvraag to directorates.

Deelvraag 2 of the research design asks how the policy is set up and substantiated. This
package holds what that part of the audit works with, as plain Python:

* :mod:`kansenaudit.policy.frameworks`: the assessment frameworks shipped with the product (the
  analysis model for policy design, the effectladder, SMART, indicator quality, information to
  the council) as data that a dossier can copy and edit as JSON;
* :mod:`kansenaudit.policy.uitvraag`: the Excel workbook in which each directorate lists at most
  ten measures, and the strict reader for the filled-in file.

Like the statistics engine it never imports Django, so the CLI, a notebook and the web app share
one implementation (``tests/policy/test_frameworks.py`` checks this).
"""
