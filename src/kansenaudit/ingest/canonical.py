# SPDX-License-Identifier: EUPL-1.2
"""The canonical-text invariant: one plain text per page that every offset points into.

Citations, search hits and qualitative coding (REFI-QDA ``startPosition``/``endPosition``) all
store character offsets into a page's text. Offsets only stay valid when every tool that reads
the page sees exactly the same characters, so each extractor hands its raw text to
:func:`canonicalise` and nothing else is stored. A canonical page text

* is a Python ``str`` that encodes to UTF-8 without error (no lone surrogates);
* is in Unicode normalisation form NFC (``"e\\u0301"`` becomes ``"é"``);
* uses ``"\\n"`` as its only line break: ``"\\r\\n"`` and ``"\\r"`` become ``"\\n"``, and so do
  the other characters :meth:`str.splitlines` treats as line breaks (vertical tab, ``U+0085``,
  ``U+2028``, ``U+2029``), so that ``text.split("\\n") == text.splitlines()`` always holds;
* has no NUL or other C0 control character except ``"\\n"`` and ``"\\t"``, no DEL, no C1
  control character and no byte-order mark (``U+FEFF``);
* has no form feed: form feeds separate pages, so they never occur inside one;
* has no trailing whitespace on any line;
* has no blank lines at its start or end (leading spaces of the first line are kept).

Offsets are Python ``str`` indices, i.e. Unicode code points, into that canonical text: not
bytes, not UTF-16 code units. ``text[start:end]`` is the quoted passage. The same input bytes
always give the same text: :func:`canonicalise` is a pure function, and it is idempotent
(``canonicalise(canonicalise(x)) == canonicalise(x)``).

Examples
--------
>>> canonicalise("\\ufeff\\r\\n  Titel \\r\\nCafe\\u0301\\x00 \\n\\n")
'  Titel\\nCafé'
>>> text_sha256("Café") == text_sha256("Cafe\\u0301")
False
>>> is_canonical(canonicalise("a\\fb"))
True
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

__all__ = ["canonicalise", "is_canonical", "text_sha256"]

# Characters str.splitlines() treats as line boundaries become "\n", so offsets computed by
# splitting on "\n" and by splitlines() agree.
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x85\u2028\u2029]")
# C0 controls except \t and \n (\r and \v became \n above), DEL, C1 controls, the BOM /
# zero-width no-break space, and lone surrogates (they cannot be encoded as UTF-8). The form
# feed is in this set: it only ever separates pages, and the page splitters consumed it already.
_REMOVE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\ud800-\udfff]")
_TRAILING_SPACE = re.compile(r"[^\S\n]+$", re.MULTILINE)


def canonicalise(text: str) -> str:
    """Return the canonical form of one page's text (see the module docstring).

    Parameters
    ----------
    text : str
        Raw text of one page, as an extractor produced it.

    Returns
    -------
    str
        The canonical page text. Pure and idempotent.

    Examples
    --------
    >>> canonicalise("regel 1  \\r\\nregel 2\\t\\n\\n\\n")
    'regel 1\\nregel 2'
    """
    text = _LINE_BREAKS.sub("\n", text)
    text = _REMOVE.sub("", text)
    text = unicodedata.normalize("NFC", text)
    text = _TRAILING_SPACE.sub("", text)
    # Strip blank lines, not indentation: the first line may be indented on purpose.
    lines = text.split("\n")
    start = 0
    while start < len(lines) and not lines[start]:
        start += 1
    end = len(lines)
    while end > start and not lines[end - 1]:
        end -= 1
    return "\n".join(lines[start:end])


def is_canonical(text: str) -> bool:
    """Whether ``text`` already satisfies the canonical-text invariant.

    Examples
    --------
    >>> is_canonical("a\\r\\nb")
    False
    """
    return canonicalise(text) == text


def text_sha256(text: str) -> str:
    """SHA-256 (hex) of the UTF-8 encoding of ``text``: the fingerprint of a canonical text.

    Examples
    --------
    >>> text_sha256("")[:12]
    'e3b0c44298fc'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
