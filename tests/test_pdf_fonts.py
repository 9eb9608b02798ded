"""LibreOffice PDFs in Simplified Chinese faces: the private profile's font replacement table sends 宋体/仿宋 to the
installed serif SC face and 黑体 to the sans SC face, never to the Japanese member of a pan-CJK collection."""

import pytest
from docx import Document
from pypdf import PdfReader

from app.render.fonts import set_fonts
from app.render.pdf.fontcheck import check_fonts
from app.render.pdf.libreoffice import LibreOfficeConverter
from app.render.pdf import scfaces
from app.render.pdf.lofonts import read_replacements, replacement_table, write_replacements
from tests.conftest import REQUIRE_LIBREOFFICE

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
    profile = tmp_path / "lo-profile"  # tmp_path/"user" is the test's own user folders (conftest.user_folders)
    xcu = profile / "user" / "registrymodifications.xcu"
    xcu.parent.mkdir(parents=True)
    # As LibreOffice writes it: types named in attribute values (xs:string), so the xs prefix must stay declared or
    # LibreOffice rejects the whole file, the table with it.
    xcu.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
                   'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
                   '<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse">'
                   '<value>false</value></prop></item><item oor:path="/org.openoffice.Office.Common/Save/Document">'
                   '<prop oor:name="UserName" oor:op="fuse" oor:type="xs:string"><value>张</value></prop></item>'
                   '</oor:items>', encoding="utf-8")
    write_replacements(profile, {"宋体": "Noto Serif CJK SC", "黑体": "Noto Sans CJK SC"})
    write_replacements(profile, {"宋体": "Noto Serif CJK SC"})  # written again: replaced, not added to
    assert read_replacements(profile) == {"宋体": "Noto Serif CJK SC"}
    text = xcu.read_text(encoding="utf-8")
    assert "FirstRun" in text and text.count("/Font/Substitution\"") == 1
    assert 'oor:type="xs:string"' in text and 'xmlns:xs="http://www.w3.org/2001/XMLSchema"' in text


def test_the_profile_turns_word_completion_off_and_keeps_the_font_table(tmp_path, soffice):
    """LibreOffice collects the words of every document it opens for word completion, while it converts: the
    private profile turns that off, beside the font table and whatever LibreOffice wrote itself, and LibreOffice
    keeps the setting when it writes the file back."""
    from app.render.docx_render import export_docx
    from app.render.pdf.loprofile import WORD_COMPLETION, read_setting
    from app.core.casefile import load_case
    from tests.conftest import SCHOOL_EXAMPLE

    profile = tmp_path / "lo-profile"
    conv = LibreOfficeConverter(soffice, profile_dir=profile)
    try:
        conv.convert(export_docx(load_case(SCHOOL_EXAMPLE), tmp_path / "docx")[:1], tmp_path / "pdf")
        conv.convert(export_docx(load_case(SCHOOL_EXAMPLE), tmp_path / "docx2")[:1], tmp_path / "pdf2")  # written again
    finally:
        conv.close()
    assert read_setting(profile, WORD_COMPLETION, "Enable") == "false"
    assert read_setting(profile, WORD_COMPLETION, "CollectWords") == "false"
    text = (profile / "user" / "registrymodifications.xcu").read_text(encoding="utf-8")
    assert text.count('oor:name="CollectWords"') == 1 and text.count("ooSetupInstCompleted") == 1  # replaced, kept
    assert read_replacements(profile) == conv.font_table()


def test_the_font_note_names_the_face_the_pdf_uses(tmp_path):
    path = tmp_path / "a.docx"
    doc = Document()
    set_fonts(doc.add_paragraph().add_run("宋体的字")._element.get_or_add_rPr(), "宋体")
    doc.save(path)
    notes = check_fonts([path], installed=set(), replacements={"宋体": "Noto Serif CJK SC"})
    assert [n.substitute for n in notes] == ["Noto Serif CJK SC"]
    assert "Noto Serif CJK SC" in notes[0].message and "衬线" in notes[0].message
    ours = check_fonts([path], installed=set(), replacements={"宋体": "Noto Serif CJK SC Yanxiu"})[0].message
    assert "“Noto Serif CJK SC（本机字体集中的简体中文字形，由本软件单独取出）”" in ours and "衬线" in ours


# ---------------------------------------------------------------- the standalone SC faces (scfaces.py)

def _members():
    members = scfaces.collection_members()
    if not members:
        if REQUIRE_LIBREOFFICE:  # CI installs fonts-noto-cjk, whose collections share one CFF named after JP
            pytest.fail("no Noto/Source Han CJK collection (.ttc) found: install fonts-noto-cjk")
        pytest.skip("no pan-CJK font collection installed")
    return members


def test_the_sc_member_is_cut_out_with_its_own_names_and_glyph_forms(tmp_path):
    """The standalone serif face holds the SC member's glyph forms (骨 maps to another glyph in the JP member) and
    names itself SC in its CFF table, its PostScript name and a family of its own; a second call reuses it."""
    from fontTools.ttLib import TTFont

    members = _members()
    faces = scfaces.prepare(tmp_path / "fonts", members)
    family, files = faces["serif"]
    assert family == "Noto Serif CJK SC Yanxiu" and faces["sans"][0] == "Noto Sans CJK SC Yanxiu"
    regular = next(f for f in files if f.name == "yanxiu-NotoSerifCJKsc-Regular.otf")
    source = next(m for m in members if m.family == "Noto Serif CJK SC" and m.style == "Regular")
    cut = TTFont(str(regular), lazy=True)
    sc = TTFont(str(source.file), fontNumber=source.index, lazy=True)
    jp = TTFont(str(source.file), fontNumber=0, lazy=True)
    assert jp["name"].getDebugName(6).startswith("NotoSerifCJKjp")  # the collection's first member
    assert cut.getBestCmap()[ord("骨")] == sc.getBestCmap()[ord("骨")] != jp.getBestCmap()[ord("骨")]
    names = scfaces._cff_names(cut, cut.reader["CFF "])
    assert names[0] == "NotoSerifCJKsc-Regular" and not any("jp" in n.lower() for n in names)
    assert scfaces._cff_names(sc, sc.reader["CFF "])[0].startswith("NotoSerifCJKjp")  # the reason for all this
    assert cut["name"].getDebugName(1) == family and cut["name"].getDebugName(6) == "NotoSerifCJKsc-Regular"
    before = regular.stat().st_mtime_ns
    assert scfaces.prepare(tmp_path / "fonts", members) == faces and regular.stat().st_mtime_ns == before


def test_the_faces_join_the_profile_and_leave_when_unwanted(tmp_path):
    a, b = tmp_path / "yanxiu-A.otf", tmp_path / "yanxiu-B.otf"
    a.write_bytes(b"a")
    b.write_bytes(b"b")
    profile = tmp_path / "profile"
    (profile / "user" / "fonts").mkdir(parents=True)
    (profile / "user" / "fonts" / "hers.ttf").write_bytes(b"h")  # not ours: never touched
    scfaces.install(profile, [a, b])
    scfaces.install(profile, [a])
    assert sorted(p.name for p in (profile / "user" / "fonts").iterdir()) == ["hers.ttf", "yanxiu-A.otf"]
    assert (profile / "user" / "fonts" / "yanxiu-A.otf").read_bytes() == b"a"


def _fonts_of_text(pdf):
    """(text, BaseFont, font object number) for each run of text on every page."""
    seen = []

    def visit(text, _cm, _tm, font, _size):
        if text.strip() and font is not None:
            seen.append((text.strip(), str(font.get("/BaseFont")), font.indirect_reference.idnum))

    for page in PdfReader(str(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return seen


def _embedded_font_names(pdf):
    """Every BaseFont and FontDescriptor /FontName of every page, descendant fonts included."""
    names = set()
    for page in PdfReader(str(pdf)).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            for f in [font.get_object()] + [d.get_object() for d in font.get_object().get("/DescendantFonts", [])]:
                names.add(str(f.get("/BaseFont")))
                if "/FontDescriptor" in f:
                    names.add(str(f["/FontDescriptor"].get_object().get("/FontName")))
    return names - {"None"}


SAMPLE = "骨直角次化"  # characters whose Japanese and Chinese glyph forms differ


@pytest.fixture(scope="module")
def converted(soffice, tmp_path_factory):
    from app.core.casefile import load_case
    from app.render.docx_render import export_docx
    from tests.conftest import SCHOOL_EXAMPLE

    _members()
    tmp = tmp_path_factory.mktemp("fonts")
    calibration = tmp / "calibration.docx"
    doc = Document()
    for font in ("宋体", "黑体", "仿宋_GB2312"):
        set_fonts(doc.add_paragraph().add_run(f"{SAMPLE}{font}")._element.get_or_add_rPr(), font, None)
    doc.save(calibration)
    report = next(p for p in export_docx(load_case(SCHOOL_EXAMPLE), tmp / "docs") if p.name.startswith("总结报告"))
    conv = LibreOfficeConverter(soffice, profile_dir=tmp / "profile")
    pdfs = conv.convert([calibration, report], tmp / "pdf")
    return conv, pdfs


def test_chinese_font_names_are_drawn_with_the_standalone_sc_faces(converted):
    """宋体 and 仿宋_GB2312 are drawn with the serif SC face cut from the collection and 黑体 with the sans one, and the
    PDF says so: NotoSerifCJKsc / NotoSansCJKsc, never the JP member's name the collection's shared CFF carries."""
    conv, (pdf, _) = converted
    assert conv.font_table()["宋体"] == conv.font_table()["仿宋_GB2312"] == "Noto Serif CJK SC Yanxiu"
    assert conv.font_table()["黑体"] == "Noto Sans CJK SC Yanxiu"
    named = {text[len(SAMPLE):]: name for text, name, _ in _fonts_of_text(pdf) if text.startswith(SAMPLE)}
    assert "NotoSerifCJKsc-Regular" in named["宋体"] and "NotoSerifCJKsc-Regular" in named["仿宋"]  # "_GB2312" is Latin
    assert "NotoSansCJKsc-Regular" in named["黑体"]
    assert not any("jp" in n.lower() for n in _embedded_font_names(pdf))


def test_the_report_has_a_serif_sc_body_a_sans_sc_first_level_heading_and_no_jp_face(converted):
    _, (_, report) = converted
    runs = _fonts_of_text(report)
    heading = [name for text, name, _ in runs if text.startswith("一、研修概况")]
    body = [name for text, name, _ in runs if len(text) > 20 and not text.startswith(("一、", "二、", "三、", "四、", "五、"))]
    assert heading and all("Sans" in name and "CJKsc" in name for name in heading)
    assert body and all("Serif" in name and "CJKsc" in name for name in body)
    names = _embedded_font_names(report)
    assert any("NotoSerifCJKsc" in n for n in names) and not any("jp" in n.lower() for n in names), names


def test_a_stop_never_waits_for_the_faces_being_cut(tmp_path, monkeypatch):
    """Cutting the faces takes seconds the first time: closing the window (abort) meanwhile fails the waiting
    conversion at once instead of holding the window; a later conversion finds them cut."""
    import threading
    import time

    from app.render.pdf.base import ConversionError

    release = threading.Event()

    def slow_prepare(cache_dir, members=None):
        release.wait(10)
        return {"serif": ("Noto Serif CJK SC Yanxiu", []), "sans": ("Noto Sans CJK SC Yanxiu", [])}

    monkeypatch.setattr(scfaces, "prepare", slow_prepare)
    conv = LibreOfficeConverter(tmp_path / "soffice", profile_dir=tmp_path / "profile")
    outcome = []

    def ask():
        try:
            outcome.append(conv.font_table())
        except ConversionError as exc:
            outcome.append(exc)

    waiting = threading.Thread(target=ask)
    waiting.start()
    time.sleep(0.3)
    started = time.monotonic()
    conv.abort()
    waiting.join(5)
    assert time.monotonic() - started < 1.0 and isinstance(outcome[0], ConversionError)
    release.set()
    assert conv.font_table()["宋体"] == "Noto Serif CJK SC Yanxiu"
