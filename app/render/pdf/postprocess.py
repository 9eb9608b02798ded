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
    packet = Packet()
    for pdf in documents:
        packet.add(pdf)
    return packet.finish(documents, title=title, author=author)


class Packet:
    """The print packet built as its documents come: each appended when it is read back, while LibreOffice converts
    the next, so that only the last one and the writing are left once the conversion ends."""

    def __init__(self) -> None:
        self._writer = PdfWriter()
        self._added: list[PdfReader] = []

    def __len__(self) -> int:
        return len(self._added)

    def add(self, pdf: PdfReader) -> None:
        self._writer.append(pdf)
        self._added.append(pdf)

    def finish(self, documents: list[PdfReader], *, title: str, author: str) -> bytes:
        """The packet of `documents`, in that order: what was appended when it is exactly those, else built again
        from them (a document rendered and converted a second time, app/render/continued.py)."""
        if len(self._added) != len(documents) or any(a is not b for a, b in zip(self._added, documents)):
            return packet_bytes(documents, title=title, author=author)
        self._writer.add_metadata({"/Title": title, "/Author": author, "/Creator": APP_TITLE})
        buf = io.BytesIO()
        self._writer.write(buf)
        return buf.getvalue()


def print_packet(first: Path, others: list[Path], out: Path, *, title: str, author: str) -> Path:
    """The print packet of PDFs on disk, written atomically to `out`."""
    atomic_write_bytes(out, packet_bytes([PdfReader(str(p)) for p in (first, *others)], title=title, author=author))
    return out
