"""Write a pack's docxtpl templates (templates_docx/) from its form definitions.

Run after changing a definition's rows or sections: `python tools/build_templates.py` (built-in pack) or
`yanxiu pack build-templates DIR` (a pack being prepared). Official labels and
fixed texts are copied from forms/ into the templates here; the render step checks every template against
the definitions when it loads it, and the tests check the rendered labels, so a stale template cannot pass.
"""

from __future__ import annotations

import sys
from pathlib import Path


from docx import Document  # noqa: E402
from docx.enum.section import WD_ORIENT  # noqa: E402
from docx.enum.style import WD_STYLE_TYPE  # noqa: E402
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT  # noqa: E402
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING  # noqa: E402
from docx.oxml import OxmlElement  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import Mm, Pt  # noqa: E402

from app.core.forms import Document as DocDef, FormDef, load_form  # noqa: E402
from app.render import layout  # noqa: E402
from app.render.fonts import LATIN_FONT, SYMBOL_FONT, set_fonts, set_size  # noqa: E402
from app.render.templates import CHECKBOX_STYLE, template_path  # noqa: E402

# ---------------------------------------------------------------- document and styles

def new_document(d: DocDef, page: layout.PageLayout) -> Document:
    doc = Document()
    _chinese_defaults(doc, d.font, d.size_pt)
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Mm(page.width_mm), Mm(page.height_mm)
    sec.top_margin, sec.bottom_margin = Mm(page.top_mm), Mm(page.bottom_mm)
    sec.left_margin, sec.right_margin = Mm(page.left_mm), Mm(page.right_mm)
    sec.footer_distance = Mm(12)
    cp = doc.core_properties
    cp.title, cp.author, cp.language, cp.comments = d.title, "", "zh-CN", ""
    cp.keywords = cp.subject = cp.category = ""
    return doc


def _chinese_defaults(doc: Document, font: str, size_pt: float) -> None:
    # python-docx's default template resolves East Asian text through a Japanese theme font (TECH-NOTES §1.2):
    # switch the theme language to zh-CN and strip every theme font reference.
    settings = doc.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")
    styles = doc.styles.element
    for rf in styles.iter(qn("w:rFonts")):
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rf.attrib.pop(qn(attr), None)
    defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(defaults, font, LATIN_FONT)
    set_size(defaults, size_pt)
    lang_el = defaults.find(qn("w:lang"))
    if lang_el is None:
        lang_el = OxmlElement("w:lang")
        defaults.append(lang_el)
    lang_el.set(qn("w:val"), "en-US")
    lang_el.set(qn("w:eastAsia"), "zh-CN")
    normal = doc.styles["Normal"]
    set_fonts(normal.element.get_or_add_rPr(), font, LATIN_FONT)
    set_size(normal.element.get_or_add_rPr(), size_pt)
    pf = normal.paragraph_format
    pf.space_before = pf.space_after = Pt(0)
    pf.line_spacing = 1.0
    pf.widow_control = True


def para_style(doc, name, *, font, size, bold=False, align=None, indent_chars=0, size_for_indent=None,
               keep_next=False, space_before=0.0, space_after=0.0, line_exact=None, outline=None, base="Normal"):
    try:
        st = doc.styles[name]
    except KeyError:
        st = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    st.base_style = doc.styles[base] if base and name != base else None
    rpr = st.element.get_or_add_rPr()
    set_fonts(rpr, font, LATIN_FONT)
    set_size(rpr, size)
    st.font.bold = bold
    st.font.italic = False
    st.font.color.rgb = None
    pf = st.paragraph_format
    if align is not None:
        pf.alignment = align
    pf.space_before, pf.space_after = Pt(space_before), Pt(space_after)
    pf.keep_with_next = keep_next
    if line_exact:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(line_exact)
    ppr = st.element.get_or_add_pPr()
    if indent_chars:
        ind = ppr.find(qn("w:ind"))
        if ind is None:
            ind = OxmlElement("w:ind")
            ppr.append(ind)
        # firstLineChars (hundredths of a character) follows the font size in Word and WPS; firstLine is the
        # fallback for readers that ignore it.
        ind.set(qn("w:firstLineChars"), str(indent_chars * 100))
        ind.set(qn("w:firstLine"), str(int((size_for_indent or size) * 20 * indent_chars)))
    if outline is not None:
        ol = OxmlElement("w:outlineLvl")
        ol.set(qn("w:val"), str(outline))
        ppr.append(ol)
    # Headings from the default template carry a theme colour; official documents print black.
    color = st.element.rPr.find(qn("w:color"))
    if color is not None:
        st.element.rPr.remove(color)
    return st


def char_style(doc, name, font):
    st = doc.styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
    set_fonts(st.element.get_or_add_rPr(), font, font, hint=False)
    return st


def form_styles(doc, d: DocDef):
    size = d.size_pt
    para_style(doc, "YxTitle", font=layout.FORM_TITLE[0], size=layout.FORM_TITLE[1], align=WD_ALIGN_PARAGRAPH.CENTER,
               space_after=12)
    para_style(doc, "YxLabel", font=d.font, size=size, align=WD_ALIGN_PARAGRAPH.CENTER)
    para_style(doc, "YxCell", font=d.font, size=size, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent_chars=2)
    para_style(doc, "YxPlain", font=d.font, size=size, align=WD_ALIGN_PARAGRAPH.LEFT)
    para_style(doc, "YxSub", font=d.font, size=size, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT, keep_next=True,
               space_before=3)
    para_style(doc, "YxHead", font=d.font, size=size, align=WD_ALIGN_PARAGRAPH.CENTER)
    para_style(doc, "YxFooter", font="宋体", size=9, align=WD_ALIGN_PARAGRAPH.CENTER)
    para_style(doc, "YxNote", font=d.font, size=size, align=WD_ALIGN_PARAGRAPH.LEFT, space_before=6)
    char_style(doc, CHECKBOX_STYLE, SYMBOL_FONT)


def report_styles(doc, d: DocDef):
    size = d.size_pt
    line = 28.95  # GB/T 9704: 22 lines on the 225 mm type area
    normal = para_style(doc, "Normal", font=d.font, size=size, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent_chars=2,
                        line_exact=line, base=None)
    normal.paragraph_format.widow_control = True
    para_style(doc, "Title", font=layout.REPORT_TITLE[0], size=layout.REPORT_TITLE[1], align=WD_ALIGN_PARAGRAPH.CENTER,
               space_after=size * 1.5, line_exact=None, keep_next=True)
    t = doc.styles["Title"]
    t.paragraph_format.first_line_indent = Pt(0)
    t.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _no_indent(t)
    _no_border(t)
    para_style(doc, "Heading 1", font=d.heading1_font, size=size, indent_chars=2, keep_next=True, line_exact=line)
    para_style(doc, "Heading 2", font=d.heading2_font, size=size, bold=True, indent_chars=2, keep_next=True,
               line_exact=line)
    for name in ("Heading 1", "Heading 2"):
        doc.styles[name].font.bold = name == "Heading 2"
    para_style(doc, "YxFooter", font="宋体", size=14, align=WD_ALIGN_PARAGRAPH.CENTER, base=None)
    para_style(doc, "YxCode", font="宋体", size=9, align=WD_ALIGN_PARAGRAPH.RIGHT, base=None)
    for name in ("YxFooter", "YxCode"):
        _no_indent(doc.styles[name])


def _no_indent(style):
    ppr = style.element.get_or_add_pPr()
    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = OxmlElement("w:ind")
        ppr.append(ind)
    for a in list(ind.attrib):
        del ind.attrib[a]
    ind.set(qn("w:firstLineChars"), "0")
    ind.set(qn("w:firstLine"), "0")


def _no_border(style):
    ppr = style.element.get_or_add_pPr()
    for el in ppr.findall(qn("w:pBdr")):
        ppr.remove(el)


# ---------------------------------------------------------------- footers

def _field(paragraph, instr: str):
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instr)
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    fld.append(r)
    paragraph._p.append(fld)


def form_footer(doc):
    p = doc.sections[0].footer.paragraphs[0]
    p.style = doc.styles["YxFooter"]
    p.add_run("第 ")
    _field(p, "PAGE")
    p.add_run(" 页 共 ")
    _field(p, "NUMPAGES")
    p.add_run(" 页　　版本码：{{ version_code }}")


def report_footer(doc):
    footer = doc.sections[0].footer
    p = footer.paragraphs[0]
    p.style = doc.styles["YxFooter"]
    p.add_run("— ")
    _field(p, "PAGE")
    p.add_run(" —")
    code = footer.add_paragraph("版本码：{{ version_code }}", style=doc.styles["YxCode"])
    assert code


# ---------------------------------------------------------------- tables

def set_widths(table, widths_mm):
    table.autofit = False
    grid = table._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths_mm):
        col.set(qn("w:w"), str(int(Mm(w).twips)))
    for row in table.rows:
        for cell, w in zip(row.cells, widths_mm):
            cell.width = Mm(w)
    tblPr = table._tbl.tblPr
    layout_el = OxmlElement("w:tblLayout")
    layout_el.set(qn("w:type"), "fixed")
    tblPr.append(layout_el)


def new_table(container, cols, widths_mm):
    table = container.add_table(rows=0, cols=cols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table._widths = widths_mm
    return table


def add_row(table, *, cant_split=True):
    row = table.add_row()
    for cell, w in zip(row.cells, table._widths):
        cell.width = Mm(w)
    if cant_split:
        trPr = row._tr.get_or_add_trPr()
        cs = OxmlElement("w:cantSplit")
        trPr.append(cs)
    return row


def repeat_header(row):
    trPr = row._tr.get_or_add_trPr()
    trPr.append(OxmlElement("w:tblHeader"))


def cell_text(cell, text, style, *, first=True):
    p = cell.paragraphs[0] if first and not cell.paragraphs[0].text and len(cell.paragraphs) == 1 else cell.add_paragraph()
    p.style = style
    if text:
        p.add_run(text)
    return p


def header_row(table, headers, style, *, repeat=True):
    """A table's column heads; `repeat`: at the top of every page the table continues on (a table in the body)."""
    head = add_row(table)
    if repeat:
        repeat_header(head)
    for c, h in zip(head.cells, headers):
        cell_text(c, h, style)
        c.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    return head


def tag_row(table, tag, style):
    """A row holding only a docxtpl `{%tr … %}` tag (docxtpl drops the row and keeps what the tag makes)."""
    row = add_row(table)
    cell_text(row.cells[0], tag, style)
    return row


def loop_table(doc, cell, headers, widths, keys, var, styles):
    """A nested table with a header row that stays even when the list is empty, and a docxtpl row loop."""
    t = new_table(cell, len(headers), widths)
    header_row(t, headers, styles["head"])
    tag_row(t, "{%tr for r in " + var + " %}", styles["plain"])
    body = add_row(t)
    for c, k, st in zip(body.cells, keys, styles["cols"]):
        cell_text(c, "{{ r." + k + " }}", st)
        c.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    tag_row(t, "{%tr endfor %}", styles["plain"])
    set_widths(t, widths)
    # Word needs a paragraph after a nested table inside a cell.
    cell.add_paragraph(style=styles["plain"])
    return t


# ---------------------------------------------------------------- info sheet and plan

def build_form_document(form: FormDef, d: DocDef) -> Document:
    doc = new_document(d, layout.FORM_PAGE)
    form_styles(doc, d)
    form_footer(doc)
    st = {name: doc.styles[name] for name in ("YxTitle", "YxLabel", "YxCell", "YxPlain", "YxSub", "YxHead", "YxNote")}
    doc.add_paragraph(d.title, style=st["YxTitle"])
    widths = [layout.LABEL_COLUMN_MM, layout.CONTENT_COLUMN_MM]
    table = new_table(doc, 2, widths)
    folded = {f.other for f in form.fields if f.other}  # printed as the checklist's 其他 row
    for row_def in d.rows:
        fields = [form.field(k) for k in row_def.fields if k not in folded]
        row = add_row(table, cant_split=not _may_split(fields[0]))
        label = row_def.label or fields[0].label
        cell_text(row.cells[0], label, st["YxLabel"])
        label_cell_margins(row.cells[0])
        row.cells[0].vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        content = row.cells[1]
        content.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        first = True
        if row_def.intro:
            cell_text(content, row_def.intro, st["YxPlain"])
            first = False
        flowchart = next((f for f in fields if f.kind == "stages"), None)
        fields = [f for f in fields if f is not flowchart]
        for f in fields:
            if f.number and f.kind in WHOLE_SECTIONS:
                if f is not fields[0]:
                    row, content = section_row(table, row, st)
                    first = True
                keep_row_whole(row)
            if f.number:
                cell_text(content, f.display_label, st["YxSub"], first=first)
                first = False
            _field_content(doc, form, content, f, st, first)
            first = False
        if flowchart is not None:
            flowchart_rows(table, row, flowchart, st)
    if d.key == "info" and form.fixed:
        _signature_rows(doc, form, table, st)
        note = doc.add_paragraph(form.fixed["share_notice"], style=st["YxNote"])
        note.paragraph_format.keep_together = True
    if d.note:
        doc.add_paragraph(d.note, style=st["YxNote"]).paragraph_format.keep_together = True
    set_widths(table, widths)
    return doc


def _may_split(f) -> bool:
    """Rows of paragraphs may break across pages; the notice's numbered parts (研修目标, 考核评价) are paragraphs too."""
    return f.kind in ("text", "stages", "table", "checklist") or (f.kind == "group" and bool(f.text_parts))


def _field_content(doc, form, cell, f, st, first):
    w = layout.CONTENT_COLUMN_MM - 2 * layout.CELL_PADDING_MM
    if f.kind in ("text",):
        cell_text(cell, "{{ " + f.key + " }}", st["YxCell"], first=first)
    elif f.kind in ("line", "tags", "group", "choice", "number", "date"):
        cell_text(cell, "{{ " + f.key + " }}", st["YxPlain"], first=first)
    elif f.kind == "multi":
        cell_text(cell, "{{r " + f.key + " }}", st["YxPlain"], first=first)
    elif f.kind == "table":
        n = len(f.columns)
        widths = column_widths(f, w)
        styles = {"head": st["YxHead"], "plain": st["YxPlain"], "cols": [st["YxHead"] if n == 4 and i != 1 else st["YxPlain"]
                                                                          for i in range(n)]}
        if first:
            cell.paragraphs[0].style = st["YxPlain"]
        t = loop_table(doc, cell, [c.label for c in f.columns], widths, [c.key for c in f.columns], f.key, styles)
        if f.key in TIGHT_TABLES:
            tight_cell_margins(t)
            tight_nested(cell, st)
    elif f.kind == "checklist":
        checklist = form.checklist(f)
        widths = [round(w * r, 1) for r in (0.38, 0.34, 0.28)]
        checklist_table(cell, list(checklist.columns), widths, f.key, st)
    else:
        raise AssertionError(f.kind)


# ---------------------------------------------------------------- pagination and widths

LABEL_MARGIN_MM = 0.9  # each side of a label cell (Word's default is 1.9 mm)
# The author table: columns for Chinese names (up to 4 characters), units (11 a line), titles such as
# "高级教师/语文教研组长" on one line, and 11-digit phone numbers, with narrow cell margins.
AUTHOR_COLUMN_MM = {"name": 16.5, "unit": 45.5, "title": 40.0, "phone": 22.0}
TIGHT_TABLES = ("authors",)
TIGHT_MARGIN_MM = 0.8


# Numbered sub-sections that hold a table ("1.数字资源清单", "2.主要工具功能") each get a row of their own that cannot
# split: LibreOffice ignores keep-with-next from a paragraph to a table nested in a cell, and leaves a table's
# repeating header rows alone at the foot of a page, so a heading kept only by those would be stranded (measured;
# tests/test_pagination.py). Each such table fits a page (30 resources, 20 tools).
WHOLE_SECTIONS = ("table", "checklist")


def section_row(table, row, st):
    """A row continuing `row`'s label for the next sub-section: the label cell is empty and the line between the
    two label cells hidden, so the label reads as one cell; (row, content cell)."""
    new = add_row(table, cant_split=False)
    _cell_border(row.cells[0], "bottom")
    _cell_border(new.cells[0], "top")
    cell_text(new.cells[0], "", st["YxLabel"])
    label_cell_margins(new.cells[0])
    content = new.cells[1]
    content.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    return new, content


def keep_row_whole(row):
    trPr = row._tr.get_or_add_trPr()
    if trPr.find(qn("w:cantSplit")) is None:
        trPr.append(OxmlElement("w:cantSplit"))


def _cell_border(cell, side):
    """No border on one side of a cell (the cell's own borders win over the table style's)."""
    tcPr = cell._tc.get_or_add_tcPr()
    borders = tcPr.find(qn("w:tcBorders"))
    if borders is None:
        borders = OxmlElement("w:tcBorders")
        # CT_TcPr order: tcW, gridSpan, vMerge, tcBorders, …
        anchor = next((el for el in (tcPr.find(qn(t)) for t in ("w:vMerge", "w:gridSpan", "w:tcW")) if el is not None),
                      None)
        if anchor is not None:
            anchor.addnext(borders)
        else:
            tcPr.insert(0, borders)
    el = OxmlElement(f"w:{side}")
    el.set(qn("w:val"), "nil")
    borders.append(el)


def label_cell_margins(cell, mm=LABEL_MARGIN_MM):
    """Narrow side margins in the label column: eight 五号 characters a line, so a label such as
    "作者信息（排序填写，最多3人）" breaks into two lines and not inside "最多3人）"."""
    tcPr = cell._tc.get_or_add_tcPr()
    mar = _margins("w:tcMar", ("left", "right"), mm)
    vAlign = tcPr.find(qn("w:vAlign"))  # CT_TcPr order: tcMar comes before vAlign
    if vAlign is not None:
        vAlign.addprevious(mar)
    else:
        tcPr.append(mar)


def column_widths(f, total_mm):
    keys = [c.key for c in f.columns]
    if f.key == "authors" and set(keys) <= set(AUTHOR_COLUMN_MM):
        raw = [AUTHOR_COLUMN_MM[k] for k in keys]
    else:
        n = len(keys)
        raw = {2: [0.66, 0.34]}.get(n, [1 / n] * n)
    scale = total_mm / sum(raw)
    return [round(r * scale, 1) for r in raw]


def _margins(tag, sides, mm):
    """A cell-margin element (w:tcMar of a cell, w:tblCellMar of a table) setting SIDES to MM."""
    mar = OxmlElement(tag)
    for side in sides:
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(int(Mm(mm).twips)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    return mar


def tight_cell_margins(table, mm=TIGHT_MARGIN_MM):
    table._tbl.tblPr.append(_margins("w:tblCellMar", ("left", "right"), mm))


def tight_nested(cell, st):
    """A cell that holds a nested table without the empty lines around it: no paragraph before the table, and the
    paragraph Word requires after it one point high."""
    first = cell.paragraphs[0]
    if not first.text and first._p.getnext() is not None and first._p.getnext().tag == qn("w:tbl"):
        first._p.getparent().remove(first._p)
    if not cell._tc.findall(qn("w:p")) or cell._tc[-1].tag != qn("w:p"):
        cell.add_paragraph(style=st["YxPlain"])
    last = cell._tc.findall(qn("w:p"))[-1]
    ppr = last.get_or_add_pPr()
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:before"), "0")
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "20")
    spacing.set(qn("w:lineRule"), "exact")
    ppr.append(spacing)
    rpr = OxmlElement("w:rPr")
    sz = OxmlElement("w:sz")
    sz.set(qn("w:val"), "2")
    rpr.append(sz)
    ppr.append(rpr)


def checklist_table(cell, headers, widths, var, st):
    """The tool table: a header row, then one row per 类别 that cannot split — the category cell beside a table of
    its items — so a category that fits a page is never continued beside an empty cell on the next one; one taller
    than a page is split where the page breaks and goes on as "<类别>（续）" under the heads again (g.head)."""
    t = new_table(cell, 3, widths)
    header_row(t, headers, st["YxHead"])
    tag_row(t, "{%tr for g in " + var + " %}", st["YxPlain"])
    # The heads again where a page begins inside the table (g.head, app/render/continued.py): neither Word nor
    # LibreOffice repeats the header row of a table nested in a cell.
    tag_row(t, "{%tr if g.head %}", st["YxPlain"])
    keep_row_whole(header_row(t, headers, st["YxHead"], repeat=False))
    tag_row(t, "{%tr endif %}", st["YxPlain"])
    body = add_row(t, cant_split=True)
    cell_text(body.cells[0], "{{ g.category }}", st["YxHead"])
    body.cells[0].vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    items = body.cells[1].merge(body.cells[2])
    _no_cell_margins(items)
    inner = items.add_table(rows=0, cols=2)
    inner._widths = widths[1:]
    _inside_borders_only(inner)
    tag_row(inner, "{%tr for r in g.entries %}", st["YxPlain"])
    row = add_row(inner)
    for c, key in zip(row.cells, ("item", "applied")):
        cell_text(c, "{{ r." + key + " }}", st["YxHead"])
        c.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    tag_row(inner, "{%tr endfor %}", st["YxPlain"])
    set_widths(inner, widths[1:])
    tight_nested(items, st)
    tag_row(t, "{%tr endfor %}", st["YxPlain"])
    set_widths(t, widths)
    items.width = Mm(widths[1] + widths[2])  # set_widths gave the merged cell one column's width
    cell.add_paragraph(style=st["YxPlain"])  # Word needs a paragraph after a nested table inside a cell
    return t


def _no_cell_margins(cell):
    cell._tc.get_or_add_tcPr().append(_margins("w:tcMar", ("top", "left", "bottom", "right"), 0))


def flowchart_rows(table, row, f, st):
    """The flowchart's pictures, each in a row of its own that cannot split, below the row of its text: a long
    text may break across pages, a picture never, and each part starts where the page can hold it whole. The
    label cell continues down beside them (vertically merged)."""
    _vmerge(row.cells[0], restart=True)
    tag_row(table, "{%tr for part in " + f.key + " %}", st["YxPlain"])
    body = add_row(table, cant_split=True)
    _vmerge(body.cells[0], restart=False)
    p = cell_text(body.cells[1], "{{ part }}", st["YxHead"])
    p.paragraph_format.space_before = Pt(4)
    p.paragraph_format.space_after = Pt(2)
    tag_row(table, "{%tr endfor %}", st["YxPlain"])


def _vmerge(cell, *, restart: bool):
    tcPr = cell._tc.get_or_add_tcPr()
    vm = OxmlElement("w:vMerge")
    if restart:
        vm.set(qn("w:val"), "restart")
    tcPr.append(vm)


def _signature_rows(doc, form: FormDef, table, st):
    """作者声明 and 单位意见 with room for signatures and a 42 mm seal, in one row that never splits across
    pages: the outer row spans both columns and holds a two-row table whose outer lines are the row's own."""
    fixed = form.fixed
    outer = add_row(table)
    cell = outer.cells[0].merge(outer.cells[1])
    _no_cell_margins(cell)
    widths = [layout.LABEL_COLUMN_MM, layout.CONTENT_COLUMN_MM]
    inner = cell.add_table(rows=0, cols=2)
    inner._widths = widths
    _inside_borders_only(inner)

    row = add_row(inner)
    cell_text(row.cells[0], fixed["declaration_title"], st["YxLabel"])
    row.cells[0].vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    c = row.cells[1]
    cell_text(c, fixed["declaration"], st["YxCell"])
    cell_text(c, "", st["YxPlain"])
    p = cell_text(c, fixed["signature"], st["YxPlain"])
    p.paragraph_format.left_indent = Mm(50)
    p = cell_text(c, fixed["sign_date"], st["YxPlain"])
    p.paragraph_format.left_indent = Mm(50)
    p.paragraph_format.space_before = Pt(6)
    p.paragraph_format.space_after = Pt(4)

    row = add_row(inner)
    tr_height = OxmlElement("w:trHeight")
    tr_height.set(qn("w:val"), str(int(Mm(layout.SEAL_ROW_MIN_MM).twips)))
    tr_height.set(qn("w:hRule"), "atLeast")
    row._tr.get_or_add_trPr().append(tr_height)
    cell_text(row.cells[0], fixed["unit_opinion_title"], st["YxLabel"])
    row.cells[0].vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    c = row.cells[1]
    c.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    cell_text(c, fixed["unit_opinion"], st["YxPlain"])
    for _ in range(5):
        cell_text(c, "", st["YxPlain"])
    p = cell_text(c, fixed["unit_seal"], st["YxPlain"])
    p.paragraph_format.left_indent = Mm(50)
    for _ in range(3):
        cell_text(c, "", st["YxPlain"])
    p = cell_text(c, fixed["seal_date"], st["YxPlain"])
    p.paragraph_format.left_indent = Mm(80)
    p.paragraph_format.space_after = Pt(6)
    set_widths(inner, widths)
    tight_nested(cell, st)  # no empty line before the inner table, a one-point one after it


def _inside_borders_only(table):
    tblPr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        if side.startswith("inside"):
            el.set(qn("w:val"), "single")
            el.set(qn("w:sz"), "4")
            el.set(qn("w:color"), "000000")
        else:
            el.set(qn("w:val"), "nil")
        borders.append(el)
    tblPr.append(borders)


# ---------------------------------------------------------------- report

def build_report(form: FormDef, d: DocDef) -> Document:
    doc = new_document(d, layout.REPORT_PAGE)
    report_styles(doc, d)
    report_footer(doc)
    normal = doc.styles["Normal"]
    tags = [
        ("{%p for b in blocks %}", normal),
        ("{%p if b.level == 0 %}", normal), ("{{ b.text }}", doc.styles["Title"]),
        ("{%p elif b.level == 1 %}", normal), ("{{ b.text }}", doc.styles["Heading 1"]),
        ("{%p elif b.level == 2 %}", normal), ("{{ b.text }}", doc.styles["Heading 2"]),
        ("{%p else %}", normal), ("{{ b.text }}", normal),
        ("{%p endif %}", normal),
        ("{%p endfor %}", normal),
    ]
    for text, style in tags:
        doc.add_paragraph(text, style=style)
    return doc


# ---------------------------------------------------------------- a lean package

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Nothing refers to the last three: no numPr, no theme font or colour (_chinese_defaults strips them), no web view.
# LibreOffice builds list styles from the default numbering part and reads the theme on every open.
_DROP_PARTS = ("word/stylesWithEffects.xml", "docProps/thumbnail.jpeg", "word/numbering.xml", "word/theme/theme1.xml",
               "word/webSettings.xml")


def slim_package(path: Path) -> None:
    """python-docx's default package carries 166 styles (344 KB), a Word 2010 stylesWithEffects copy (438 KB), a
    thumbnail and customXml: Word, WPS and LibreOffice parse all of it on every open. Keep the styles in use
    (ours, the defaults and their base chains) and drop the rest; LibreOffice then opens a document in half the
    time."""
    import re
    import zipfile

    from lxml import etree

    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    used_text = b"".join(v for k, v in parts.items() if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", k))
    styles = etree.fromstring(parts["word/styles.xml"])
    keep = {m.decode() for m in re.findall(rb'w:(?:pStyle|rStyle|tblStyle) w:val="([^"]+)"', used_text)}
    for st in styles.findall(_W + "style"):
        sid = st.get(_W + "styleId")
        if sid.startswith("Yx") or st.get(_W + "default") == "1":
            keep.add(sid)
    changed = True
    while changed:  # a kept style keeps what it is based on
        changed = False
        for st in styles.findall(_W + "style"):
            if st.get(_W + "styleId") in keep:
                based = st.find(_W + "basedOn")
                if based is not None and based.get(_W + "val") not in keep:
                    keep.add(based.get(_W + "val"))
                    changed = True
    for st in styles.findall(_W + "style"):
        if st.get(_W + "styleId") not in keep:
            styles.remove(st)
        else:
            for tag in ("link", "next"):  # pointers to dropped styles would dangle
                el = st.find(_W + tag)
                if el is not None and el.get(_W + "val") not in keep:
                    st.remove(el)
    latent = styles.find(_W + "latentStyles")
    if latent is not None:
        styles.remove(latent)
    parts["word/styles.xml"] = etree.tostring(styles, xml_declaration=True, encoding="UTF-8", standalone=True)
    dropped = set(_DROP_PARTS) | {k for k in parts if k.startswith("customXml/")}
    for k in dropped:
        parts.pop(k, None)
    for rels_name in ("_rels/.rels", "word/_rels/document.xml.rels"):
        rels = etree.fromstring(parts[rels_name])
        base = "" if rels_name == "_rels/.rels" else "word/"  # targets are relative to the part's folder
        for rel in list(rels):
            target = rel.get("Target")
            resolved = _normalise(target.lstrip("/") if target.startswith("/") else base + target)
            if resolved in dropped:
                rels.remove(rel)
        parts[rels_name] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8", standalone=True)
    types = etree.fromstring(parts["[Content_Types].xml"])
    for override in list(types):
        name = override.get("PartName")
        if name and name.lstrip("/") in dropped:
            types.remove(override)
    parts["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        first = "[Content_Types].xml"
        z.writestr(first, parts.pop(first))
        for name, data in parts.items():
            z.writestr(name, data)


def _normalise(path: str) -> str:
    out: list[str] = []
    for piece in path.split("/"):
        if piece == "..":
            if out:
                out.pop()
        elif piece and piece != ".":
            out.append(piece)
    return "/".join(out)


def build_all(out_dir: Path | None = None, forms_dir: Path | None = None,
              keys: tuple[str, ...] | None = None) -> list[Path]:
    """Write the templates of the forms KEYS (from FORMS_DIR, default the built-in pack) into OUT_DIR."""
    from app.core.packs import builtin_pack

    written = []
    for key in keys or builtin_pack().forms:
        form = load_form(key, forms_dir)
        for d in form.documents:
            doc = build_report(form, d) if d.layout == "report" else build_form_document(form, d)
            path = template_path(key, d.key, out_dir)
            path.parent.mkdir(parents=True, exist_ok=True)
            doc.save(path)
            slim_package(path)
            written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """`python tools/build_templates.py`: rewrite the built-in pack's templates and reseal it, as
    `yanxiu pack build-templates .` does (the seal must follow every change of a built-in file)."""
    from app import paths
    from app.core.packtool import build_templates

    root = paths.bundle_root()
    for p in build_templates(root):
        print(p.relative_to(root))
    return 0


if __name__ == "__main__":
    sys.exit(main())
