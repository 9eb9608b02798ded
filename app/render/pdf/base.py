"""What every PDF converter offers, so the export code never cares which office suite is installed."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Protocol

Progress = Callable[[int, int, str], None]  # (done, total, message)


class ConversionError(Exception):
    """A conversion failed; str() is a Chinese message that says what to do."""


class Converter(Protocol):
    name: str  # shown to teachers: "Microsoft Word", "WPS Office", "LibreOffice"

    def convert(self, docx_files: list[Path], out_dir: Path, progress: Progress | None = None) -> list[Path]:
        """Convert all files in one go; returns the PDFs in the same order. Raises ConversionError."""
        ...

    def close(self) -> None:
        """Release the office process this converter keeps (if any)."""
        ...


def convert_each(converter: Converter, docx_files: list[Path], out_dir: Path, progress: Progress | None,
                 ready: Callable[[int, Path], None]) -> list[Path]:
    """converter.convert, with ready(i, pdf) called for each PDF on this thread: as soon as it is there where the
    converter can say so (LibreOffice's warm session, which converts the next document meanwhile, so reading a
    PDF back overlaps the conversion), else after the batch."""
    if getattr(converter, "hands_over_each", False):
        return converter.convert(docx_files, out_dir, progress, ready=ready)
    pdfs = converter.convert(docx_files, out_dir, progress)
    for i, pdf in enumerate(pdfs):
        ready(i, pdf)
    return pdfs


def check_pdf(path: Path) -> int:
    """A conversion counts only if it left a non-empty PDF that PDFium (the preview's and the printout's renderer)
    can open; returns its page count. (pypdf, which writes the export's metadata and packet, loads only when an
    export needs it: the preview's refreshes never do.)"""
    from pypdfium2 import PdfiumError

    from app.render.pdfium import page_count

    if not path.is_file() or path.stat().st_size == 0:
        raise ConversionError(f"转换没有生成“{path.name}”。")
    try:
        pages = page_count(path)
    except (PdfiumError, OSError, ValueError) as exc:
        from app.core.oserrors import explain

        why = explain(exc) if isinstance(exc, OSError) else str(exc)
        raise ConversionError(f"生成的“{path.name}”无法打开（{why}）。") from exc
    if pages == 0:
        raise ConversionError(f"生成的“{path.name}”没有任何页面。")
    return pages
