"""After converting: PDF metadata, a check that fonts are embedded, page counts, and the print packet (pypdf)."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

from app import APP_TITLE
from app.core.atomic import atomic_write_bytes


def with_metadata(pdf: PdfReader, *, title: str, author: str, subject: str) -> bytes:
    """The document with the export's title, author and subject."""
    writer = PdfWriter(clone_from=pdf)
    writer.add_metadata({"/Title": title, "/Author": author, "/Subject": subject, "/Creator": APP_TITLE})
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def fonts_not_embedded(pdf: Path | PdfReader) -> set[str]:
    """Base names of fonts used without an embedded font program (/FontFile, /FontFile2 or /FontFile3)."""
    missing: set[str] = set()
    for page in (pdf if isinstance(pdf, PdfReader) else PdfReader(str(pdf))).pages:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources is not None else None
        if fonts is None:
            continue
        for ref in fonts.get_object().values():
            font = ref.get_object()
            if font.get("/Subtype") == "/Type3":
                continue  # glyphs are drawn by the PDF itself
            descriptor_owner = font
            if font.get("/Subtype") == "/Type0":
                descriptor_owner = font["/DescendantFonts"][0].get_object()
            desc = descriptor_owner.get("/FontDescriptor")
            desc = desc.get_object() if desc is not None else None
            if desc is None or not any(NameObject(k) in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                missing.add(str(font.get("/BaseFont", "?")))
    return missing


def packet_bytes(documents: list[PdfReader], *, title: str, author: str) -> bytes:
    """One PDF to print: the info sheet (the page to sign and stamp) first, then the other documents."""
    writer = PdfWriter()
    for pdf in documents:
        writer.append(pdf)
    writer.add_metadata({"/Title": title, "/Author": author, "/Creator": APP_TITLE})
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def print_packet(first: Path, others: list[Path], out: Path, *, title: str, author: str) -> Path:
    """The print packet of PDFs on disk, written atomically to `out`."""
    atomic_write_bytes(out, packet_bytes([PdfReader(str(p)) for p in (first, *others)], title=title, author=author))
    return out
