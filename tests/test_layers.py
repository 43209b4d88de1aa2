"""Layers that must stay free of Django, so analysts can use them without the web app."""

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "module",
    [
        "kansenaudit.stats",
        "kansenaudit.stats.disclosure",
        "kansenaudit.data",
        "kansenaudit.demo.city",
        "kansenaudit.ingest",
        "kansenaudit.reporting.svgmap",
        "kansenaudit.reporting.svgchart",
        "kansenaudit.reporting.tables",
        "kansenaudit.reporting.svgtimeline",
        "kansenaudit.stats.inequality",
        "kansenaudit.stats.bootstrap",
        "kansenaudit.stats.gaps",
        "kansenaudit.stats.stacking",
        "kansenaudit.stats.trends",
        "kansenaudit.stats.projection",
        "kansenaudit.stats.crosswalk",
        "kansenaudit.data.bbga",
        "kansenaudit.data.cbs_statline",
        "kansenaudit.data.cbs_odata",
        "kansenaudit.data.geo",
        "kansenaudit.data.pull",
        "kansenaudit.staat.compute",
        "kansenaudit.staat.report",
        "kansenaudit.staat.inputs_city",
        "kansenaudit.stats.agreement",
        "kansenaudit.policy.frameworks",
        "kansenaudit.demo.policy",
        "kansenaudit.demo.policy_content",
        "kansenaudit.policy.uitvraag",
        "kansenaudit.config",
        "kansenaudit.safe_json",
        "kansenaudit.ingest.render",
        "kansenaudit.ingest.tokens",
        "kansenaudit.ingest.inflection",
        "kansenaudit.ingest.search_query",
        "kansenaudit.sources",
        "kansenaudit.sources.http",
        "kansenaudit.sources.council_documents",
    ],
)
def test_module_does_not_import_django(module):
    code = (
        f"import {module}, sys; "
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')); "
        "print(','.join(bad))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "", f"{module} imports {result.stdout.strip()}"


def test_cli_help_does_not_start_django():
    code = (
        "import sys; from kansenaudit.cli.main import cli; "
        "print(any(m.startswith('django.db') for m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "False"
