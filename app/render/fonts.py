"""East Asian fonts in Word XML done right (TECH-NOTES §1): set the eastAsia slot, drop theme fonts, resolve styles."""

from __future__ import annotations

from dataclasses import dataclass

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

LATIN_FONT = "Times New Roman"
SYMBOL_FONT = "Segoe UI Symbol"  # ☑ ☐ are in it on Windows; LibreOffice falls back to DejaVu on Linux
THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
# Fonts a document may ask for, with what can stand in for each (仿宋_GB2312 is never on Windows 10/11 by default,
# and GB/T 9704 asks only for 仿宋体).
ALTERNATIVES = {
    "仿宋_GB2312": ("仿宋", "FangSong", "FangSong_GB2312"),
    "楷体_GB2312": ("楷体", "KaiTi", "KaiTi_GB2312"),
    "宋体": ("SimSun",),
    "黑体": ("SimHei",),
    "仿宋": ("FangSong",),
}


def set_fonts(rPr, east_asia: str | None, latin: str | None = LATIN_FONT, *, hint: bool = True) -> None:
    """Write explicit font names into rPr (a run's or a style's), removing theme fonts that would override them."""
    rfonts = rPr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rPr.get_or_add_rFonts()
    for attr in THEME_ATTRS:
        rfonts.attrib.pop(qn(attr), None)
    if east_asia:
        rfonts.set(qn("w:eastAsia"), east_asia)
    if latin:
        for attr in ("w:ascii", "w:hAnsi", "w:cs"):
            rfonts.set(qn(attr), latin)
    if hint:
        rfonts.set(qn("w:hint"), "eastAsia")


def set_size(rPr, pt: float) -> None:
    """Both w:sz and w:szCs, in half-points (五号 10.5 pt = 21)."""
    half = str(int(round(pt * 2)))
    for tag in ("w:sz", "w:szCs"):
        el = rPr.find(qn(tag))
        if el is None:
            el = OxmlElement(tag)
            _insert_in_order(rPr, el)
        el.set(qn("w:val"), half)


# CT_RPr child order matters to Word: keep the schema sequence when adding elements by hand.
_RPR_ORDER = ("w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike",
              "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid",
              "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz", "w:szCs",
              "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs",
              "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath")


def _insert_in_order(rPr, el) -> None:
    rank = {t: i for i, t in enumerate(_RPR_ORDER)}
    mine = rank[el.tag.replace("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}", "w:")]
    for i, child in enumerate(rPr):
        tag = child.tag.replace("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}", "w:")
        if rank.get(tag, 999) > mine:
            rPr.insert(i, el)
            return
    rPr.append(el)


@dataclass(frozen=True)
class EffectiveFont:
    east_asia: str | None
    ascii: str | None
    size_pt: float | None
    bold: bool
    theme_east_asia: str | None  # a theme font still in the chain would override the name in Word


def effective_font(document, paragraph, run) -> EffectiveFont:
    """What Word uses for a run: run properties, then its character style, the paragraph style chain, then
    the document defaults — first value found wins, slot by slot."""
    chain = [run._element.rPr]
    styles = document.styles.element
    rstyle = run._element.rPr.find(qn("w:rStyle")) if run._element.rPr is not None else None
    if rstyle is not None:
        chain.extend(_style_chain(styles, rstyle.get(qn("w:val"))))
    pstyle_id = paragraph.style.style_id if paragraph.style is not None else None
    chain.extend(_style_chain(styles, pstyle_id))
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        chain.append(defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr")))
    found: dict[str, object] = {}
    for rPr in chain:
        if rPr is None:
            continue
        rf = rPr.find(qn("w:rFonts"))
        if rf is not None:
            for slot in ("w:eastAsia", "w:ascii", "w:eastAsiaTheme"):
                if rf.get(qn(slot)) is not None:
                    found.setdefault(slot, rf.get(qn(slot)))
        sz = rPr.find(qn("w:sz"))
        if sz is not None:
            found.setdefault("sz", int(sz.get(qn("w:val"))) / 2)
        b = rPr.find(qn("w:b"))
        if b is not None:
            found.setdefault("b", b.get(qn("w:val"), "true") not in ("0", "false"))
    return EffectiveFont(found.get("w:eastAsia"), found.get("w:ascii"), found.get("sz"), bool(found.get("b", False)),
                         found.get("w:eastAsiaTheme"))


def _style_chain(styles, style_id):
    seen = set()
    while style_id and style_id not in seen:
        seen.add(style_id)
        style = next((s for s in styles.findall(qn("w:style")) if s.get(qn("w:styleId")) == style_id), None)
        if style is None:
            return
        yield style.find(qn("w:rPr"))
        based = style.find(qn("w:basedOn"))
        style_id = based.get(qn("w:val")) if based is not None else None
