"""Build .docx files the way teachers fill the official forms in Word and WPS — written apart from the app's
templates (raw WordprocessingML through python-docx's package), so the importer is tested against documents the
app did not make: merged label cells, values in merged cells, 注 lines left in, every checkbox encoding."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docx.oxml import parse_xml

NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
      'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"')


# ---------------------------------------------------------------- runs: how a box or a tick is written

def t(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def sym(font: str, code: str) -> str:
    """Word's Insert › Symbol: Wingdings 2 F052 ☑, F0A3 □; Wingdings F0FE ☑, F0A8 □."""
    return f'<w:r><w:sym w:font="{font}" w:char="{code}"/></w:r>'


def sdt_box(checked: bool) -> str:
    """A check box content control (开发工具 › 复选框内容控件)."""
    glyph = "☒" if checked else "☐"
    return (f'<w:sdt><w:sdtPr><w14:checkbox><w14:checked w14:val="{int(checked)}"/>'
            f'<w14:checkedState w14:val="2612" w14:font="MS Gothic"/><w14:uncheckedState w14:val="2610" '
            f'w14:font="MS Gothic"/></w14:checkbox></w:sdtPr><w:sdtContent><w:r><w:t>{glyph}</w:t></w:r>'
            f'</w:sdtContent></w:sdt>')


def form_box(checked: bool) -> str:
    """A legacy FORMCHECKBOX field (旧式窗体 › 复选框)."""
    state = '<w:checked/>' if checked else ''
    return (f'<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Check1"/><w:enabled/>'
            f'<w:calcOnExit w:val="0"/><w:checkBox><w:sizeAuto/><w:default w:val="0"/>{state}</w:checkBox>'
            f'</w:ffData></w:fldChar></w:r><w:r><w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText></w:r>'
            f'<w:r><w:fldChar w:fldCharType="end"/></w:r>')


def para(*runs: str) -> str:
    body = "".join(r if r.startswith("<") else t(r) for r in runs)
    return f"<w:p>{body}</w:p>"


def options(chosen: set[str], labels: list[str], box) -> str:
    """One paragraph of options, each preceded by box(checked)."""
    runs = []
    for i, label in enumerate(labels):
        if i:
            runs.append(t("  "))
        runs.append(box(label in chosen))
        runs.append(t(label))
    return para(*runs)


def typed(checked: str = "☑", unchecked: str = "□"):
    return lambda on: t(checked if on else unchecked)


def wingdings2(on: bool) -> str:
    return sym("Wingdings 2", "F052" if on else "F0A3")


def wingdings(on: bool) -> str:
    return sym("Wingdings", "F0FE" if on else "F0A8")


# ---------------------------------------------------------------- cells and tables

def cell(*paras: str, span: int = 1, vmerge: str | None = None, width: int = 1500) -> str:
    pr = f'<w:tcW w:w="{width * span}" w:type="dxa"/>'
    if span > 1:
        pr += f'<w:gridSpan w:val="{span}"/>'
    if vmerge == "restart":
        pr += '<w:vMerge w:val="restart"/>'
    elif vmerge == "continue":
        pr += "<w:vMerge/>"
    content = "".join(p if p.startswith("<") else para(p) for p in paras) or "<w:p/>"
    return f"<w:tc><w:tcPr>{pr}</w:tcPr>{content}</w:tc>"


def row(*cells: str) -> str:
    return f"<w:tr>{''.join(cells)}</w:tr>"


def table(cols: int, *rows: str) -> str:
    grid = "".join('<w:gridCol w:w="1500"/>' for _ in range(cols))
    return (f'<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/></w:tblPr>'
            f'<w:tblGrid>{grid}</w:tblGrid>{"".join(rows)}</w:tbl>')


def label_row(label: str, *value_paras: str, cols: int = 5) -> str:
    """A label cell and one content cell spanning the rest of the grid, as on the official forms."""
    return row(cell(label), cell(*value_paras, span=cols - 1))


def build(path: Path, *blocks: str, footer: str = "") -> Path:
    """A .docx whose body is exactly these paragraphs and tables (raw XML)."""
    doc = Document()
    body = doc.element.body
    sect = body[-1]
    for el in list(body)[:-1]:
        body.remove(el)
    for block in blocks:
        sect.addprevious(parse_xml(f'<w:root {NS}>{block}</w:root>')[0])
    if footer:
        doc.sections[0].footer.paragraphs[0].text = footer
    doc.save(path)
    return path


def note(text: str) -> str:
    return para(f"注：{text}")


def font_letter(on: bool) -> str:
    """WPS users type R (☑) or £ (□) and set the font to Wingdings 2."""
    return (f'<w:r><w:rPr><w:rFonts w:ascii="Wingdings 2" w:hAnsi="Wingdings 2"/></w:rPr>'
            f'<w:t>{"R" if on else "£"}</w:t></w:r>')
