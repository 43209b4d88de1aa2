"""Page images of stored PDFs are drawn in the isolated child with a time limit and cached on
disk: a page is drawn once, a hostile page (thousands of full-page vector fills, seconds for
PDFium) is cut off and answered with a placeholder, and the web process never draws a page
itself."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import zlib

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from kansenaudit.ingest import render
from kansenaudit.ingest.extract import extract
from kansenaudit.web.evidence import services

extract_module = render.extract  # the module kansenaudit.ingest.extract


def _pdf(content: bytes) -> bytes:
    """A one-page PDF whose page draws ``content`` (compressed), with a Helvetica font."""
    stream = zlib.compress(content, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


TEXT_PAGE = _pdf(b"BT /F1 14 Tf 72 700 Td (Gelijke kansen voor ieder kind.) Tj ET\n")
# About 3,000 fills of the whole page: a few kilobytes, and seconds of PDFium's time.
SLOW_PAGE = _pdf(b"BT /F1 14 Tf 72 700 Td (Traag) Tj ET\n" + b"0 0 m 612 792 l 0 792 l f\n" * 3000)


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("KANSENAUDIT_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def child_starts(monkeypatch):
    """Count the tasks sent to isolated child processes (extraction or drawing)."""
    started = []
    real = extract_module.run_task

    def counting(config, *args, **kwargs):
        started.append(config.get("task", "extract"))
        return real(config, *args, **kwargs)

    monkeypatch.setattr(extract_module, "run_task", counting)
    return started


@pytest.fixture
def no_drawing_here(monkeypatch):
    """Drawing in this (the web) process fails the test."""
    from kansenaudit.ingest import pdf

    def refuse(*args, **kwargs):
        pytest.fail("a page was drawn in the web process")

    monkeypatch.setattr(pdf, "render_page_png", refuse)


def _stored(team, data: bytes, name: str):
    document, _ = services.document_store(
        dossier=team["dossier"],
        extracted=extract(data, name, ocr=False),
        data=data,
        actor=None,
    )
    return document


def _url(document, number=1):
    return reverse("evidence:page_image", args=[document.dossier_id, document.pk, number])


def test_a_page_is_drawn_in_the_child_once_and_then_served_from_the_cache(
    client, team, child_starts, no_drawing_here, tmp_path
):
    document = _stored(team, TEXT_PAGE, "nota.pdf")
    client.force_login(team["users"]["meelezer"])
    first = client.get(_url(document))
    assert first.status_code == 200
    assert first["Content-Type"] == "image/png"
    assert first.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert child_starts == ["render"]
    second = client.get(_url(document))
    assert second.content == first.content
    assert child_starts == ["render"]  # from the cache: no second child
    cached = list((tmp_path / "data" / "evidence" / "page-images").rglob("*.png"))
    assert [p.name for p in cached] == [f"{document.sha256}-1-110.png"]
    assert stat.S_IMODE(cached[0].stat().st_mode) == 0o600
    assert stat.S_IMODE(cached[0].parent.stat().st_mode) == 0o700


def test_a_hostile_slow_page_is_cut_off_with_a_placeholder_and_not_tried_again(
    client, team, child_starts, no_drawing_here, monkeypatch
):
    monkeypatch.setattr(render, "PAGE_IMAGE_TIMEOUT_S", 1.0)
    document = _stored(team, SLOW_PAGE, "traag.pdf")
    client.force_login(team["users"]["meelezer"])
    response = client.get(_url(document))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert response["Cache-Control"] == "no-store"
    assert gettext("This page could not be drawn in time.") in response.content.decode()
    assert child_starts == ["render"]
    again = client.get(_url(document))
    assert gettext("This page could not be drawn in time.") in again.content.decode()
    assert child_starts == ["render"]  # the failure is remembered: no new child per request


class _Clock:
    """A clock the test moves by hand (``page_png(clock=...)``): no sleeps."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def _draw(pdf, clock, **kwargs):
    with pytest.raises(render.IngestError) as caught:
        render.page_png(pdf, "b" * 64, 1, cache_dir=pdf.parent / "cache", clock=clock, **kwargs)
    return caught.value.code


def test_a_page_cut_off_by_the_time_limit_is_tried_again_after_five_minutes(tmp_path, child_starts):
    """A slow page on a loaded server is not a placeholder for an hour; a hostile one still
    costs one child per five minutes, not one per request."""
    pdf = tmp_path / "traag.pdf"
    pdf.write_bytes(SLOW_PAGE)
    clock = _Clock()
    assert _draw(pdf, clock, timeout_s=0.5) == "timeout"
    assert child_starts == ["render"]
    clock.now += 60
    assert _draw(pdf, clock, timeout_s=0.5) == "timeout"
    assert child_starts == ["render"]  # remembered: no child
    clock.now += 5 * 60
    assert _draw(pdf, clock, timeout_s=0.5) == "timeout"
    assert child_starts == ["render", "render"]  # tried again after five minutes


def test_a_page_that_cannot_be_drawn_at_all_is_remembered_for_an_hour(tmp_path, child_starts):
    pdf = tmp_path / "kapot.pdf"
    pdf.write_bytes(b"%PDF-1.4\n" + b"geen pdf" * 100)
    clock = _Clock()
    code = _draw(pdf, clock)
    assert code != "timeout"
    assert child_starts == ["render"]
    clock.now += 30 * 60
    assert _draw(pdf, clock) == code
    assert child_starts == ["render"]  # still remembered after half an hour
    clock.now += 31 * 60
    assert _draw(pdf, clock) == code
    assert child_starts == ["render", "render"]


def test_a_marker_from_a_clock_set_back_does_not_hold_for_ever(tmp_path, child_starts):
    pdf = tmp_path / "kapot.pdf"
    pdf.write_bytes(b"%PDF-1.4\n" + b"geen pdf" * 100)
    clock = _Clock()
    _draw(pdf, clock)
    clock.now -= 10 * render.FAILED_TTL_S  # the server's clock went back ten hours
    _draw(pdf, clock)
    assert child_starts == ["render", "render"]


def test_the_cache_is_keyed_by_file_page_and_resolution(tmp_path, child_starts):
    pdf = tmp_path / "nota.pdf"
    pdf.write_bytes(TEXT_PAGE)
    sha = "a" * 64
    small = render.page_png(pdf, sha, 1, cache_dir=tmp_path / "cache", dpi=50)
    large = render.page_png(pdf, sha, 1, cache_dir=tmp_path / "cache", dpi=100)
    assert len(child_starts) == 2
    assert small != large
    assert render.page_png(pdf, sha, 1, cache_dir=tmp_path / "cache", dpi=50) == small
    assert len(child_starts) == 2
    with pytest.raises(ValueError, match="sha256"):
        render.page_png(pdf, "../../etc", 1, cache_dir=tmp_path / "cache")


def test_the_web_process_does_not_load_pdfium_to_serve_page_images():
    code = (
        "import sys; from kansenaudit.cli.runtime import setup_django; setup_django(); "
        "import kansenaudit.web.urls, kansenaudit.web.evidence.views; "
        "print(sorted(m for m in ('pypdfium2', 'kansenaudit.ingest.pdf') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env={**os.environ, "KANSENAUDIT_DEMO": "1"},
    )
    assert result.stdout.strip() == "[]", result.stderr
