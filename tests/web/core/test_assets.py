"""Stylesheets and icons are part of the package and served from this origin (no CDN)."""

import re
from pathlib import Path

STATIC = Path(__file__).resolve().parents[3] / "src/kansenaudit/web/core/static/kansenaudit"
TEMPLATES = Path(__file__).resolve().parents[3] / "src/kansenaudit/web"


def test_every_class_used_in_templates_is_styled_or_structural():
    # app.css plus one stylesheet per domain app (policy.css, judgements.css, …)
    sheets = sorted(STATIC.glob("*.css"))
    assert sheets, f"no stylesheets in {STATIC}"  # a wrong path must not pass unnoticed
    css = "\n".join(path.read_text() for path in sheets)
    styled = set(re.findall(r"\.(ka-[a-z0-9_-]+)", css))
    used = set()
    for template in TEMPLATES.rglob("*.html"):
        used |= set(re.findall(r"\b(ka-[a-z0-9_-]+)", template.read_text()))
    assert used, f"no templates under {TEMPLATES}"
    # A class completed in the template (``ka-council-cell--{{ state }}``) is found as its
    # prefix; at least one completion must be styled.
    prefixes = {name for name in used if name.endswith("-")}
    unstyled = {p for p in prefixes if not any(s.startswith(p) for s in styled)}
    assert (used - prefixes) - styled | unstyled == set()


def test_stylesheet_and_icon_are_served_locally(client, db):
    for path in ("/static/kansenaudit/app.css", "/static/kansenaudit/favicon.svg"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert len(b"".join(response.streaming_content)) > 100
