"""Read a .docx as Word and WPS users fill it: real (merged) cells, checkboxes in every encoding, footers, properties.

python-docx's `row.cells` repeats a merged cell once per grid column and `paragraph.text` drops `w:sym` ticks and
content-control check boxes (TECH-NOTES §8.4), so this walks the XML itself. Deleted text (`w:delText`) is not
read and inserted text is, so tracked changes count as they stand.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
CUSTOM_PROPS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
CORE_DC = "http://purl.org/dc/elements/1.1/"

# A checkbox of any encoding becomes one of these two private-use characters in the extracted text, so the
# option parser sees one mark per box whatever Word, WPS or the teacher wrote.
CHECKED, UNCHECKED = "\ue000", "\ue001"
CHECK_GLYPHS = "☑■√✓✔☒▣✅⊠"
BOX_GLYPHS = "□☐◻"
# Word's Insert › Symbol ticks and boxes (w:sym font + code, low byte of the private-use F0xx code).
SYM_MARKS = {
    ("wingdings 2", 0x52): CHECKED, ("wingdings 2", 0x54): CHECKED, ("wingdings 2", 0x50): CHECKED,
    ("wingdings 2", 0x51): CHECKED, ("wingdings 2", 0x53): CHECKED, ("wingdings 2", 0xA3): UNCHECKED,
    ("wingdings 2", 0x2A): UNCHECKED, ("wingdings 2", 0x4F): UNCHECKED,
    ("wingdings", 0xFE): CHECKED, ("wingdings", 0xFD): CHECKED, ("wingdings", 0xFC): CHECKED,
    ("wingdings", 0x78): CHECKED, ("wingdings", 0xA8): UNCHECKED, ("wingdings", 0x6F): UNCHECKED,
    ("wingdings", 0x71): UNCHECKED, ("wingdings", 0xFB): UNCHECKED,
}
_GLYPH_MARKS = {**{g: CHECKED for g in CHECK_GLYPHS}, **{g: UNCHECKED for g in BOX_GLYPHS}}


def q(tag: str) -> str:
    prefix, name = tag.split(":")
    return "{%s}%s" % ({"w": W, "w14": W14, "mc": MC}[prefix], name)


class DocxReadError(Exception):
    """The file is not a Word document this reader can open; str() is a Chinese message."""


@dataclass
class Para:
    """One paragraph: its text with checkbox marks, and whether it holds a picture."""

    text: str
    images: int = 0
    style: str = ""


@dataclass
class Cell:
    """One real cell (a w:tc): its grid column and span, its content in order, and the cell a vMerge continues."""

    col: int
    span: int
    blocks: list = field(default_factory=list)  # Para and Table, in document order
    origin: "Cell | None" = None  # set on a vMerge continuation: the cell it continues

    @property
    def paras(self) -> list[Para]:
        return [b for b in self.blocks if isinstance(b, Para)]

    @property
    def tables(self) -> list["Table"]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paras)

    @property
    def continued(self) -> bool:
        return self.origin is not None


@dataclass
class Table:
    rows: list[list[Cell]]


@dataclass
class DocxContent:
    """What a .docx holds for the importer."""

    blocks: list  # Para and Table of the body
    footer_text: str
    custom: dict[str, str]
    comments: str  # the core property 备注 (the app writes 由研修案例填报助手生成)


def read_docx(path: Path) -> DocxContent:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise DocxReadError(f"无法读取文件“{Path(path).name}”：{exc.strerror or exc}。") from exc
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        names = set(z.namelist())
        if "word/document.xml" not in names:
            raise DocxReadError(f"“{Path(path).name}”不是Word文档（.docx），无法导入。")
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
        body_root = etree.fromstring(z.read("word/document.xml"), parser)
        footers = [etree.fromstring(z.read(n), parser) for n in sorted(names)
                   if re.fullmatch(r"word/(footer|header)\d*\.xml", n)]
        custom = _custom(z.read("docProps/custom.xml"), parser) if "docProps/custom.xml" in names else {}
        comments = ""
        if "docProps/core.xml" in names:
            core = etree.fromstring(z.read("docProps/core.xml"), parser)
            el = core.find(f"{{{CORE_DC}}}description")
            comments = (el.text or "") if el is not None else ""
    except (zipfile.BadZipFile, etree.XMLSyntaxError, KeyError, ValueError) as exc:
        raise DocxReadError(f"“{Path(path).name}”不是有效的Word文档（.docx），可能已损坏或是其他格式，无法导入。"
                            f"请在Word或WPS中打开后另存为.docx再试。") from exc
    body = body_root.find(q("w:body"))
    if body is None:
        raise DocxReadError(f"“{Path(path).name}”中没有正文，无法导入。")
    try:
        footer_text = "\n".join(p.text for root in footers for p in _iter_paras(root))
        blocks = _blocks(body)
    except RecursionError:
        raise DocxReadError(f"“{Path(path).name}”的表格嵌套过深，不是可以导入的表格或报告。") from None
    return DocxContent(blocks, footer_text, custom, comments)


def _custom(raw: bytes, parser) -> dict[str, str]:
    root = etree.fromstring(raw, parser)
    out = {}
    for prop in root:
        name = prop.get("name")
        value = "".join(prop.itertext())
        if name:
            out[name] = value
    return out


def custom_json(content: DocxContent, name: str):
    raw = content.custom.get(name)
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


def _iter_paras(root) -> list[Para]:
    return [_para(p) for p in root.iter(q("w:p"))]


def _blocks(container) -> list:
    out: list = []
    for el in container:
        if el.tag == q("w:p"):
            out.append(_para(el))
        elif el.tag == q("w:tbl"):
            out.append(_table(el))
        elif el.tag in (q("w:sdt"), q("w:customXml")):
            content = el.find(q("w:sdtContent")) if el.tag == q("w:sdt") else el
            if content is not None:
                out.extend(_blocks(content))
        elif el.tag == f"{{{MC}}}AlternateContent":
            choice = el.find(f"{{{MC}}}Choice")
            if choice is not None:
                out.extend(_blocks(choice))
    return out


def _table(tbl) -> Table:
    rows: list[list[Cell]] = []
    above: dict[int, Cell] = {}  # grid column → the cell that last started there
    for tr in _children(tbl, "w:tr"):
        col = 0
        trpr = tr.find(q("w:trPr"))
        if trpr is not None:
            gb = trpr.find(q("w:gridBefore"))
            if gb is not None:
                col = int(gb.get(q("w:val"), "0") or 0)
        row: list[Cell] = []
        for tc in _children(tr, "w:tc"):
            tcpr = tc.find(q("w:tcPr"))
            span, vmerge = 1, None
            if tcpr is not None:
                gs = tcpr.find(q("w:gridSpan"))
                if gs is not None:
                    span = max(1, int(gs.get(q("w:val"), "1") or 1))
                vm = tcpr.find(q("w:vMerge"))
                if vm is not None:
                    vmerge = vm.get(q("w:val"), "continue")
            cell = Cell(col, span, _blocks(tc))
            if vmerge == "continue" and col in above:
                origin = above[col]
                cell.origin = origin.origin or origin
                # Text typed into a continuation cell (WPS allows it) still belongs to the merged cell.
                cell.origin.blocks.extend(b for b in cell.blocks if not (isinstance(b, Para) and not b.text.strip()))
            else:
                for c in range(col, col + span):
                    above[c] = cell
            row.append(cell)
            col += span
        rows.append(row)
    return Table(rows)


def _children(el, tag: str):
    """Direct children with this tag, looking through row- and cell-level content controls."""
    for child in el:
        if child.tag == q(tag):
            yield child
        elif child.tag in (q("w:sdt"), q("w:customXml")):
            content = child.find(q("w:sdtContent")) if child.tag == q("w:sdt") else child
            if content is not None:
                yield from _children(content, tag)


def _para(p) -> Para:
    out: list[str] = []
    state = {"images": 0}
    _walk(p, out, state)
    style = ""
    ppr = p.find(q("w:pPr"))
    if ppr is not None:
        ps = ppr.find(q("w:pStyle"))
        if ps is not None:
            style = ps.get(q("w:val"), "")
    return Para("".join(out), state["images"], style)


def _walk(el, out: list[str], state: dict) -> None:
    for child in el:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        if tag == q("w:t"):
            font = _symbol_font(child.getparent())
            if font:
                # "R" in Wingdings 2 is ☑ (the WPS trick); .doc files converted by LibreOffice hold U+F052 the same way
                out.append("".join(SYM_MARKS.get((font, ord(ch) & 0xFF), "") for ch in (child.text or "")))
            else:
                out.append("".join(_GLYPH_MARKS.get(ch, ch) for ch in (child.text or "")))
        elif tag in (q("w:tab"), q("w:ptab")):
            out.append("\t")
        elif tag in (q("w:br"), q("w:cr")):
            out.append("\n")
        elif tag == q("w:sym"):
            font = (child.get(q("w:font")) or "").lower()
            try:
                code = int(child.get(q("w:char")) or "0", 16)
            except ValueError:
                code = 0
            mark = SYM_MARKS.get((font, code & 0xFF)) if code >= 0xF000 or code < 0x100 else None
            out.append(mark or (chr(code) if 0x20 <= code < 0xF000 else ""))
        elif tag == q("w:fldChar"):
            kind = child.get(q("w:fldCharType"))
            if kind == "begin":
                ff = child.find(q("w:ffData"))
                box = ff.find(q("w:checkBox")) if ff is not None else None
                if box is not None:
                    out.append(CHECKED if _legacy_checked(box) else UNCHECKED)
            elif kind == "separate":
                pass
            elif kind == "end":
                pass
        elif tag == q("w:instrText") or tag == q("w:delText") or tag == q("w:del"):
            continue
        elif tag == q("w:drawing") or tag == q("w:pict") or tag == q("w:object"):
            state["images"] += 1
        elif tag == q("w:sdt"):
            pr = child.find(q("w:sdtPr"))
            box = pr.find(q("w14:checkbox")) if pr is not None else None
            if box is not None:
                checked = box.find(q("w14:checked"))
                val = checked.get(q("w14:val"), "0") if checked is not None else "0"
                out.append(CHECKED if val in ("1", "true", "on") else UNCHECKED)
                continue  # its content is the ☒/☐ glyph Word shows for the state
            content = child.find(q("w:sdtContent"))
            if content is not None:
                _walk(content, out, state)
        elif tag == f"{{{MC}}}AlternateContent":
            choice = child.find(f"{{{MC}}}Choice")
            if choice is not None:
                _walk(choice, out, state)
        elif tag in (q("w:pPr"), q("w:rPr")):
            continue
        else:
            _walk(child, out, state)


def _symbol_font(run) -> str:
    """'wingdings' / 'wingdings 2' when the run is set in one of them, else ''."""
    if run is None or run.tag != q("w:r"):
        return ""
    rpr = run.find(q("w:rPr"))
    fonts = rpr.find(q("w:rFonts")) if rpr is not None else None
    if fonts is None:
        return ""
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        name = (fonts.get(q(attr)) or "").lower()
        if name in ("wingdings", "wingdings 2"):
            return name
    return ""


def _legacy_checked(box) -> bool:
    checked = box.find(q("w:checked"))
    if checked is not None:
        return checked.get(q("w:val"), "1") not in ("0", "false", "off")
    default = box.find(q("w:default"))
    return default is not None and default.get(q("w:val"), "0") in ("1", "true", "on")


VERSION_CODE = re.compile(r"版本码\s*[：:]\s*([0-9A-F]{4}-[0-9A-F]{4})")


def footer_version_code(content: DocxContent) -> str:
    m = VERSION_CODE.search(content.footer_text)
    return m.group(1) if m else ""
