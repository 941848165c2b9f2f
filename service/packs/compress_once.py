"""Deflate what every pack embeds (font subsets, shared pages) once per process, not once per pack.

Each pack is its own PDF, so ReportLab would compress the same font programs and shared-page streams again
for every pack: most of the difference between drawing packs one PDF each and many to one PDF. The bytes
are the same either way (zlib is deterministic), so a pack renders identically with or without this.
"""

from __future__ import annotations

import zlib
from functools import lru_cache

from reportlab.pdfbase import pdfdoc

# The streams that repeat: two fonts' subsets and programs' tables, a layout's shared pages. A pack's own
# page contents never repeat and simply pass through, pushing nothing useful out of a cache this size.
_REPEATING = 128


@lru_cache(maxsize=_REPEATING)
def _deflate(data: bytes) -> bytes:
    return zlib.compress(data)


class DeflateOnce(pdfdoc.PDFStreamFilterZCompress):
    """ReportLab's Flate filter, remembering its output for the streams every pack repeats."""

    def encode(self, text):
        return _deflate(text.encode("utf8") if isinstance(text, str) else bytes(text))


DEFLATE_ONCE = DeflateOnce()
