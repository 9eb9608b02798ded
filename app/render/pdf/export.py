"""PDFs of a case's documents: font check, conversion, metadata, embedded-font check and the print packet."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from app.core.model import Case
from app.render.docx_render import safe_filename
from app.render.pdf.base import ConversionError, Converter, Progress, convert_each
from app.render.pdf.fontcheck import FontNote, check_fonts, with_fonts_replaced
from app.render.pdf.postprocess import Packet, fonts_not_embedded, with_metadata


@dataclass
class PdfExport:
    pdfs: list[Path]
    packet: Path | None
    converter: str
    font_notes: list[FontNote] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    pages: dict[str, int] = field(default_factory=dict)  # file name → page count, packet included


def first_author(case: Case) -> str:
    authors = case.get("authors") if case.form.has_field("authors") else []
    return authors[0].get("name", "") if authors else ""


def export_pdfs(case: Case, docx_files: list[Path], out_dir: Path, converter: Converter, *,
                fangsong_for_gb2312: bool = True, packet: bool = True, packet_all: bool = True,
                progress: Progress | None = None, keep: tuple[str, ...] | None = None) -> PdfExport:
    """docx_files are the form's documents in its order (the info sheet, plan and report). PDFs of the documents in
    `keep` (all where not given) are written to out_dir; the print packet (the info sheet, then the plan and the
    report when `packet_all`) is written when `packet` is set. out_dir is the staging folder of an export set
    (app/render/outset.py), which makes the files durable and the set all-or-nothing when it commits: the files are
    written into it plainly."""
    from pypdf import PdfReader

    out_dir = Path(out_dir)
    keys = [d.key for d in case.form.documents]
    keep = tuple(keys) if keep is None else keep
    notes = check_fonts(docx_files, fangsong_for_gb2312=fangsong_for_gb2312,
                        replacements=getattr(converter, "font_table", dict)())  # LibreOffice's table
    mapping = {n.requested: n.substitute for n in notes if n.use_alternative}
    theme = case.name_text
    with tempfile.TemporaryDirectory(prefix="yanxiu-pdf-") as tmp:
        tmp_dir = Path(tmp)
        sources = []
        for src in docx_files:
            copy = tmp_dir / src.name
            if mapping:
                with_fonts_replaced(src, mapping, copy)
            else:
                shutil.copyfile(src, copy)
            sources.append(copy)
        from app.render.continued import settle_documents, table_fields
        from app.render.pdfium import page_texts

        # Each PDF is read once, as soon as it is there (LibreOffice converts the next document meanwhile): its
        # metadata, embedded fonts, page count and its pages in the packet all come from one reader, and a document
        # with a tool table has its page texts read for the （续） check.
        author = first_author(case)
        done: dict[int, tuple[Path, PdfReader, bytes, set[str]]] = {}
        texts: dict[str, tuple[str, ...]] = {}
        in_packet = (len(keys) if packet_all else 1) if packet else 0  # the packet: the first documents
        packet_parts = Packet()

        def read_back(i: int, pdf: Path) -> None:
            key, doc = keys[i], case.form.document(keys[i])
            reader = PdfReader(str(pdf))
            data = with_metadata(reader, title=f"{doc.title}：{theme}" if theme else doc.title, author=author,
                                 subject=case.form.title)
            done[i] = (Path(pdf), reader, data, fonts_not_embedded(reader))
            if table_fields(case, key):
                texts[key] = page_texts(Path(pdf))
            if i < in_packet and i == len(packet_parts):  # in order; a second rendering comes after the batch
                packet_parts.add(reader)

        pdfs = convert_each(converter, sources, tmp_dir / "pdf", progress, read_back)
        # A tool table crossing a page: the Word file is rendered again with the category split there, and converted
        # again (app/render/continued.py); the Word file delivered is the one converted.
        pdfs = settle_documents(case, keys, docx_files, pdfs, converter, tmp_dir / "again", fonts=mapping,
                                texts=texts)
        for i, pdf in enumerate(pdfs):
            if done[i][0] != Path(pdf):
                read_back(i, pdf)
        readers = [done[i][1] for i in range(len(pdfs))]
        warnings = []
        written = []
        pages = {}
        out_dir.mkdir(parents=True, exist_ok=True)
        for i, (key, pdf) in enumerate(zip(keys, pdfs)):
            doc = case.form.document(key)
            _path, reader, data, loose = done[i]
            if loose:
                warnings.append(f"《{doc.title}》的PDF中有字体没有嵌入（{'、'.join(sorted(loose))}），在别的电脑上可能显示不同。")
            pages[pdf.name] = len(reader.pages)
            if key in keep:
                target = out_dir / pdf.name
                target.write_bytes(data)
                written.append(target)
        packet_path = None
        if packet:
            included = readers[:in_packet]
            packet_path = out_dir / (safe_filename("打印包", theme) + ".pdf")
            packet_path.write_bytes(packet_parts.finish(included, title=f"{case.form.title}打印包：{theme}",
                                                        author=author))
            pages[packet_path.name] = sum(len(r.pages) for r in included)
        info_pages = pages[pdfs[0].name]
        if info_pages > 2:
            warnings.append(f"《{case.form.document('info').title}》有{info_pages}页，签字盖章时请注意每页都要完整。")
    return PdfExport(written, packet_path, converter.name, notes, warnings, pages)
