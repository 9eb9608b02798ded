"""Page images of a case's documents made the way the export makes them (docxtpl → the PDF converter → PDFium),
for the live preview, printing and `yanxiu preview`; QtGui only (QImage), no widgets."""

from __future__ import annotations

import json
import math
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from app.core.model import Case
from app.render.pdf.base import ConversionError, Converter, convert_each
from app.render.pdfium import PDFIUM_LOCK, page_text


def doc_keys(form) -> tuple[str, ...]:
    """The form's documents in their order (the definition checks it: info, plan, report, or the info sheet alone
    for 附件3)."""
    return tuple(d.key for d in form.documents)


SCREEN_DPI = 96.0
# The font check's answer depends only on the font names the templates ask for and the fonts installed; asking
# fontconfig again at every refresh would cost more than converting a page. (A font installed while the app runs
# is seen at the next start, or by the next export, which checks afresh.)
_FONT_NOTES: dict[tuple[frozenset[str], bool, str], list] = {}  # per converter: LibreOffice names its table's faces
Cancelled = Callable[[], bool]


class PreviewCancelled(Exception):
    """A newer edit made this refresh pointless; nothing it produced is used."""


@dataclass(frozen=True)
class DocPages:
    """One document as converted: its PDF, page sizes in points and each page's text (for finding a field)."""

    key: str
    title: str
    content_key: str
    pdf: bytes = field(repr=False)
    sizes: tuple[tuple[float, float], ...]
    texts: tuple[str, ...] = field(repr=False)  # whitespace removed, so text split across lines still matches

    @property
    def count(self) -> int:
        return len(self.sizes)


@dataclass
class Conversion:
    docs: dict[str, DocPages]
    font_notes: list[str] = field(default_factory=list)
    converter: str = ""
    images: dict[str, list] = field(default_factory=dict)  # doc key → page images, for the document asked for


# ---------------------------------------------------------------- what changed

def _plain(value: Any) -> Any:
    """A JSON-able picture of a template value: text as the XML it prints, RichText by its XML, rows as lists."""
    if isinstance(value, str):  # Markup is a str
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in sorted(value.items())}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    xml = getattr(value, "xml", None)  # docxtpl RichText
    if isinstance(xml, str):
        return ["rich", xml]
    return repr(value)


def content_keys(case: Case) -> dict[str, str]:
    """A fingerprint per document of everything its template prints, except the footer's version code (it is
    derived from the whole case, so it would make every document change with every edit). The report's key does
    not move when the info sheet is edited, so its pages are not rendered again."""
    import hashlib  # with the first preview, not when the wizard opens: OpenSSL is 3 MB resident

    from app.render.context import build_context

    keys = {}
    for doc in doc_keys(case.form):
        try:
            ctx = build_context(case, doc, lambda stages: ["flowchart", stages], "")
            ctx.pop("version_code", None)
            payload = json.dumps([case.case_type, doc, _plain(ctx)], ensure_ascii=False, sort_keys=True)
        except Exception:  # noqa: BLE001 - a value the context cannot take: render it (and show the error) anyway
            payload = json.dumps([case.case_type, doc, repr(case.values)], ensure_ascii=False, default=repr)
        keys[doc] = hashlib.sha256(payload.encode("utf-8")).hexdigest()
    return keys


# ---------------------------------------------------------------- converting

def _check(cancelled: Cancelled | None) -> None:
    if cancelled is not None and cancelled():
        raise PreviewCancelled()


# What convert_documents and rasterise import: the UI imports them ahead, one at a time (app/ui/preview.py).
LIBRARIES = ("lxml.etree", "docx", "jinja2", "jinja2.sandbox", "docxtpl", "pypdfium2", "app.render.docx_render",
             "app.render.pdf.fontcheck", "app.render.continued")


def convert_documents(case: Case, docs: Iterable[str], converter: Converter, *, fangsong_for_gb2312: bool = True,
                      keys: dict[str, str] | None = None, cancelled: Cancelled | None = None,
                      images_of: str | None = None, width_px: int | None = None,
                      image_pages: Iterable[int] | None = None) -> Conversion:
    """Render the given documents with docxtpl, convert them in one call of the export's converter (the same font
    substitutions as the export) and read their pages; with `images_of`, that document's page images too
    (`width_px` wide; only `image_pages`, 0-based, where given, the others None), drawn while its PDF is open
    anyway. Raises RenderError, ConversionError or PreviewCancelled."""
    from app.render.context import version_code
    from app.render.docx_render import render_document
    from app.render.pdf.fontcheck import check_fonts, requested_east_asian, with_fonts_replaced

    docs = [d for d in doc_keys(case.form) if d in set(docs)]
    keys = keys or content_keys(case)
    code = version_code(case)
    rendered = [render_document(case, d, code) for d in docs]
    _check(cancelled)
    with tempfile.TemporaryDirectory(prefix="yanxiu-preview-") as tmp:
        tmp_dir = Path(tmp)
        files = []
        for r in rendered:
            path = tmp_dir / f"{r.doc_key}.docx"
            path.write_bytes(r.data)
            files.append(path)
        wanted = (frozenset(requested_east_asian(files)), fangsong_for_gb2312, getattr(converter, "name", ""))
        notes = _FONT_NOTES.get(wanted)
        if notes is None:
            notes = _FONT_NOTES[wanted] = check_fonts(files, fangsong_for_gb2312=fangsong_for_gb2312,
                                                      replacements=getattr(converter, "font_table", dict)())
        mapping = {n.requested: n.substitute for n in notes if n.use_alternative}
        if mapping:
            for i, src in enumerate(files):
                files[i] = with_fonts_replaced(src, mapping, tmp_dir / "fonts" / src.name)
        out, images = {}, {}

        def read(r, pdf) -> None:
            data = Path(pdf).read_bytes()
            wanted = width_px if r.doc_key == images_of else None
            sizes, texts, imgs = read_pages(data, width_px=wanted, cancelled=cancelled, pages=image_pages)
            out[r.doc_key] = DocPages(r.doc_key, r.title, keys[r.doc_key], data, sizes, texts)
            if imgs is not None:
                images[r.doc_key] = imgs

        def ready(i, pdf) -> None:
            _check(cancelled)  # raised once the converter has read the batch's remaining answers
            read(rendered[i], pdf)

        # Each PDF is read as soon as it is there, while LibreOffice converts the next document.
        pdfs = convert_each(converter, files, tmp_dir / "pdf", None, ready)
        _check(cancelled)
        from app.render.continued import settle_documents

        # As the export does: a tool table crossing a page is split there and labelled （续）. The page texts just
        # read serve its first look; only a document rendered again is read again.
        settled = settle_documents(case, [r.doc_key for r in rendered], [tmp_dir / f"{r.doc_key}.docx" for r in rendered],
                                   pdfs, converter, tmp_dir / "again", fonts=mapping, code=code,
                                   texts={k: d.texts for k, d in out.items()})
        for r, before, after in zip(rendered, pdfs, settled):
            if Path(after) != Path(before):
                read(r, after)
    return Conversion(out, [n.message for n in notes], getattr(converter, "name", ""), images)


def read_pages(pdf: bytes, *, width_px: int | None = None, cancelled: Cancelled | None = None,
               pages: Iterable[int] | None = None) -> tuple:
    """Page sizes (points) and texts (whitespace removed) of a PDF, opened once; with `width_px`, also each
    page's image that wide (else None), or only those of `pages` (0-based; None for the others)."""
    drawn = None if pages is None else set(pages)
    import pypdfium2 as pdfium

    with PDFIUM_LOCK:
        doc = pdfium.PdfDocument(pdf)
        try:
            sizes, texts, images = [], [], ([] if width_px else None)
            for i in range(len(doc)):
                page = doc[i]
                w_pt, h_pt = page.get_size()
                sizes.append((w_pt, h_pt))
                texts.append(page_text(page))
                if images is not None and cancelled is not None and cancelled():
                    images = None  # a newer edit: its refresh draws the pages; these sizes and texts still hold
                if images is not None:
                    images.append(_page_image(page, width_px / w_pt) if drawn is None or i in drawn else None)
                page.close()
        finally:
            doc.close()
    return tuple(sizes), tuple(texts), images


# ---------------------------------------------------------------- page images

def rasterise(pdf: bytes | Path, *, dpi: float = SCREEN_DPI, width_px: int | None = None,
              pages: Iterable[int] | None = None, cancelled: Cancelled | None = None) -> list:
    """QImages (RGB888) of the pages, at `dpi` or so that each page is `width_px` wide."""
    import pypdfium2 as pdfium

    images = []
    with PDFIUM_LOCK:
        doc = pdfium.PdfDocument(pdf)
        try:
            for i in (range(len(doc)) if pages is None else pages):
                if cancelled is not None and cancelled():
                    raise PreviewCancelled()
                page = doc[i]
                w_pt, _ = page.get_size()
                images.append(_page_image(page, width_px / w_pt if width_px else dpi / 72.0))
                page.close()
        finally:
            doc.close()
    return images


def _page_image(page, scale: float, crop: tuple = (0, 0, 0, 0)):
    """A page drawn by PDFium straight into a QImage's pixels (RGB888), through pypdfium2's documented
    `bitmap_maker`: no second buffer to zero-fill and copy from. The caller holds PDFIUM_LOCK."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c
    from PySide6.QtGui import QImage

    made = []

    def into_qimage(width, height, format, rev_byteorder):  # noqa: A002 - pypdfium2's keyword names
        if format != pdfium_c.FPDFBitmap_BGR or not rev_byteorder:  # RGB888 is what QImage is given below
            raise ValueError(f"PDFium was asked for bitmap format {format} (reversed: {rev_byteorder}), not RGB")
        image = QImage(width, height, QImage.Format.Format_RGB888)
        pixels = (ctypes.c_ubyte * image.sizeInBytes()).from_buffer(image.bits())
        made.append(image)
        return pdfium.PdfBitmap.new_native(width, height, format, rev_byteorder, buffer=pixels,
                                           stride=image.bytesPerLine())

    page.render(scale=scale, crop=crop, rev_byteorder=True, bitmap_maker=into_qimage).close()
    return made[0]


def paint_pdf(pdf: bytes | Path, device, *, pages: Iterable[int] | None = None, band_px: int = 1024,
              cancelled: Cancelled | None = None) -> int:
    """Draw pages of a PDF (numbered from 1, as in a print dialog; all by default) onto a paged device (QPrinter,
    QPdfWriter) at the device's own resolution, in bands, so that a 1200 dpi printer never needs a 400 MB page in
    memory. The caller has set the device to full page (the PDF carries its margins). Returns the pages drawn."""
    import pypdfium2 as pdfium
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QPainter

    painter = QPainter()
    drawn = 0
    with PDFIUM_LOCK:
        doc = pdfium.PdfDocument(pdf)
        try:
            numbers = [n for n in (range(1, len(doc) + 1) if pages is None else pages) if 1 <= n <= len(doc)]
            if not numbers:
                return 0
            if not painter.begin(device):
                raise ConversionError("无法开始打印：打印机没有响应，请检查打印机后重试。")
            try:
                for number in numbers:
                    if cancelled is not None and cancelled():
                        raise PreviewCancelled()
                    if drawn:
                        device.newPage()
                    page = doc[number - 1]
                    w_pt, h_pt = page.get_size()
                    area = painter.viewport()  # the paper, in device pixels
                    scale = min(area.width() / w_pt, area.height() / h_pt)
                    w_px, h_px = round(w_pt * scale), round(h_pt * scale)
                    x0 = area.x() + (area.width() - w_px) / 2
                    y = 0
                    while y < h_px:
                        y1 = min(h_px, y + band_px)
                        crop = (0, (h_px - y1) / scale, 0, y / scale)  # points cut off left, bottom, right, top
                        band = _page_image(page, scale, crop)
                        painter.drawImage(QRectF(x0, area.y() + y, w_px, y1 - y), band)
                        y = y1
                    page.close()
                    drawn += 1
            finally:
                painter.end()
        finally:
            doc.close()
    return drawn


# ---------------------------------------------------------------- where a field lands

def _needle(text: str, size: int = 14) -> str:
    return "".join(text.split())[:size]


def page_of(doc: DocPages, case: Case, key: str) -> int | None:
    """The 0-based page of `doc` where field `key` is printed: found by its text, else by its label."""
    f = case.form.field(key)
    value = case.get(key)
    probes = []
    if isinstance(value, str) and value.strip():
        probes.append(_needle(value))
    elif isinstance(value, list) and value and isinstance(value[0], str):
        probes.append(_needle(value[0]))
    elif isinstance(value, list) and value and isinstance(value[0], dict):
        first = next((v for v in value[0].values() if isinstance(v, str) and v.strip()), "")
        if first:
            probes.append(_needle(first))
    if f.label:
        probes.append(_needle(f.label, 10))
    for probe in probes:
        if len(probe) < 2:
            continue
        for i, text in enumerate(doc.texts):
            if probe in text:
                return i
    return None


# ---------------------------------------------------------------- without a converter

def estimate_pages(case: Case, doc_key: str) -> int:
    """A page count from the text alone, for when no converter can say: the report by its GB/T 9704 grid (28
    characters × 22 lines), the tables by their rows and the text in them (calibrated on the examples)."""
    from app.core.printed import report_blocks

    if case.form.document(doc_key).layout == "report":
        lines = sum(max(1, math.ceil(len(b.text) / 28)) for b in report_blocks(case))
        return max(1, math.ceil(lines / 22))
    lines = 14.0 if doc_key == "info" else 0.0  # the 作者声明 and 单位意见 row keeps room to sign and stamp
    for key in case.form.document(doc_key).field_keys:
        value = case.get(key)
        kind = case.form.field(key).kind
        if kind == "text":
            lines += sum(max(1, math.ceil(len(p) / 34)) for p in value.split("\n")) + 1
        elif kind in ("table", "stages"):
            lines += 2 * (len(value) + 1) + (18 if kind == "stages" and value else 0)
        elif kind == "checklist":
            lines += len(case.form.checklist(case.form.field(key)).rows) + 1
        elif kind == "multi":
            lines += 3
        else:
            lines += 1.5
    return max(1, math.ceil(lines / 44))


# ---------------------------------------------------------------- print packet and page files

def packet_pdf(case: Case, converter: Converter, out: Path, *, packet_all: bool = True,
               fangsong_for_gb2312: bool = True) -> tuple[Path, list[int]]:
    """The 打印包 rendered fresh (one version code on every page): the info sheet first, then, with `packet_all`,
    the plan and the report. Returns its path and the page count of each document in it."""
    from app.render.pdf.export import first_author
    from app.render.pdf.postprocess import print_packet

    docs = doc_keys(case.form) if packet_all else ("info",)
    conv = convert_documents(case, docs, converter, fangsong_for_gb2312=fangsong_for_gb2312)
    with tempfile.TemporaryDirectory(prefix="yanxiu-packet-") as tmp:
        paths = []
        for d in docs:
            p = Path(tmp) / f"{d}.pdf"
            p.write_bytes(conv.docs[d].pdf)
            paths.append(p)
        theme = case.name_text
        print_packet(paths[0], paths[1:], Path(out), title=f"{case.form.title}打印包：{theme}",
                     author=first_author(case))
    return Path(out), [conv.docs[d].count for d in docs]


def write_page_images(case: Case, out_dir: Path, converter: Converter, *, dpi: float = SCREEN_DPI,
                      name: Callable[[str, str, int], str] | None = None,
                      fangsong_for_gb2312: bool = True) -> list[Path]:
    """Every page of the three documents as PNG (the preview's renderer); names default to 案例信息表-1.png
    (`name(doc_key, file_stem, page_number)`)."""
    name = name or (lambda _key, stem, n: f"{stem}-{n}.png")
    conv = convert_documents(case, doc_keys(case.form), converter, fangsong_for_gb2312=fangsong_for_gb2312)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for d in doc_keys(case.form):
        doc = conv.docs[d]
        for n, image in enumerate(rasterise(doc.pdf, dpi=dpi), start=1):
            target = out_dir / name(d, case.form.document(d).file_stem, n)
            if not image.save(str(target), "PNG"):
                raise OSError(f"无法写入“{target}”。")
            written.append(target)
    return written


def main_preview(case_path: Path, out_dir: Path, *, dpi: float = SCREEN_DPI) -> int:
    """`yanxiu preview`: exit 0 with the PNGs, 2 when the case cannot be read, 3 when rendering failed, 4 without a
    PDF converter."""
    from app.core.casefile import CaseFileError, load_case
    from app.core.settings import load_settings
    from app.render.diagram import ensure_gui_app
    from app.render.docx_render import RenderError
    from app.render.pdf.select import NO_CONVERTER_MESSAGE, choose_converter

    if not 10 <= dpi <= 600:
        print("--dpi 应在10到600之间。", file=sys.stderr)
        return 2
    try:
        case = load_case(case_path)
    except CaseFileError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    ensure_gui_app()  # QImage needs no display, the flowchart's text does
    settings = load_settings()
    converter = choose_converter(settings, keep_warm=False)
    if converter is None:
        print(NO_CONVERTER_MESSAGE.replace("Word文件已经生成，可以直接上传。", ""), file=sys.stderr)
        for d in doc_keys(case.form):
            print(f"{case.form.document(d).title}：约{estimate_pages(case, d)}页（估计）", file=sys.stderr)
        return 4
    try:
        written = write_page_images(case, out_dir, converter, dpi=dpi,
                                    fangsong_for_gb2312=settings.fangsong_for_gb2312)
    except (RenderError, ConversionError, OSError) as exc:
        print(f"生成页面图片失败：{exc}", file=sys.stderr)
        return 3
    finally:
        converter.close()
    for p in written:
        print(p)
    return 0


__all__ = ["doc_keys", "DocPages", "Conversion", "PreviewCancelled", "content_keys", "convert_documents",
           "rasterise", "paint_pdf", "page_of", "estimate_pages", "packet_pdf", "write_page_images", "main_preview"]
