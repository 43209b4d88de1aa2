# SPDX-License-Identifier: EUPL-1.2
"""The limits and OCR settings an extraction runs under.

Every limit exists because some hostile or broken file would otherwise take the server down:
a 1 GB upload, a ZIP that inflates a thousandfold, a PDF that claims millions of pages, a page
OCR never finishes. The defaults suit the documents a court of audit receives (council papers,
policy notes, reports of a few hundred pages); raise them per call when a real file needs it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

__all__ = ["DEFAULT_LIMITS", "MB", "Limits"]

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Limits for one extraction; all sizes in bytes.

    Attributes
    ----------
    max_bytes : int
        Largest file accepted (100 MB); larger → ``IngestError("too-large")``.
    max_pages : int
        Most pages a PDF may have (5,000); more → ``IngestError("too-many-pages")``.
    max_unzipped_bytes : int
        Most bytes all members of a DOCX/ODT may inflate to together (200 MB).
    max_zip_members : int
        Most members a DOCX/ODT may have (10,000).
    max_zip_ratio : float
        Highest compression ratio a big member may have (100:1); together with the total this
        catches zip bombs before anything is inflated.
    zip_ratio_min_bytes : int
        Members smaller than this (1 MB) are exempt from the ratio check: small XML parts
        legitimately compress very well.
    ocr_min_chars : int
        A PDF page with fewer non-space characters than this (20) and an image on it is OCR'd.
    ocr_languages : str
        Tesseract language list (``"nld+eng"``).
    ocr_dpi : int
        Resolution pages are rendered at for OCR (200; scans are rarely sharper than that).
    ocr_timeout_s : float
        Wall-clock limit for Tesseract on one page (60 s).
    ocr_max_pages : int
        Most pages OCR'd per document (1,000); later image-only pages get method ``"none"``.
    ocr_required : bool
        When True, a page that needs OCR while Tesseract is missing raises
        ``IngestError("ocr-unavailable")`` instead of giving a warning.
    tesseract_cmd : str
        The Tesseract executable (looked up on ``PATH``).
    max_render_pixels : int
        Most pixels a page is rendered to (50 million); bigger pages are rendered at a lower
        resolution so a huge page size cannot exhaust memory.
    """

    max_bytes: int = 100 * MB
    max_pages: int = 5_000
    max_unzipped_bytes: int = 200 * MB
    max_zip_members: int = 10_000
    max_zip_ratio: float = 100.0
    zip_ratio_min_bytes: int = 1 * MB
    ocr_min_chars: int = 20
    ocr_languages: str = "nld+eng"
    ocr_dpi: int = 200
    ocr_timeout_s: float = 60.0
    ocr_max_pages: int = 1_000
    ocr_required: bool = False
    tesseract_cmd: str = "tesseract"
    max_render_pixels: int = 50_000_000

    def to_dict(self) -> dict[str, Any]:
        """The limits as JSON-able values."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Limits:
        """Rebuild limits from :meth:`to_dict` output, ignoring unknown keys."""
        known = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in known})


# Limits is frozen, so one shared default instance is safe as a parameter default.
DEFAULT_LIMITS = Limits()
