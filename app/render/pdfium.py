"""PDFium (pypdfium2) in one place: the lock every call into it holds, and the page count a converter's PDF is
checked by, so checking a conversion loads no second PDF library beside the one the preview draws with."""

from __future__ import annotations

import threading
from pathlib import Path

# PDFium is not thread-safe, not even for different documents: every call into it holds this lock.
PDFIUM_LOCK = threading.Lock()


def page_count(pdf: bytes | Path) -> int:
    """Pages of a PDF as PDFium reads it; raises pypdfium2's PdfiumError when PDFium cannot open it."""
    import pypdfium2 as pdfium

    with PDFIUM_LOCK:
        doc = pdfium.PdfDocument(pdf)
        try:
            return len(doc)
        finally:
            doc.close()
