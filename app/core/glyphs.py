"""Characters the prescribed font of a document cannot draw, found before export: a 提醒 per field naming the
characters and what Word and the PDF will do with them (TECH-NOTES §8.1). A rule of ours, never an error."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from app.core.model import Case

# The character set each prescribed East Asian font covers, as a Python codec. *_GB2312 faces hold GB2312 only
# (6 763 hanzi); 宋体, 黑体 and 仿宋 (Windows Vista and later) hold GBK.
FONT_CODECS = {"仿宋_GB2312": "gb2312", "楷体_GB2312": "gb2312", "宋体": "gbk", "黑体": "gbk", "仿宋": "gbk",
               "楷体": "gbk"}
MAX_LISTED = 8  # characters named in one message; the rest are counted


@dataclass(frozen=True)
class GlyphProblem:
    document: str  # info / plan / report
    field: str
    font: str
    kind: str  # "gb2312" (a GBK character a *_GB2312 face lacks), "rare" (beyond the font), "emoji"
    chars: tuple[str, ...]


def _kind(ch: str, codec: str) -> str | None:
    cp = ord(ch)
    if cp < 0x2000 or 0xFE00 <= cp <= 0xFE0F or cp == 0x200D:  # Latin (Times New Roman), emoji joiners
        return None
    try:
        encoded = ch.encode("gbk")
    except UnicodeEncodeError:
        encoded = b""
    # GB2312 is the part of GBK whose two bytes are both 0xA1 or above (Python's gb2312 codec maps a few marks,
    # — among them, differently from Windows).
    in_gb2312 = len(encoded) == 2 and encoded[0] >= 0xA1 and encoded[1] >= 0xA1
    if in_gb2312 or (encoded and codec == "gbk"):
        return None
    if encoded:
        return "gb2312"
    if unicodedata.category(ch) == "So" or 0x1F000 <= cp <= 0x1FAFF:
        return "emoji"
    return "rare"


def _texts(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in _texts(k) + _texts(v)]
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in _texts(v)]
    return []


def find_glyph_problems(case: Case) -> list[GlyphProblem]:
    out = []
    form = case.form
    for doc in form.documents:
        codec = FONT_CODECS.get(doc.font)
        if codec is None:
            continue
        for key in dict.fromkeys(doc.field_keys):
            if not form.has_field(key):
                continue
            found: dict[str, list[str]] = {}
            for text in _texts(case.get(key)):
                for ch in text:
                    kind = _kind(ch, codec)
                    if kind and ch not in found.setdefault(kind, []):
                        found[kind].append(ch)
            for kind in ("gb2312", "rare", "emoji"):
                if found.get(kind):
                    out.append(GlyphProblem(doc.key, key, doc.font, kind, tuple(found[kind])))
    return out


def _listed(chars: tuple[str, ...]) -> str:
    shown = "".join(f"“{c}”" for c in chars[:MAX_LISTED])
    return shown + (f"等{len(chars)}个字符" if len(chars) > MAX_LISTED else "")


def message(problem: GlyphProblem, case: Case) -> str:
    f = case.form.field(problem.field)
    doc = case.form.document(problem.document)
    where = f"《{doc.title}》的“{f.display_label}”中的{_listed(problem.chars)}"
    if problem.kind == "gb2312":
        return (f"{where}不在{problem.font}字体的字库（GB2312）中：Word会改用别的字体显示，字形与前后文字不同，"
                f"打印或转PDF时也可能显示为方框。可在Word中把这部分文字改为“仿宋”（GB/T 9704只要求仿宋体），"
                "或换用常用字。")
    if problem.kind == "emoji":
        return (f"{where}是表情或图形符号，规定的{problem.font}字体中没有：Word中会显示为彩色图标或方框，"
                "PDF和打印件中可能完全消失。建议删除，或改用文字表述。")
    return (f"{where}是{problem.font}字体中没有的生僻字或特殊字符：Word和PDF中可能显示为方框（□）或空白。"
            "请确认接收单位的电脑能显示，或改用常用字。")


def glyph_findings(case: Case) -> list:
    """The problems as the check's 提醒 (registered in app/core/rules.check_case)."""
    from app.core.rules import WARNING, Finding

    return [Finding(WARNING, p.document, p.field, message(p, case)) for p in find_glyph_problems(case)]
