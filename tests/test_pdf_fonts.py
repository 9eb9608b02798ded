"""LibreOffice PDFs in Simplified Chinese faces: the private profile's font replacement table sends 宋体/仿宋 to the
installed serif SC face and 黑体 to the sans SC face, never to the Japanese member of a pan-CJK collection."""

import pytest
from docx import Document
from pypdf import PdfReader

from app.render.fonts import set_fonts
from app.render.pdf.fontcheck import check_fonts
from app.render.pdf.libreoffice import LibreOfficeConverter
from app.render.pdf.lofonts import read_replacements, replacement_table, write_replacements

NOTO = {"Noto Serif CJK SC", "Noto Serif CJK JP", "Noto Sans CJK SC", "Noto Sans CJK JP", "Liberation Serif",
        "DejaVu Sans"}


def test_the_table_names_simplified_chinese_faces_for_missing_fonts_only():
    table = replacement_table(NOTO)
    assert table["宋体"] == table["仿宋_GB2312"] == table["仿宋"] == table["SimSun"] == "Noto Serif CJK SC"
    assert table["黑体"] == table["SimHei"] == "Noto Sans CJK SC"
    assert table["Times New Roman"] == "Liberation Serif"
    assert not any("JP" in face for face in table.values())
    # A PC that has the real fonts draws them: nothing is replaced there.
    assert "宋体" not in replacement_table(NOTO | {"宋体"}) and "黑体" not in replacement_table(NOTO | {"黑体"})


def test_the_table_joins_the_profile_settings_without_losing_them(tmp_path):
    xcu = tmp_path / "user" / "registrymodifications.xcu"
    xcu.parent.mkdir(parents=True)
    xcu.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry">'
                   '<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse">'
                   '<value>false</value></prop></item></oor:items>', encoding="utf-8")
    write_replacements(tmp_path, {"宋体": "Noto Serif CJK SC", "黑体": "Noto Sans CJK SC"})
    write_replacements(tmp_path, {"宋体": "Noto Serif CJK SC"})  # written again: replaced, not added to
    assert read_replacements(tmp_path) == {"宋体": "Noto Serif CJK SC"}
    text = xcu.read_text(encoding="utf-8")
    assert "FirstRun" in text and text.count("/Font/Substitution\"") == 1


def test_the_font_note_names_the_face_the_pdf_uses(tmp_path):
    path = tmp_path / "a.docx"
    doc = Document()
    set_fonts(doc.add_paragraph().add_run("宋体的字")._element.get_or_add_rPr(), "宋体")
    doc.save(path)
    notes = check_fonts([path], installed=set(), replacements={"宋体": "Noto Serif CJK SC"})
    assert [n.substitute for n in notes] == ["Noto Serif CJK SC"]
    assert "Noto Serif CJK SC" in notes[0].message and "衬线" in notes[0].message


def _fonts_of_text(pdf):
    """(text, BaseFont, font object number) for each run of text on every page."""
    seen = []

    def visit(text, _cm, _tm, font, _size):
        if text.strip() and font is not None:
            seen.append((text.strip(), str(font.get("/BaseFont")), font.indirect_reference.idnum))

    for page in PdfReader(str(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return seen


SAMPLE = "骨直角次化"  # characters whose Japanese and Chinese glyph forms differ


@pytest.fixture(scope="module")
def converted(soffice, tmp_path_factory):
    from app.core.casefile import load_case
    from app.render.docx_render import export_docx
    from tests.conftest import SCHOOL_EXAMPLE

    tmp = tmp_path_factory.mktemp("fonts")
    calibration = tmp / "calibration.docx"
    doc = Document()
    for font in ("宋体", "Noto Serif CJK SC", "Noto Serif CJK JP", "黑体", "Noto Sans CJK SC", "Noto Sans CJK JP",
                 "仿宋_GB2312"):
        set_fonts(doc.add_paragraph().add_run(f"{SAMPLE}{font}")._element.get_or_add_rPr(), font, None)
    doc.save(calibration)
    report = next(p for p in export_docx(load_case(SCHOOL_EXAMPLE), tmp / "docs") if p.name.startswith("总结报告"))
    conv = LibreOfficeConverter(soffice, profile_dir=tmp / "profile")
    pdfs = conv.convert([calibration, report], tmp / "pdf")
    return conv, pdfs


def test_chinese_font_names_are_drawn_with_the_simplified_chinese_members(converted):
    """In one PDF, 宋体 and 仿宋_GB2312 use the very font LibreOffice embeds for Noto Serif CJK SC and 黑体 the one for
    Noto Sans CJK SC, never the JP members (whose glyph forms of 骨直角次化 differ). Debian's Noto CJK collections
    share one CFF table named after their first (JP) member, so the embedded PostScript names all read
    "…CJKjp…": the font objects, not the names, tell the members apart."""
    conv, (pdf, _) = converted
    assert conv.font_table()["宋体"] == "Noto Serif CJK SC" and conv.font_table()["黑体"] == "Noto Sans CJK SC"
    chunks = [(text, obj) for text, _name, obj in _fonts_of_text(pdf)]
    named = {text[len(SAMPLE):]: obj for text, obj in chunks if text.startswith(SAMPLE) and text != SAMPLE}
    # An explicit Noto run: the sample is a chunk of its own, followed by the (Latin) font name.
    explicit = {chunks[i + 1][0]: chunks[i][1] for i in range(len(chunks) - 1) if chunks[i][0] == SAMPLE}
    assert named["宋体"] == explicit["Noto Serif CJK SC"] != explicit["Noto Serif CJK JP"]
    assert named["仿宋"] == explicit["Noto Serif CJK SC"]
    assert named["黑体"] == explicit["Noto Sans CJK SC"] != explicit["Noto Sans CJK JP"]


def test_the_report_has_a_serif_body_and_a_sans_first_level_heading(converted):
    _, (_, report) = converted
    runs = _fonts_of_text(report)
    heading = [name for text, name, _ in runs if text.startswith("一、研修概况")]
    body = [name for text, name, _ in runs if len(text) > 20 and not text.startswith(("一、", "二、", "三、", "四、", "五、"))]
    assert heading and all("Sans" in name for name in heading)
    assert body and all("Serif" in name for name in body)
