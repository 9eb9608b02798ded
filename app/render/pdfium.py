"""PDFium (pypdfium2) in one place: the lock every call into it holds, the page count a converter's PDF is
checked by and the page texts the （续） check reads, so checking and reading a conversion loads no second PDF
library beside the one the preview draws with."""

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


def page_text(page) -> str:
    """A page's text with all whitespace removed (what the （续） check and "follow the field" look for)."""
    textpage = page.get_textpage()
    try:
        return "".join(textpage.get_text_bounded().split())
    finally:
        textpage.close()


def page_texts(pdf: bytes | Path) -> tuple[str, ...]:
    """Each page's text, whitespace removed: PDFium's text layer, a tenth of pypdf's time for the same text."""
    import pypdfium2 as pdfium

    with PDFIUM_LOCK:
        doc = pdfium.PdfDocument(pdf)
        try:
            texts = []
            for i in range(len(doc)):
                page = doc[i]
                texts.append(page_text(page))
                page.close()
            return tuple(texts)
        finally:
            doc.close()
