"""The preview's page images are PDFium's own pixels: drawn straight into QImages through pypdfium2's
`bitmap_maker`, they must equal what pypdfium2 draws into its own bitmap (colours, odd widths, bands)."""

import pypdfium2 as pdfium
import pytest

from app.render.pdf.base import check_pdf
from app.render.pdf.base import ConversionError


@pytest.fixture
def colour_pdf(tmp_path, qapp):
    """One A4 page: a red block, a blue block and black text, written by Qt's PDF writer."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QPageSize, QPainter, QPdfWriter

    path = tmp_path / "colours.pdf"
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setResolution(72)
    p = QPainter(writer)
    p.fillRect(QRectF(40, 40, 200, 120), QColor(220, 30, 30))
    p.fillRect(QRectF(300, 40, 200, 120), QColor(20, 60, 200))
    p.drawText(QRectF(40, 200, 500, 40), 0, "案例信息表 page text")
    p.end()
    return path.read_bytes()


def _rows(image):
    from PySide6.QtGui import QImage

    assert image.format() == QImage.Format.Format_RGB888
    bits = bytes(image.constBits())
    return [bits[y * image.bytesPerLine():y * image.bytesPerLine() + image.width() * 3] for y in range(image.height())]


def _pdfium_rows(pdf, scale, crop=(0, 0, 0, 0)):
    doc = pdfium.PdfDocument(pdf)
    bitmap = doc[0].render(scale=scale, crop=crop, rev_byteorder=True)  # RGB, pypdfium2's own buffer
    raw = bytes(bitmap.buffer)
    rows = [raw[y * bitmap.stride:y * bitmap.stride + bitmap.width * 3] for y in range(bitmap.height)]
    doc.close()
    return rows


@pytest.mark.parametrize("width_px", [101, 560])  # 101 × 3 bytes is not a whole number of 4-byte words
def test_page_images_are_pdfiums_own_pixels(colour_pdf, width_px):
    from app.render.preview import rasterise

    [image] = rasterise(colour_pdf, width_px=width_px)
    assert abs(image.width() - width_px) <= 1  # pypdfium2 rounds the scaled width up
    w_pt = pdfium.PdfDocument(colour_pdf)[0].get_size()[0]
    assert _rows(image) == _pdfium_rows(colour_pdf, width_px / w_pt)
    red = image.pixelColor(round(140 * width_px / w_pt), round(100 * width_px / w_pt))
    assert (red.red(), red.green(), red.blue()) == (220, 30, 30)  # not BGR


def test_page_texts_sizes_and_images_from_one_opening(colour_pdf):
    from app.render.preview import read_pages

    sizes, texts, images = read_pages(colour_pdf, width_px=200)
    assert [round(s) for s in sizes[0]] == [595, 842]
    assert "案例信息表" in texts[0] and len(images) == 1 and abs(images[0].width() - 200) <= 1  # PDFium rounds up
    assert read_pages(colour_pdf)[2] is None  # no images unless asked
    cancelled_sizes, _texts, no_images = read_pages(colour_pdf, width_px=200, cancelled=lambda: True)
    assert cancelled_sizes == sizes and no_images is None
    # Only the pages asked for are drawn (those near the preview's view), the same pixels as when all are.
    _sizes, _texts, some = read_pages(colour_pdf, width_px=200, pages=[])
    assert some == [None]
    _sizes, _texts, some = read_pages(colour_pdf, width_px=200, pages=[0])
    assert some[0] == images[0]


def test_the_continued_check_reads_the_same_page_texts_as_the_preview(colour_pdf, tmp_path):
    """The export's and the preview's （续） check read texts with app/render/pdfium.py, from a file as from bytes."""
    from app.render.pdfium import page_texts
    from app.render.preview import read_pages

    saved = tmp_path / "info.pdf"
    saved.write_bytes(colour_pdf)
    assert page_texts(saved) == page_texts(colour_pdf) == read_pages(colour_pdf)[1]
    assert "案例信息表" in page_texts(saved)[0]


def test_printing_bands_are_pdfiums_own_pixels(colour_pdf):
    from app.render.pdfium import PDFIUM_LOCK
    from app.render.preview import _page_image

    scale, crop = 2.0, (0, 600, 0, 100)  # a band of the page: 100 pt off the top, 600 off the bottom
    with PDFIUM_LOCK:
        doc = pdfium.PdfDocument(colour_pdf)
        band = _page_image(doc[0], scale, crop)
        doc.close()
    assert _rows(band) == _pdfium_rows(colour_pdf, scale, crop)


def test_a_conversion_counts_only_with_a_pdf_pdfium_opens(colour_pdf, tmp_path):
    (tmp_path / "ok.pdf").write_bytes(colour_pdf)
    assert check_pdf(tmp_path / "ok.pdf") == 1
    (tmp_path / "cut.pdf").write_bytes(b"%PDF-1.4\n%")
    with pytest.raises(ConversionError, match="无法打开"):
        check_pdf(tmp_path / "cut.pdf")


def test_a_refresh_renders_with_the_template_parts_compiled_once(qapp):
    """A refresh renders the same template parts again: the second render of a document compiles nothing
    (fails if docxtpl stops compiling its parts through the environment's from_string)."""
    from app.core.casefile import load_case
    from app.render.docx_render import _jinja_env, render_document
    from tests.conftest import SCHOOL_EXAMPLE

    case = load_case(SCHOOL_EXAMPLE)
    first = render_document(case, "info")
    env = _jinja_env()
    hits = env.compiled_hits
    case.set("summary", case.get("summary") + "再改一句")
    second = render_document(case, "info")
    assert env.compiled_hits > hits
    from docx import Document
    import io

    text = "\n".join(c.text for t in Document(io.BytesIO(second.data)).tables for r in t.rows for c in r.cells)
    assert "再改一句" in text and first.data != second.data  # the compiled parts print the new value
