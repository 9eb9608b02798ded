"""Turn the paragraphs found for one field back into its value, by the field's kind; what does not fit is returned.

Each parser is the inverse of how the app prints the field (app/core/printed.py, app/render/context.py) and also
accepts what a teacher types into the official form: 注 lines left in, a weight written 设置30%权重, counts in prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from app.core.forms import Field
from app.core.platform import CONTINUED, ToolChecklist
from app.core.importer.docxread import CHECKED, UNCHECKED
from app.core.model import STAGE_KEYS
from app.core.printed import BLANK

_SPACES = re.compile(r"[\s\u3000\u00a0]+")
_NUMBER = r"(\d+(?:\.\d+)?|_{2,}|\*+)"
_ELLIPSIS = re.compile(r"^[.…。·\s\u3000]*$")


@dataclass
class Leftover:
    """Text found for a field that could not become part of its value: shown to her, never dropped silently."""

    text: str
    reason: str


def norm(text: str) -> str:
    """Compare labels and options as Word users vary them: spaces, full-width colons and parentheses."""
    text = _SPACES.sub("", text)
    text = text.replace("：", ":").replace("(", "（").replace(")", "）").replace("．", ".")
    return text.rstrip(":")


def is_note(text: str) -> bool:
    """The form's 注：… lines, left in by the teacher."""
    t = _SPACES.sub("", text)
    return t.startswith(("注：", "注:"))


def strip_marks(text: str) -> str:
    return text.replace(CHECKED, "☑").replace(UNCHECKED, "☐")


def clean_paras(paras: list[str]) -> list[str]:
    """The non-empty paragraphs, each trimmed; checkbox marks are shown as the glyphs they stand for."""
    out = []
    for p in paras:
        for line in p.split("\n"):
            line = strip_marks(line).strip(" \t\u3000\u00a0")
            if line:
                out.append(line)
    return out


def _num(raw: str | None) -> int | float | None:
    if raw is None or not re.fullmatch(r"\d+(?:\.\d+)?", raw):
        return None
    n = float(raw)
    return int(n) if n.is_integer() else n


# ---------------------------------------------------------------- simple kinds

def parse_line(paras: list[str]) -> tuple[str, list[Leftover]]:
    lines = clean_paras(paras)
    return " ".join(lines), []


def parse_text(paras: list[str]) -> tuple[str, list[Leftover]]:
    return "\n".join(clean_paras(paras)), []


def parse_tags(paras: list[str]) -> tuple[list[str], list[Leftover]]:
    text = "；".join(clean_paras(paras))
    return [t.strip() for t in re.split(r"[；;，,、\n]+", text) if t.strip()], []


def parse_multi(f: Field, options: tuple[str, ...], paras: list[str], *, trust_unknown: bool) -> tuple[list[str], list[Leftover]]:
    """Checkbox options: a mark (typed ☑ √ ■…, a Wingdings symbol, a content control or a FORMCHECKBOX) before
    an option, or a tick typed after it. Checked options outside the official list are kept only from the app's
    own documents (it printed them from her case); from a filled form they are reported."""
    by_norm = {norm(o): o for o in options}
    chosen: list[str] = []
    left: list[Leftover] = []
    for para in paras:
        # (mark, text) pairs: the text after each mark up to the next one
        pieces = re.split(f"([{CHECKED}{UNCHECKED}])", para)
        items: list[list] = []  # [checked, text]
        lead = pieces[0]
        if lead.strip(" \t\u3000\n"):
            items.append([None, lead])
        for i in range(1, len(pieces), 2):
            mark, text = pieces[i], pieces[i + 1]
            if not text.strip(" \t\u3000\n") and items:
                # A tick typed after the option ("数学√"), or a box and a tick side by side
                if mark == CHECKED:
                    items[-1][0] = True
                continue
            items.append([mark == CHECKED, text])
        for checked, text in items:
            for chunk in re.split(r"[\n\t]+|\u3000+|\s{2,}", text) if checked is None else [text]:
                label = chunk.strip(" \t\u3000\n")
                if not label:
                    continue
                option = by_norm.get(norm(label))
                if checked is None:
                    if option is None:
                        left.append(Leftover(label, f"“{f.label}”中不是选项的文字"))
                    continue
                if not checked:
                    if option is None:
                        left.append(Leftover(label, f"“{f.label}”中的未知选项（未勾选）"))
                    continue
                if option is None and not trust_unknown:
                    left.append(Leftover(label, f"“{f.label}”中勾选了表中没有的选项"))
                    continue
                value = option or label
                if value not in chosen:
                    chosen.append(value)
    order = {o: i for i, o in enumerate(options)}
    return sorted(chosen, key=lambda o: order.get(o, len(order) + chosen.index(o))), left


# ---------------------------------------------------------------- tables

def row_texts(cells) -> list[str]:
    return [" ".join(clean_paras([p.text for p in c.paras])) for c in cells]


def is_filler_row(texts: list[str]) -> bool:
    """The official form's example rows end with "……"; an empty row is one left for a co-author."""
    return all(_ELLIPSIS.match(t) for t in texts)


def header_matches(texts: list[str], labels: list[str]) -> bool:
    got = [norm(t) for t in texts if t.strip()]
    want = [norm(label) for label in labels]
    return len(got) == len(want) and all(g == w or g.startswith(w) or w.startswith(g) for g, w in zip(got, want))


def table_rows(f: Field, rows: list[list[str]]) -> tuple[list[dict], list[Leftover]]:
    out, left = [], []
    n = len(f.columns)
    for texts in rows:
        if is_filler_row(texts):
            continue
        if len(texts) > n:
            extra = [t for t in texts[n:] if t.strip()]
            if extra:
                left.append(Leftover("；".join(extra), f"“{f.label}”中多出的单元格"))
            texts = texts[:n]
        texts = texts + [""] * (n - len(texts))
        out.append({c.key: t for c, t in zip(f.columns, texts)})
    return out, left


def checklist_value(f: Field, rows: list[list[str]], checklist: ToolChecklist, other_label: str
                    ) -> tuple[dict[str, list[str]], str | None, list[Leftover]]:
    """The tool table: (类别, 具体, 是否应用) rows; a category cell merged over its rows is given to each row by
    the reader. "是" (or a tick) marks a tool in use; the 其他 row's 具体 is the free text."""
    applied = checklist.applied
    known = {(norm(c), norm(i)): (c, i) for c, i in checklist.rows}
    cats = {norm(c.name): c.name for c in checklist.categories}
    chosen: dict[str, list[str]] = {}
    other: str | None = None
    left: list[Leftover] = []
    last_cat = ""
    for texts in rows:
        texts = texts + [""] * (3 - len(texts))
        cat, item, mark = texts[0], texts[1], texts[2]
        cat = cat or last_cat
        if cat.endswith(CONTINUED):  # the category went on past a page break (app/render/continued.py)
            cat = cat[:-len(CONTINUED)]
        last_cat = cat
        used = norm(mark) in (norm(applied), "√", "✓", "✔", "☑", "■", "Y", "y") or mark.strip() == applied
        if other_label and norm(cat) == norm(other_label):
            other = item
            if item and not used:
                left.append(Leftover(item, "“其他”一行写了工具但“是否应用”未填“是”（已按已应用读入）"))
            continue
        if is_filler_row([item, mark]):
            continue
        key = known.get((norm(cat), norm(item)))
        if key is None:
            cat_name = cats.get(norm(cat))
            if used or item:
                left.append(Leftover(f"{cat}／{item}／{mark}".strip("／"),
                                     f"“{f.label}”中的未知工具{'（类别“' + cat + '”无此项）' if cat_name else ''}"))
            continue
        if used:
            chosen.setdefault(key[0], []).append(key[1])
        elif mark.strip():
            left.append(Leftover(f"{key[0]}／{key[1]}：{mark}", f"“是否应用”应填写“{applied}”或留空"))
    return chosen, other, left


# ---------------------------------------------------------------- groups

_ITEM = re.compile(r"^\s*([1-9１-９])\s*[.．、](?![\d０-９])\s*(.*)$", re.S)
_FULLWIDTH = str.maketrans("１２３４５６７８９", "123456789")
_PRINTED_WEIGHT = re.compile(r"（权重(\d+(?:\.\d+)?|" + re.escape(BLANK) + r")%）(。?)$")
_TYPED_WEIGHT = re.compile(r"[（(]\s*(?:设置)?\s*(?:权重)?\s*[:：]?\s*(\d+(?:\.\d+)?|\*+|_+)\s*[%％]\s*(?:的)?\s*(?:权重)?\s*[）)]")


def parse_numbered(f: Field, paras: list[str]) -> tuple[dict[str, Any], list[Leftover], list[str]]:
    """研修目标 / 考核评价: "1.教师发展目标：…" (the notice's note in brackets may stay), continuation paragraphs
    belong to the item above, a weight printed （权重30%） or typed （设置30%权重）. Returns value, leftovers and the
    template texts that were ignored (the form's own instructions)."""
    parts = f.text_parts
    value: dict[str, Any] = {p.key: (None if p.kind == "number" else "") for p in f.parts}
    texts: dict[str, list[str]] = {}
    left: list[Leftover] = []
    ignored: list[str] = []
    current = None
    by_label = {norm(p.label): p for p in parts}
    for line in clean_paras(paras):
        m = _ITEM.match(line)
        part = None
        rest = ""
        if m:
            body = m.group(2)
            for label, p in by_label.items():
                stripped = norm(body)
                if stripped.startswith(label):
                    part = p
                    # drop the label, the notice's bracketed notes and the colon
                    rest = re.sub(rf"^\s*{_spaced(p.label)}\s*(?:[（(][^）)]*[）)]\s*)*(?:[：:]\s*)?", "", body)
                    break
            if part is None and int(m.group(1).translate(_FULLWIDTH)) <= len(parts) and current is None:
                part = parts[int(m.group(1).translate(_FULLWIDTH)) - 1]
                rest = m.group(2)
        if part is not None:
            if part.key in texts:
                left.append(Leftover(line, f"“{f.label}”中“{part.label}”出现了第二次"))
                current = None
                continue
            current = part
            texts[part.key] = [rest.strip()] if rest.strip() else []
            continue
        if current is None:
            if _is_template_text(f, line):
                ignored.append(line)
            else:
                left.append(Leftover(line, f"“{f.label}”中不属于任何一项的文字"))
            continue
        texts[current.key].append(line)
    for p in parts:
        lines = [t for t in texts.get(p.key, []) if t]
        if p.weight and lines:
            last = lines[-1]
            m = _PRINTED_WEIGHT.search(last)
            if m:
                lines[-1] = last[:m.start()] + m.group(2)
                value[p.weight] = _num(m.group(1))
            else:
                typed = list(_TYPED_WEIGHT.finditer("\n".join(lines)))
                if typed:
                    value[p.weight] = _num(typed[-1].group(1))
                    lines = [_TYPED_WEIGHT.sub("", t).strip() for t in lines]
                    lines = [t for t in lines if t]
        if lines == [BLANK]:
            lines = []
        if lines and _is_template_text(f, "\n".join(lines), part=p):
            ignored.append("\n".join(lines))
            lines = []
        value[p.key] = "\n".join(lines)
    return value, left, ignored


def _spaced(label: str) -> str:
    return r"\s*".join(re.escape(ch) for ch in label)


def _is_template_text(f: Field, text: str, part=None) -> bool:
    """The form's own instructions (the notice's hint, 不超过300字, （设置**%权重）) rather than her writing."""
    t = norm(text)
    if not t:
        return True
    if re.fullmatch(r"(例如:?)?不超过\d+[字个项人][。.]?", t) or t in ("例如:", "例如：", "……"):
        return True
    hints = [norm(h) for h in [f.hint] + [p.hint for p in f.parts] + ([part.label + part.hint] if part else []) if h]
    t = t.rstrip("。")
    # Left-in instructions are the note itself or whole lines of it; her own words may quote the note's example
    # (the notice's sample theme), so a short piece from the middle of a note is hers.
    return any(_covered(t, h) >= 0.85 and (len(t) >= 0.5 * len(h) or (h.startswith(t[:6]) and len(t) >= 6))
               for h in hints)


def _covered(t: str, h: str) -> float:
    """How much of t the note h contains, in order: the notice's wording varies a little between its forms
    (教学研究 / 教学探究), so an exact substring test would keep a note she left in."""
    if t in h:
        return 1.0
    if len(t) > 2 * len(h):
        return 0.0
    from difflib import SequenceMatcher

    blocks = SequenceMatcher(None, t, h, autojunk=False).get_matching_blocks()
    # only runs of 3 or more characters: her own sentence shares single characters with any note
    return sum(b.size for b in blocks if b.size >= 3) / len(t)


def template_paragraph(f: Field, text: str) -> bool:
    return is_note(text) or _is_template_text(f, text)


def parse_sentence_group(f: Field, paras: list[str]) -> tuple[dict[str, Any], list[Leftover]]:
    """参与教师, 持续时间, 工作室直播与研修周期: the app's sentence read back exactly, else each number found after
    its label in what she wrote (共计24人，其中新手教师6人…; 16周，总学时48)."""
    value: dict[str, Any] = {p.key: (None if p.kind == "number" else "") for p in f.parts}
    lines = clean_paras(paras)
    text = "".join(lines)
    left: list[Leftover] = []
    if not text:
        return value, left
    for sentence, keys in _sentences(f):
        m = re.fullmatch(sentence, text)
        if m:
            for k in keys:
                p = f.part(k)
                value[k] = _date_back(m.group(k)) if p.kind == "date" else _num(m.group(k))
            return value, left
    found_any = False
    for p in f.parts:
        if p.kind == "number":
            label = {"weeks": "", "hours": "总学时", "total": "共计"}.get(p.key, p.label)
            pat = (rf"{_spaced(label)}\s*[:：为]?\s*(\d+(?:\.\d+)?)" if label
                   else rf"(\d+(?:\.\d+)?)\s*{re.escape(p.unit)}")
            m = re.search(pat, text)
            if m:
                value[p.key] = _num(m.group(1))
                found_any = True
        elif p.kind == "date":
            dates = re.findall(r"(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})", text)
            idx = [q.key for q in f.parts if q.kind == "date"].index(p.key)
            if idx < len(dates):
                y, mo, d = dates[idx]
                value[p.key] = f"{int(y):04d}-{int(mo):02d}-{int(d):02d}"
                found_any = True
    if not found_any:
        left.append(Leftover(text, f"“{f.label}”中没有读出数字"))
    elif not _all_read(f, value, text):
        left.append(Leftover(text, f"“{f.label}”的原文（请核对读出的数字）"))
    return value, left


def _all_read(f: Field, value: dict, text: str) -> bool:
    return all(value.get(p.key) not in (None, "") for p in f.parts if p.required) and len(text) < 120


def _sentences(f: Field):
    """Regexes for the app's own sentence: with and without each optional part's sentence."""
    out = []
    if not f.sentence:
        return out
    base, keys = _template_regex(f.sentence)
    extra = [(p, *_template_regex(p.sentence)) for p in f.parts if p.sentence]
    full = base + "".join(e[1] for e in extra)
    out.append((full, keys + [k for e in extra for k in e[2]]))
    out.append((base, keys))
    return out


def _template_regex(sentence: str) -> tuple[str, list[str]]:
    import string

    pattern, keys = "", []
    for literal, name, _, _ in string.Formatter().parse(sentence):
        pattern += re.escape(literal)
        if name is not None:
            if name in keys:
                pattern += f"(?P={name})"
            else:
                pattern += rf"(?P<{name}>\d+(?:\.\d+)?|{re.escape(BLANK)}|\d{{4}}年\d{{1,2}}月\d{{1,2}}日)"
                keys.append(name)
    return pattern, keys


def _date_back(text: str | None) -> str:
    m = re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", text or "")
    return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}" if m else ""


def parse_counts(f: Field, paras: list[str]) -> tuple[dict[str, Any], list[str]]:
    """相关统计: paragraphs made only of "专题讲座3场、课例研讨16次…。" give the counts; the rest is the free text."""
    value: dict[str, Any] = {p.key: (None if p.kind == "number" else "") for p in f.parts}
    numbers = [p for p in f.parts if p.kind == "number"]
    rest: list[str] = []
    for line in clean_paras(paras):
        pieces = [x for x in re.split(r"[、，,；;]", line.rstrip("。.；;")) if x.strip()]
        read = {}
        ok = bool(pieces)
        for piece in pieces:
            m = None
            for p in numbers:
                m = re.fullmatch(rf"\s*{_spaced(p.label)}\s*[:：]?\s*{_NUMBER}\s*{re.escape(p.unit)}\s*", piece)
                if m:
                    if p.key in read or value[p.key] is not None:
                        m = None
                    else:
                        read[p.key] = _num(m.group(1))
                    break
            if not m:
                ok = False
                break
        if ok and not rest:
            value.update(read)
        else:
            rest.append(line)
    text = next((p for p in f.text_parts), None)
    if text is not None:
        value[text.key] = "\n".join(rest)
        rest = []
    return value, rest


def parse_stages(raw: Any) -> list[dict] | None:
    """The stages the app keeps in the plan's document properties (the flowchart itself is a picture)."""
    if not isinstance(raw, list) or not all(isinstance(s, dict) for s in raw):
        return None
    return [{k: str(s.get(k, "") or "") for k in STAGE_KEYS} for s in raw]
