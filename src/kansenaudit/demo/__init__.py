# SPDX-License-Identifier: EUPL-1.2
"""The fictional demo of Kansenaudit: the city Voorbeeldstad, its documents and its policy.

Everything here is invented and labelled so; it feeds the bundled offline demo
(``kansenaudit demo``, the ``web/demo`` app) and the tests, never real statistics. Like the
statistics engine it never imports Django, and generating is deterministic: the same data and
the same file bytes on every run.

* :mod:`.city` generates the city (areas, indicators, values, policy timeline), with the
  lattice geometry of :mod:`.geometry`;
* :mod:`.documents` generates its policy documents as real PDF and DOCX files;
* :mod:`.policy` is its policy set (:mod:`.policy_model` the data types, :mod:`.policy_content`
  the content) and the filled-in uitvraag workbooks.
"""
