"""Recognise which official document a .docx is and collect each field's paragraphs by its official label.

Labels come from forms/*.toml (one source of truth); a label cell is matched after normalising spaces, full-width
colons and the 注 text a teacher may leave in it. The value is the cell to its right or, when the label spans
the row, the row below; rows under a merged label cell (作者信息, 平台支撑) belong to that label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from app.core.forms import FORM_KEYS, CHINESE_NUMERALS, Document, FormDef
from app.core.importer.docxread import Cell, DocxContent, Para, Table
from app.core.importer.values import Leftover, clean_paras, is_note, norm, row_texts

UNPRINTED_PROPERTY = "研修案例填报助手数据"  # custom document property: the fields no page can show (the flowchart)


@dataclass
class RowTarget:
    """A label row of an official table: the fields its content cell holds."""

    label: str
    fields: tuple[str, ...]


@dataclass
class Collected:
    """What one document gave: per field, its paragraphs and table rows; the text that belongs nowhere."""

    form: FormDef
    doc: Document
    paras: dict[str, list[str]] = field(default_factory=dict)
    rows: dict[str, list[list[str]]] = field(default_factory=dict)
    leftovers: list[Leftover] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)  # fields whose label was found
    taken: set[str] = field(default_factory=set)  # rows whose label row has been read
    images: int = 0


# ---------------------------------------------------------------- recognising the document

def _titles() -> dict[str, tuple[str, str]]:
    return {norm(d.title): (form.key, d.key) for form in (import_form(k) for k in FORM_KEYS) for d in form.documents}


def row_targets(form: FormDef, doc: Document) -> list[RowTarget]:
    return [RowTarget(r.label or form.field(r.fields[0]).label, r.fields) for r in doc.rows]


def _label_keys(label: str) -> list[str]:
    """The label as printed, and without its bracketed note: 作者信息（排序填写，最多3人） → 作者信息 too."""
    n = norm(label)
    out = [n]
    bare = re.sub(r"（[^）]*）", "", n)
    if bare and bare != n:
        out.append(bare)
    return out


def match_label(text: str, targets: list[RowTarget]) -> RowTarget | None:
    """The row whose label this cell shows: exactly, or followed by the form's own note (（排序填写…）, 不超过4个,
    注：…), never by her own words."""
    lines = [line for line in text.split("\n") if line.strip() and not is_note(line)]
    t = norm("".join(lines))
    if not t:
        return None
    best = None
    for target in targets:
        for key in _label_keys(target.label):
            if t == key:
                return target
            if t.startswith(key):
                rest = t[len(key):]
                if re.fullmatch(r"(（[^）]*）|不超过\d+[个字人项]?|[:]|注.*)+", rest):
                    if best is None or len(key) > len(best[1]):
                        best = (target, key)
    return best[0] if best else None


def recognise(content: DocxContent) -> tuple[str | None, str | None, str]:
    """(case type or None, document kind or None, how it was recognised)."""
    titles = _titles()
    paras = [b for b in content.blocks if isinstance(b, Para)]
    for p in paras[:8]:
        hit = titles.get(norm(p.text))
        if hit:
            return hit[0], hit[1], "标题"
    attachment = None
    for p in paras[:5]:
        m = re.search(r"附件\s*([12])", p.text)
        if m:
            attachment = "school" if m.group(1) == "1" else "studio"
    cells = [c.text for t in _all_tables(content.blocks) for row in t.rows for c in row if not c.continued]
    scores: dict[tuple[str, str], int] = {}
    for key in FORM_KEYS:
        form = import_form(key)
        for d in form.documents:
            if d.layout == "table":
                targets = row_targets(form, d)
                scores[(key, d.key)] = len({match_label(c, targets).label for c in cells if match_label(c, targets)})
            else:
                heads = _report_heads(form, d)
                scores[(key, d.key)] = sum(1 for p in paras if norm(_heading_text(p.text)) in heads)
    best = max(scores.values())
    if best < 2:
        return None, None, ""
    kinds = {k for (t, k), s in scores.items() if s == best}
    types = {t for (t, k), s in scores.items() if s == best}
    kind = kinds.pop() if len(kinds) == 1 else None
    if len(types) == 1:
        return types.pop(), kind, "栏目"
    if attachment:
        return attachment, kind, "附件编号"
    return _type_from_words(content), kind, "栏目"


def _type_from_words(content: DocxContent) -> str | None:
    """A report of the headings only looks the same for both types; words only one type uses decide."""
    text = "".join(p.text for p in _all_paras(content.blocks))
    studio = sum(text.count(w) for w in ("工作室", "名师名校长", "直播"))
    school = sum(text.count(w) for w in ("校本研修", "新手教师", "骨干教师"))
    if studio > school:
        return "studio"
    if school > studio:
        return "school"
    return None


def _all_tables(blocks) -> list[Table]:
    out = []
    for b in blocks:
        if isinstance(b, Table):
            out.append(b)
            for row in b.rows:
                for c in row:
                    out.extend(_all_tables(c.blocks))
    return out


def _all_paras(blocks) -> list[Para]:
    out = []
    for b in blocks:
        if isinstance(b, Para):
            out.append(b)
        else:
            for row in b.rows:
                for c in row:
                    if not c.continued:
                        out.extend(_all_paras(c.blocks))
    return out


# ---------------------------------------------------------------- table documents (info sheet, plan)

def _fixed_texts(form: FormDef) -> list[str]:
    texts = [norm(v) for v in form.fixed.values()]
    return texts + ["附件1", "附件2", norm("注：填写均为5号，宋体"), "http://www.smartedu.cn", "年月日"]


def _is_fixed(form: FormDef, text: str) -> bool:
    t = norm(text)
    return bool(t) and any(t == f or (len(f) >= 4 and t.startswith(f)) or (len(t) >= 6 and t in f)
                           for f in _fixed_texts(form))


def collect_table_document(content: DocxContent, form: FormDef, doc: Document) -> Collected:
    out = Collected(form, doc)
    targets = row_targets(form, doc)
    for b in content.blocks:
        if isinstance(b, Para):
            _loose_paragraph(out, b, "表格外", targets)
        else:
            _walk_table(out, b, targets)
    return out


def _loose_paragraph(out: Collected, p: Para, where: str, targets: list[RowTarget]) -> None:
    text = "\n".join(clean_paras([p.text]))
    out.images += p.images
    if not text:
        return
    if norm(text) in (norm(out.doc.title),) or _is_fixed(out.form, text) or is_note(text):
        return
    inline = _inline(text, out.form, targets)
    if inline is not None:
        target, rest = inline
        key = _row_key(target)
        if key in out.taken:
            out.leftovers.append(Leftover(text, f"“{target.label}”的第二个值（同一文档中出现两次，已保留前者）"))
        else:
            out.taken.add(key)
            out.seen.update(target.fields)
            out.paras.setdefault(key, []).append(rest)
        return
    out.leftovers.append(Leftover(text, f"没有对应栏目的文字（{where}）"))


def _inline(text: str, form: FormDef, targets: list[RowTarget]) -> tuple[RowTarget, str] | None:
    """"研修主题：……" typed as one paragraph or in one cell: the label, a colon, the value."""
    m = re.match(r"^\s*([^：:]{2,30}?)\s*[：:]\s*(.+)$", text, re.S)
    if not m:
        return None
    for target in targets:
        if any(form.field(k).kind in ("table", "checklist", "stages") for k in target.fields):
            continue
        if norm(m.group(1)) in _label_keys(target.label):
            return target, m.group(2)
    return None


def _walk_table(out: Collected, table: Table, targets: list[RowTarget]) -> None:
    label_of: dict[int, RowTarget | None] = {}  # id(label cell) → its row
    pending: RowTarget | None = None
    current: RowTarget | None = None
    for row in table.rows:
        if not row:
            continue
        target = None
        value_cells: list[Cell] = []
        first = row[0]
        if first.continued and id(first.origin) in label_of:
            target = label_of[id(first.origin)]
            value_cells = row[1:]
        elif not first.continued:
            target = match_label(first.text, targets)
            if target is not None:
                label_of[id(first)] = target
                value_cells = row[1:]
                if _is_fixed(out.form, first.text):
                    target = None
            elif _is_fixed(out.form, first.text):
                label_of[id(first)] = None
                _fixed_row(out, row)
                current = None
                continue
        if target is None:
            if first.continued and label_of.get(id(first.origin), "x") is None:
                continue  # under a fixed label (作者声明…): the signature space
            if pending is not None:
                target, value_cells, pending = pending, list(row), None
            elif current is not None and _section_row(row):
                # The next numbered sub-section of the row above ("2.主要工具功能" under 平台支撑): the app's documents
                # give each sub-section holding a table a row of its own beside an empty label cell.
                _take(out, current, row[1:], from_label_row=False)
                continue
            elif current is not None and _has_table(out, current) and len(row) > 1:
                target, value_cells = current, list(row)
            else:
                current = None
                for c in row:
                    if c.continued:
                        continue
                    for b in c.blocks:
                        if isinstance(b, Table):
                            _walk_table(out, b, targets)
                        else:
                            _loose_paragraph(out, b, "表格中", targets)
                continue
        current = target
        if not value_cells and not first.continued:
            pending = target  # the label spans the row: the value is in the row below
            out.seen.update(target.fields)
            continue
        _take(out, target, value_cells, from_label_row=not first.continued)


def _fixed_row(out: Collected, row: list[Cell]) -> None:
    """作者声明 / 单位意见 / 共享提示: the fixed texts and the space for signatures; her handwriting is not read."""
    for c in row[1:]:
        if c.continued:
            continue
        for p in _all_paras(c.blocks):
            text = "\n".join(clean_paras([p.text]))
            if text and norm(text) not in _fixed_texts(out.form):
                out.ignored.append(f"签名或单位意见栏中的文字：{text}")


def _section_row(row: list[Cell]) -> bool:
    """An empty label cell beside one content cell that holds a table: the row continues the label above."""
    first = row[0]
    return (len(row) == 2 and not first.continued and not first.text.strip() and not first.tables
            and not row[1].continued and bool(row[1].tables))


def _flat_rows(table: Table) -> list[list[str]]:
    """A table's rows as texts per cell, a table nested in a cell spread over rows of their own: the app's tool
    table is one row per 类别 whose second cell holds a table of (具体, 是否应用), read as (类别, 具体, 是否应用) rows."""
    out: list[list[str]] = []
    for r in table.rows:
        cells = [x.origin if x.continued else x for x in r]
        nested = next((i for i, x in enumerate(r) if not x.continued and x.tables), None)
        if nested is None:
            out.append(row_texts(cells))
            continue
        before, after = row_texts(cells[:nested]), row_texts(cells[nested + 1:])
        own = row_texts([cells[nested]])[0]
        if own.strip():
            out.append(before + [own] + after)  # text typed beside the nested table is shown, not dropped
        for inner in cells[nested].tables:
            for texts in _flat_rows(inner):
                out.append(before + texts + after)
    return out


def _has_table(out: Collected, target: RowTarget) -> bool:
    return any(out.form.field(k).kind in ("table", "checklist") for k in target.fields)


def _take(out: Collected, target: RowTarget, cells: list[Cell], *, from_label_row: bool) -> None:
    """The content cells of one row for the row's fields."""
    form = out.form
    key = _row_key(target)
    if from_label_row and key in out.taken:
        # The same label twice in one document: the first is kept, the second shown for her to decide.
        texts = [b.text for c in cells if not c.continued for b in _all_paras(c.blocks)]
        text = "\n".join(clean_paras(texts))
        if text:
            out.leftovers.append(Leftover(text, f"“{target.label}”的第二个值（同一文档中出现两次，已保留前者）"))
        return
    if from_label_row:
        out.taken.add(key)
    out.seen.update(target.fields)
    kinds = [form.field(k).kind for k in target.fields]
    real = [c for c in cells if not c.continued]
    if any(k in ("table", "checklist") for k in kinds) and len(cells) > 1:
        # A row of the table itself (作者信息 rows in the outer table): one text per cell, merged cells repeated.
        texts = row_texts([c.origin if c.continued else c for c in cells])
        out.rows.setdefault(_row_key(target), []).append(texts)
        return
    for c in real:
        for b in c.blocks:
            if isinstance(b, Table):
                out.rows.setdefault(_row_key(target), []).extend(_flat_rows(b))
            else:
                out.images += b.images
                out.paras.setdefault(_row_key(target), []).append(b.text)


def _row_key(target: RowTarget) -> str:
    return "|".join(target.fields)


# ---------------------------------------------------------------- the report

def _report_heads(form: FormDef, doc: Document) -> set[str]:
    heads = set()
    for s in doc.sections:
        if s.title:
            heads.add(norm(s.title))
        for item in s.items:
            heads.add(norm(form.field(item.heading).label))
    return heads


_H1 = re.compile(rf"^\s*([{CHINESE_NUMERALS}])\s*[、.．，,]\s*(.+)$")
_H2 = re.compile(r"^\s*([1-9１-９])\s*[.．、]\s*(.+)$")


def _heading_text(text: str) -> str:
    m = _H1.match(text) or _H2.match(text)
    return m.group(2) if m else ""


def collect_report(content: DocxContent, form: FormDef, doc: Document) -> Collected:
    """一、…五、 open the sections; 1.…5. the items of 研修概况; everything under a heading is that item's text."""
    out = Collected(form, doc)
    titled = list(enumerate(doc.sections))
    current: str | None = None  # row key of the item being read
    section = None
    for b in content.blocks:
        if isinstance(b, Table):
            for p in _all_paras([b]):
                text = "\n".join(clean_paras([p.text]))
                if text:
                    out.leftovers.append(Leftover(text, "总结报告中的表格文字"))
            continue
        out.images += b.images
        text = "\n".join(clean_paras([b.text]))
        if not text:
            continue
        if norm(text) == norm(doc.title):
            continue
        m = _H1.match(text)
        if m:
            head = norm(m.group(2))
            hit = None
            for i, s in titled:
                title = s.title or form.field(s.items[0].heading).label
                if head == norm(title) or head.startswith(norm(title) + ":"):
                    hit = (i, s, head[len(norm(title)):].lstrip(":"), title)
                    break
            if hit:
                section = hit[1]
                current = None if section.title else "|".join(section.items[0].fields)
                if current:
                    out.seen.update(section.items[0].fields)
                if hit[2]:
                    rest = re.sub(rf"^.*?{re.escape(hit[3][-1])}\s*[:：]\s*", "", text, count=1)
                    out.paras.setdefault(current or "", []).append(rest)
                continue
        if section is not None and section.title:
            m = _H2.match(text)
            if m:
                body = m.group(2)
                hit_item = None
                for item in section.items:
                    label = norm(form.field(item.heading).label)
                    nb = norm(body)
                    if nb == label or nb.startswith(label + ":"):
                        hit_item = item
                        inline = re.sub(r"^[^：:]*[：:]\s*", "", body, count=1) if nb != label else ""
                        break
                if hit_item is not None:
                    current = "|".join(hit_item.fields)
                    out.seen.update(hit_item.fields)
                    if inline.strip():
                        out.paras.setdefault(current, []).append(inline)
                    continue
        if current is None:
            if not is_note(text) and not re.fullmatch(r"(一级标题|二级标题|正文).*", norm(text)):
                out.leftovers.append(Leftover(text, "不在任何标题下的文字"))
            elif text:
                out.ignored.append(text)
            continue
        out.paras.setdefault(current, []).append(b.text)
    return out


def import_form(case_type: str) -> FormDef:
    """The form an imported case is read into: a new case's, i.e. the newest installed notice's."""
    from app.core.packs import newest_pack

    return newest_pack(case_type).form(case_type)


def collect(content: DocxContent, case_type: str, kind: str) -> Collected:
    form = import_form(case_type)
    doc = form.document(kind)
    return collect_report(content, form, doc) if doc.layout == "report" else collect_table_document(content, form, doc)


__all__ = ["collect", "import_form", "recognise", "Collected", "UNPRINTED_PROPERTY", "match_label", "row_targets",
           "Path"]
