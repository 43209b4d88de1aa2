# SPDX-License-Identifier: EUPL-1.2
"""Django-free logic of the findings chain: cycles, version diffs, Markdown and fingerprints.

The web app (``kansenaudit.web.findings``) stores norms, findings, conclusions and
recommendations; this package decides what a chain may look like, how two frozen versions of
the nota van bevindingen differ, how a finding's Markdown becomes safe HTML, and how the
content of a piece of evidence is fingerprinted so a reference can show that it changed.
"""
