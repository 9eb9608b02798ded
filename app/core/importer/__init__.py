"""Import filled official forms, the app's own exported documents or a plain report into one new case.

Reading is the inverse of the export but it renders nothing and needs no Qt, so it lives in the core beside the
case model it fills: `import_documents()` reads each file (converting .doc/.wps first), recognises its case type
and document kind from its labels, and returns an `ImportResult` listing every field found and every piece of
text it could not place. Nothing is written: the caller shows the result, and only when she confirms does it
become a case (`result.case`) saved through `casefile.save_case`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.core.forms import FORM_KEYS, Field, FormDef
from app.core.importer.convert import ConvertError, as_docx
from app.core.importer.docxread import DocxReadError, custom_json, footer_version_code, read_docx
from app.core.importer.reader import UNPRINTED_PROPERTY, Collected, collect, import_form, recognise
from app.core.importer import values as V
from app.core.model import Case, ValueTypeError, empty_value, normalize_value

DOC_NAMES = {"info": "案例信息表", "plan": "实施方案", "report": "总结报告"}
TYPE_NAMES = {"school": "校本研修案例", "studio": "名师名校长线上工作室研修案例"}
PREVIEW_CHARS = 30


class ImportFailed(Exception):
    """The files cannot be imported as one case; str() is a Chinese message saying what to do. Nothing was written."""


class UnreadableFile(ImportFailed):
    """A file is not a Word document that can be read (the CLI exits 2)."""


@dataclass
class SourceDoc:
    path: Path
    case_type: str
    kind: str
    title: str
    version_code: str = ""  # read from the footer of the app's own documents
    converted: bool = False  # a .doc/.wps read through a converted copy
    app_export: bool = False
    images: int = 0

    @property
    def name(self) -> str:
        return f"{self.path.name}（{DOC_NAMES[self.kind]}）"


@dataclass
class FoundField:
    key: str
    label: str
    value: Any
    source: str
    preview: str  # the value's start, as she will recognise it
    words: int  # 字数 as Word counts the printed text
    text: str = ""  # the whole value as one text (the dialog's tooltip)


@dataclass
class Unplaced:
    source: str
    text: str
    reason: str


@dataclass
class ImportResult:
    case_type: str
    documents: list[SourceDoc]
    found: list[FoundField]
    unplaced: list[Unplaced]
    ignored: list[str]
    case: Case

    @property
    def form(self) -> FormDef:
        return self.case.form

    def version_check(self) -> list[str]:
        """What the footers' version codes say about the import."""
        from app.render.context import version_code

        codes = {d.version_code for d in self.documents if d.version_code}
        if not codes:
            return []
        mine = version_code(self.case)
        lines = []
        for d in self.documents:
            if d.version_code:
                lines.append(f"{d.name}：页脚版本码 {d.version_code}")
        if codes == {mine}:
            lines.append(f"导入后的案例版本码同为 {mine}：内容与导出时完全一致。")
        else:
            kinds = {d.kind for d in self.documents}
            why = ("只导入了部分文档，其余栏目为空" if len(kinds) < 3 else
                   "文档在导出后被修改过，或各文档不是同一次导出的")
            lines.append(f"导入后的案例版本码为 {mine}，与页脚不同（{why}）。")
        return lines


# ---------------------------------------------------------------- reading one document

def read_document(path: Path, work_dir: Path | None = None, *, case_type: str | None = None):
    """(SourceDoc, Collected) for one file; raises UnreadableFile or ImportFailed."""
    path = Path(path)
    try:
        with as_docx(path, work_dir) as (docx_path, converted):
            try:
                content = read_docx(docx_path)
            except DocxReadError as exc:
                raise UnreadableFile(str(exc).replace(docx_path.name, path.name)) from exc
    except ConvertError as exc:
        raise UnreadableFile(str(exc)) from exc
    try:
        found_type, kind, _how = recognise(content)
    except RecursionError:
        raise UnreadableFile(f"“{path.name}”的表格嵌套过深，不是可以导入的表格或报告。") from None
    if kind is None:
        raise ImportFailed(f"无法识别“{path.name}”是哪一份文档：其中没有找到案例信息表、实施方案或总结报告的栏目名称"
                           f"（如“研修主题”“需求分析”“一、研修概况”）。请确认选择的是征集通知的表格或本软件导出的文档。")
    found_type = found_type or case_type
    if found_type is None:
        raise ImportFailed(f"无法从“{path.name}”判断案例类型（校本研修案例或名师名校长线上工作室研修案例）。"
                           f"请同时导入案例信息表或实施方案，或在命令行中用 --type 指明。")
    form = import_form(found_type)
    try:
        collected = collect(content, found_type, kind)
    except RecursionError:
        raise UnreadableFile(f"“{path.name}”的表格嵌套过深，不是可以导入的表格或报告。") from None
    from app import APP_TITLE

    doc = SourceDoc(path, found_type, kind, form.document(kind).title, footer_version_code(content), converted,
                    content.comments.startswith(f"由{APP_TITLE}"), collected.images)
    collected.unprinted = custom_json(content, UNPRINTED_PROPERTY)  # type: ignore[attr-defined]
    return doc, collected


# ---------------------------------------------------------------- values of one document

def _values(col: Collected, trust_unknown: bool) -> tuple[dict[str, Any], list[V.Leftover], list[str]]:
    form = col.form
    vals: dict[str, Any] = {}
    left: list[V.Leftover] = list(col.leftovers)
    ignored: list[str] = list(col.ignored)
    keys_in_rows = set(col.paras) | set(col.rows)
    for row_key in sorted(keys_in_rows, key=lambda k: list(col.paras).index(k) if k in col.paras else 999):
        keys = row_key.split("|")
        fields = [form.field(k) for k in keys]
        intros = [V.norm(r.intro) for r in col.doc.rows if r.intro and "|".join(r.fields) == row_key]
        paras = []
        for p in col.paras.get(row_key, []):
            if V.norm(p) in intros:  # the row's printed introduction (平台支撑: 使用的国家中小学智慧教育平台资源和工具。)
                ignored.append(p)
            else:
                paras.append(p)
        paras = _drop_template(fields, paras, ignored)
        rows = col.rows.get(row_key, [])
        _row_values(form, fields, paras, rows, vals, left, ignored, trust_unknown)
    return vals, left, ignored


def _drop_template(fields: list[Field], paras: list[str], ignored: list[str]) -> list[str]:
    out = []
    for p in paras:
        text = V.strip_marks(p).strip()
        if text and (V.is_note(text) or any(V.template_paragraph(f, text) for f in fields)
                     or any(V.norm(text).startswith(V.norm(f.display_label)) and f.number for f in fields)):
            ignored.append(text)
            continue
        out.append(p)
    return out


def _row_values(form: FormDef, fields: list[Field], paras: list[str], rows: list[list[str]], vals: dict,
                left: list, ignored: list, trust_unknown: bool) -> None:
    text_fields = [f for f in fields if f.kind not in ("table", "checklist", "stages") and not _folded(form, f)]
    table_fields = [f for f in fields if f.kind in ("table", "checklist")]
    # paragraphs → the row's one paragraph field (the studio report's 5.相关统计 has two groups)
    if len(text_fields) == 2 and {f.key for f in text_fields} == {"studio_stats", "report_stats"}:
        stats_f, counts_f = form.field("studio_stats"), form.field("report_stats")
        mine = [p for p in paras if any(w in p for w in ("研修周期", "直播", "出勤率"))]
        others = [p for p in paras if p not in mine]
        if mine:
            value, lo = V.parse_sentence_group(stats_f, mine)
            vals[stats_f.key] = value
            left.extend(lo)
        value, rest = V.parse_counts(counts_f, others)
        vals[counts_f.key] = value
        return
    if text_fields:
        f = text_fields[0]
        if len(text_fields) > 1:
            left.extend(V.Leftover(p, "无法确定属于哪一栏") for p in V.clean_paras(paras))
        else:
            _parse_into(form, f, paras, vals, left, ignored, trust_unknown)
    elif paras:
        left.extend(V.Leftover(p, f"“{fields[0].label}”表格外的文字") for p in V.clean_paras(paras))
    if not table_fields:
        if rows:
            left.extend(V.Leftover("；".join(t for t in r if t), f"“{fields[0].label}”中的表格") for r in rows)
        return
    split = _split_rows(form, table_fields, rows, left)
    for f in table_fields:
        got = split.get(f.key, [])
        if f.kind == "table":
            value, lo = V.table_rows(f, got)
            vals[f.key] = value
            left.extend(lo)
        else:
            checklist = form.checklist(f)
            other = form.field(f.other) if f.other else None
            chosen, other_text, lo = V.checklist_value(f, got, checklist, other.label if other else "")
            vals[f.key] = chosen
            if other is not None and other_text:
                vals[other.key] = other_text
            left.extend(lo)


def _folded(form: FormDef, f: Field) -> bool:
    return any(g.other == f.key for g in form.fields)


def _split_rows(form: FormDef, table_fields: list[Field], rows: list[list[str]], left: list
                ) -> dict[str, list[list[str]]]:
    headers = {}
    for f in table_fields:
        if f.kind == "table":
            headers[f.key] = [c.label for c in f.columns]
        else:
            headers[f.key] = list(form.checklist(f).columns)
    out: dict[str, list[list[str]]] = {}
    current = table_fields[0].key if len(table_fields) == 1 else None
    for texts in rows:
        hit = next((k for k, h in headers.items() if V.header_matches(texts, h)), None)
        if hit:
            current = hit
            out.setdefault(hit, [])
            continue
        if current is None:
            if any(t.strip() for t in texts):
                left.append(V.Leftover("；".join(t for t in texts if t), "表头之前的表格行"))
            continue
        if not any(t.strip() for t in texts):
            continue  # an empty row left for a co-author or a resource
        out.setdefault(current, []).append(texts)
    return out


def _parse_into(form: FormDef, f: Field, paras: list[str], vals: dict, left: list, ignored: list,
                trust_unknown: bool) -> None:
    k = f.kind
    if k == "line":
        value, lo = V.parse_line(paras)
    elif k == "text":
        value, lo = V.parse_text(paras)
    elif k == "tags":
        value, lo = V.parse_tags(paras)
    elif k == "multi":
        value, lo = V.parse_multi(f, form.options(f.options_from), paras, trust_unknown=trust_unknown)
    elif k == "group" and f.numbered:
        value, lo, ign = V.parse_numbered(f, paras)
        ignored.extend(ign)
    elif k == "group" and f.sentence:
        value, lo = V.parse_sentence_group(f, paras)
    elif k == "group":
        value, rest = V.parse_counts(f, paras)
        lo = [V.Leftover(r, f"“{f.label}”中的文字") for r in rest]
    else:  # number, date, choice: one line
        value, lo = V.parse_line(paras)
    vals[f.key] = value
    left.extend(lo)


# ---------------------------------------------------------------- the whole import

def import_documents(paths: list[Path], *, case_type: str | None = None, work_dir: Path | None = None) -> ImportResult:
    """Read every file and merge them into one case; raises UnreadableFile / ImportFailed with nothing written."""
    if not paths:
        raise ImportFailed("请至少选择一个Word文档。")
    read = [read_document(Path(p), work_dir, case_type=case_type) for p in paths]
    types = {d.case_type for d, _ in read}
    if case_type is not None and types - {case_type}:
        raise ImportFailed(f"所选文档是{TYPE_NAMES[types.pop()]}的文档，与指定的类型不符。")
    if len(types) > 1:
        names = "；".join(f"{d.path.name}为{TYPE_NAMES[d.case_type]}" for d, _ in read)
        raise ImportFailed(f"所选文档属于两种不同的案例（{names}），不能合并为一个案例。请分别导入。")
    ctype = types.pop()
    form = import_form(ctype)
    case = Case.new(ctype, form)
    found: dict[str, FoundField] = {}
    unplaced: list[Unplaced] = []
    ignored: list[str] = []
    order = {"info": 0, "plan": 1, "report": 2}
    read.sort(key=lambda dc: order[dc[0].kind])
    for doc, col in read:
        vals, left, ign = _values(col, doc.app_export)
        unprinted = getattr(col, "unprinted", None)
        if isinstance(unprinted, dict):
            for key, raw in unprinted.items():
                if form.has_field(key) and (form.field(key).kind == "stages" or not form.field(key).documents):
                    vals[key] = raw
        elif doc.images and any(f.kind == "stages" for f in form.fields if doc.kind in f.documents):
            unplaced.append(Unplaced(doc.name, f"图片{doc.images}张",
                                     "图片不能导入：研修流程图示请在“研修模式与流程”页按阶段填写，由本软件绘制"))
        for lo in left:
            unplaced.append(Unplaced(doc.name, lo.text, lo.reason))
        ignored.extend(f"[{DOC_NAMES[doc.kind]}] {t}" for t in ign)
        for key, raw in vals.items():
            f = form.field(key)
            try:
                value = normalize_value(f, raw)
            except ValueTypeError as exc:
                unplaced.append(Unplaced(doc.name, _describe(f, raw) if not isinstance(raw, str) else raw, str(exc)))
                continue
            if value == empty_value(f) or (f.kind == "group" and all(v in (None, "") for v in value.values())):
                continue
            if key in found:
                if found[key].value != value:
                    unplaced.append(Unplaced(doc.name, _describe(f, value),
                                             f"“{f.label}”的第二个值（与{found[key].source}中的不同，已保留{found[key].source}中的）"))
                continue
            case.set(key, value)
            text = _describe(f, value)
            found[key] = FoundField(key, f.label, value, DOC_NAMES[doc.kind], _preview(text), _words(f, value), text)
    listed = [found[f.key] for f in form.fields if f.key in found]
    return ImportResult(ctype, [d for d, _ in read], listed, unplaced, ignored, case)


def _preview(text: str, chars: int = PREVIEW_CHARS) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= chars else text[:chars] + "…"


def _words(f: Field, value: Any) -> int:
    from app.core.rules import field_word_count
    from app.core.wordcount import count_words

    if f.kind in ("text", "line", "group"):
        return field_word_count(f, value)
    return count_words(_describe(f, value))


def _describe(f: Field, value: Any) -> str:
    """The value as one readable text, for the confirmation list."""
    from app.core.printed import group_lines

    k = f.kind
    if isinstance(value, str):
        return value
    if k in ("multi", "tags"):
        return "、".join(value)
    if k == "table":
        return "；".join("，".join(v for v in row.values() if v) for row in value)
    if k == "group":
        return "\n".join(group_lines(f, value))
    if k == "checklist":
        return "；".join(f"{cat}：{'、'.join(items)}" for cat, items in value.items())
    if k == "stages":
        return "；".join(f"{i}.{s.get('name', '')}" for i, s in enumerate(value, start=1))
    return str(value)


def format_report(result: ImportResult) -> str:
    """The confirmation list as text: the CLI prints it, the dialog offers it for copying."""
    lines = [f"案例类型：{TYPE_NAMES[result.case_type]}"]
    for d in result.documents:
        extra = "（由.doc/.wps转换后读取，原文件未改动）" if d.converted else ""
        lines.append(f"文档：{d.path.name} → {DOC_NAMES[d.kind]}{extra}")
    lines.extend(result.version_check())
    lines.append("")
    lines.append(f"读出的栏目（{len(result.found)}项）：")
    for f in result.found:
        lines.append(f"  {f.label}：{f.preview}（{f.words}字，来自{f.source}）")
    missing = [f.label for f in result.form.fields if f.key not in {x.key for x in result.found}]
    if missing:
        lines.append(f"未找到内容的栏目：{'、'.join(missing)}")
    lines.append("")
    if result.unplaced:
        lines.append(f"未能放入案例的内容（{len(result.unplaced)}处，请手工复制）：")
        for u in result.unplaced:
            lines.append(f"  [{u.source}] {u.reason}：{u.text}")
    else:
        lines.append("未能放入案例的内容：无")
    if result.ignored:
        lines.append("")
        lines.append(f"已略去的表格说明文字和签名栏（{len(result.ignored)}处）：")
        lines.extend(f"  {_preview(t, 50)}" for t in result.ignored)
    return "\n".join(lines)


__all__ = ["import_documents", "ImportResult", "FoundField", "Unplaced", "SourceDoc", "ImportFailed",
           "UnreadableFile", "format_report", "FORM_KEYS"]
