"""Load forms/*.toml into typed, immutable definitions that the wizard, counters, documents and checks all read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from app import paths
from app.core.curriculum import GRADE_LABELS, Curriculum
from app.core.defdata import DefinitionError, Reader, read_definition
from app.core.platform import Platform
from app.core.resources import ResourceFiles

# line: one line of text; text: paragraphs; choice/multi: one or several of fixed options;
# tags: a short list of free texts (keywords); table: rows with named columns; number, date;
# group: named numbers or dates printed as one sentence; checklist: the official tool table;
# stages: the ordered process stages drawn as the plan's flowchart.
KINDS = ("line", "text", "choice", "multi", "tags", "table", "number", "date", "group", "checklist", "stages")
PART_KINDS = ("number", "date", "text")
# The limits and rules a definition may set; each one carries `<name>_source` saying where it comes from.
FIELD_RULES = ("limit", "item_limit", "min_items", "max_items", "sum", "total", "measurable", "min_period_months")
SOURCE_NOTICE, SOURCE_OURS = "notice", "ours"
# A rule the notice states only "in principle" (原则上) is a reminder even though it is the notice's.
IN_PRINCIPLE = "原则上"
LAYOUTS = ("table", "report")
SIZES_PT = {"初号": 42, "小初": 36, "一号": 26, "小一": 24, "二号": 22, "小二": 18, "三号": 16, "小三": 15,
            "四号": 14, "小四": 12, "五号": 10.5, "小五": 9, "六号": 7.5}
FIXED_KEYS = ("declaration_title", "declaration", "signature", "sign_date", "unit_opinion_title",
              "unit_opinion", "unit_seal", "seal_date", "share_notice")
STAGE_MODES = ("线上", "线下", "混合")
CHINESE_NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Source:
    """Where a limit or rule comes from: the notice (with its words) or ourselves (with our reason).

    Only the notice's rules are errors; ours are reminders (提醒) that say why."""

    origin: str  # SOURCE_NOTICE or SOURCE_OURS
    text: str  # the notice's words, or our reason

    @property
    def is_notice(self) -> bool:
        return self.origin == SOURCE_NOTICE

    @property
    def blocks(self) -> bool:
        """An error (blocks the package) rather than a reminder."""
        return self.is_notice and IN_PRINCIPLE not in self.text

    def explain(self) -> str:
        """The tail a finding prints, so she sees whose rule it is."""
        if self.is_notice:
            return f"（通知：“{self.text}”）"
        return f"（本软件的提醒，非通知要求：{self.text}）"


def _sources_get(sources: tuple[tuple[str, "Source"], ...], name: str) -> "Source":
    for key, src in sources:
        if key == name:
            return src
    raise KeyError(f"no source for {name!r}")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    limit: int | None = None
    required: bool = True
    format: str = ""  # "mobile": 11-digit mainland mobile number
    options_from: str = ""
    limit_source: Source | None = None


@dataclass(frozen=True)
class Part:
    key: str
    label: str
    kind: str = "number"
    unit: str = ""
    min: float | None = None
    max: float | None = None
    required: bool = True
    in_total: bool = True  # counted among the parts that may not exceed the group's total
    sentence: str = ""  # printed after the group's sentence when this optional part is filled in
    hint: str = ""  # text parts: the notice's note after the part's name, e.g. （课堂教学实践维度）
    weight: str = ""  # text parts: the number part holding this part's weight, printed inline （权重30%）
    sources: tuple[tuple[str, Source], ...] = ()  # "min" / "max" → where that bound comes from

    def source(self, name: str) -> Source:
        return _sources_get(self.sources, name)


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: str
    page: str
    hint: str = ""
    limit: int | None = None  # 字数 limit
    required: bool = True
    number: str = ""  # "1." as printed before the label in the documents
    min_items: int | None = None
    max_items: int | None = None
    item_limit: int | None = None  # 字数 limit of one tag
    columns: tuple[Column, ...] = ()
    options_from: str = ""
    parts: tuple[Part, ...] = ()
    sum: float | None = None  # group parts must add up to this
    total: str = ""  # group part that the other in_total parts may not exceed
    sentence: str = ""
    measurable: bool = False  # group: each text part (goal) needs a quantity and a time frame
    min_period_months: int | None = None
    other: str = ""  # checklist: the line field printed as the table's free-text last row (其他)
    numbered: bool = False  # group: its text parts print as the notice's numbered lines "1.教师发展目标：…"
    sources: tuple[tuple[str, Source], ...] = ()  # FIELD_RULES name → where that limit or rule comes from
    documents: tuple[str, ...] = ()  # derived from the documents' rows and sections

    @property
    def display_label(self) -> str:
        return f"{self.number}{self.label}"

    def source(self, name: str) -> Source:
        return _sources_get(self.sources, name)

    @property
    def text_parts(self) -> tuple[Part, ...]:
        return tuple(p for p in self.parts if p.kind == "text")

    def part(self, key: str) -> Part:
        return next(p for p in self.parts if p.key == key)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


@dataclass(frozen=True)
class Row:
    """One row of an official table: a label cell and the fields printed in the content cell."""

    fields: tuple[str, ...]
    label: str = ""  # empty: the first field's label
    intro: str = ""


@dataclass(frozen=True)
class ReportItem:
    fields: tuple[str, ...]
    heading: str  # the field whose label is the 二级标题


@dataclass(frozen=True)
class Section:
    items: tuple[ReportItem, ...]
    title: str = ""  # empty: the only item's label, printed as the 一级标题


@dataclass(frozen=True)
class Document:
    key: str  # info / plan / report
    title: str
    file_stem: str
    layout: str
    font: str
    size: str
    limit: int | None = None  # 字数 of the whole document
    heading1_font: str = ""
    heading2_font: str = ""
    rows: tuple[Row, ...] = ()
    sections: tuple[Section, ...] = ()
    limit_source: Source | None = None
    note: str = ""  # the notice's 注 printed under a table, e.g. where and by when to send it

    @property
    def size_pt(self) -> float:
        return SIZES_PT[self.size]

    @property
    def field_keys(self) -> tuple[str, ...]:
        if self.layout == "table":
            return tuple(k for row in self.rows for k in row.fields)
        return tuple(k for s in self.sections for item in s.items for k in item.fields)


@dataclass(frozen=True)
class Page:
    key: str
    title: str
    subtitle: str = ""


@dataclass(frozen=True)
class Submission:
    start: dt.date
    end: dt.date
    where: str
    info_formats: str
    other_formats: str
    due: dt.date | None = None  # a form sent by its own date (Attachment 3) rather than in the notice's window


@dataclass(frozen=True)
class Materials:
    label: str
    hint: str
    max_files: int
    max_total_mb: int
    min_files: int = 0
    sources: tuple[tuple[str, Source], ...] = ()  # min_files / max_files / max_total_mb

    def source(self, name: str) -> Source:
        return _sources_get(self.sources, name)

    @property
    def max_total_bytes(self) -> int:
        return self.max_total_mb * 1024 * 1024


@dataclass(frozen=True)
class FormDef:
    key: str  # school / studio
    title: str
    attachment: str
    submission: Submission
    materials: Materials
    fixed: dict[str, str]
    documents: tuple[Document, ...]
    pages: tuple[Page, ...]
    fields: tuple[Field, ...]
    source: str = field(default="", compare=False)
    by_key: dict[str, Field] = field(default_factory=dict, compare=False, repr=False)  # filled at load
    pack_id: str = field(default="", compare=False)  # the form pack this definition came from
    pack_version: int = field(default=0, compare=False)
    name_field: str = "theme"  # the field whose text names the exported files (研修主题; Attachment 3: 单位名称)
    # The pack's curriculum, platform catalogue and review data (the built-in files where it ships none).
    resources: ResourceFiles = field(default_factory=ResourceFiles.builtin, compare=False, repr=False)

    @property
    def curriculum(self) -> Curriculum:
        return self.resources.read_curriculum()

    @property
    def platform(self) -> Platform:
        return self.resources.read_platform()

    @property
    def review(self):
        """The pack's ReviewData (app.core.review.data)."""
        return self.resources.read_review()

    def checklist(self, f: "Field"):
        """The pack's official tool table a checklist field stands for (platform.tools.<key>)."""
        return self.platform.tools[f.options_from.rsplit(".", 1)[1]]

    def options(self, source: str) -> tuple[str, ...]:
        """The options an `options_from` name stands for, from this form's pack."""
        return _option_sources(self.resources)[source]

    def field(self, key: str) -> Field:
        try:
            return self.by_key[key]
        except KeyError:
            raise KeyError(f"{self.key} has no field {key!r}") from None

    def has_field(self, key: str) -> bool:
        return key in self.by_key

    def document(self, key: str) -> Document:
        return next(d for d in self.documents if d.key == key)

    def fields_on_page(self, page: str) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.page == page)


# ---------------------------------------------------------------- loading

_SOURCES_OF: dict = {}  # (id(curriculum), id(platform)) -> (curriculum, platform, sources), for the objects held


def _option_sources(resources: ResourceFiles) -> dict[str, tuple[str, ...]]:
    """Every `options_from` name a definition may use, with the options it stands for in the pack's resources.
    Made again only when that curriculum or platform data are loaded anew: building a context asks for options
    once per choice field."""
    cur, plat = resources.read_curriculum(), resources.read_platform()
    last = _SOURCES_OF.get((id(cur), id(plat)))
    if last is not None and last[0] is cur and last[1] is plat:
        return last[2]
    sources = {
        "curriculum.subjects": cur.subject_names,
        "curriculum.stages": cur.stage_labels,
        "curriculum.grades": GRADE_LABELS,
        "curriculum.content": tuple(i.name for s in cur.subjects for i in s.items),
        "platform.channels": plat.channels,
        "platform.resources": tuple(r.name for r in plat.resources),
    }
    for key, checklist in plat.tools.items():
        sources[f"platform.tools.{key}"] = tuple(f"{c}/{i}" for c, i in checklist.rows)
    if len(_SOURCES_OF) > 8:  # a few packs at most; objects no longer loaded are let go
        _SOURCES_OF.clear()
    _SOURCES_OF[(id(cur), id(plat))] = (cur, plat, sources)
    return sources


def _load(path: Path) -> FormDef:
    top = read_definition(path, "yanxiu-form", "表单定义")
    # The window is the notice's, so it lives in the pack's manifest, not in each form.
    from app.core.packs import notice_for_forms_dir

    pack = notice_for_forms_dir(path.parent)
    resources = ResourceFiles.of(pack.root / "resources")
    sources = _option_sources(resources)
    rs = top.child("submission", top.table_("submission", required=True))
    due = rs.raw("due")
    if due is not None and (not isinstance(due, dt.date) or isinstance(due, dt.datetime)):
        raise rs.error("due", "应为日期，如 2025-04-20（不加引号）")
    submission = Submission(pack.notice.submission_start, pack.notice.submission_end, rs.str("where", required=True),
                            rs.str("info_formats", required=True), rs.str("other_formats", ""), due)
    rs.finish()

    if top.raw("materials") is None:  # a form without supporting files (Attachment 3)
        materials = Materials("", "", 0, 0)
    else:
        rm = top.child("materials", top.table_("materials", required=True))
        materials = Materials(rm.str("label", required=True), rm.str("hint", required=True),
                              _positive(rm, "max_files"), _positive(rm, "max_total_mb"), rm.int("min_files", 0))
        materials = replace(materials, sources=_sources(rm, {"min_files": materials.min_files or None,
                                                             "max_files": materials.max_files,
                                                             "max_total_mb": materials.max_total_mb}))
        rm.finish()

    # The declaration and seal block of a case's info sheet; a form without one (Attachment 3) omits [fixed].
    fixed = {}
    if top.raw("fixed") is not None:
        rf = top.child("fixed", top.table_("fixed", required=True))
        fixed = {k: rf.str(k, required=True) for k in FIXED_KEYS}
        rf.finish()

    pages = []
    for i, raw in enumerate(top.list("pages", required=True)):
        r = top.child(f"pages[{i}]", raw)
        pages.append(Page(r.str("key", required=True), r.str("title", required=True), r.str("subtitle")))
        r.finish()
    _unique(path, "pages", [p.key for p in pages])
    page_keys = {p.key for p in pages}

    raw_fields = []
    for i, raw in enumerate(top.list("fields", required=True)):
        raw_fields.append(_field(top.child(f"fields[{i}]", raw), page_keys, sources))
    _unique(path, "fields", [f.key for f in raw_fields])
    field_keys = {f.key for f in raw_fields}
    for f in raw_fields:
        if f.other and (f.other not in field_keys or next(g for g in raw_fields if g.key == f.other).kind != "line"):
            raise DefinitionError(path, f"fields.{f.key}.other",
                                  f"应为一个 line（单行）字段的 key，而“{f.other}”不是")

    documents = []
    for i, raw in enumerate(top.list("documents", required=True)):
        documents.append(_document(top.child(f"documents[{i}]", raw), field_keys))
    _unique(path, "documents", [d.key for d in documents])
    if [d.key for d in documents] not in (["info", "plan", "report"], ["info"]):
        raise DefinitionError(path, "documents", "应依次为 info、plan、report 三个文档（案例），或只有 info 一个文档")

    # Which documents a field lands in follows from the documents themselves: nothing to keep in step.
    fields = []
    for f in raw_fields:
        docs = tuple(d.key for d in documents if f.key in d.field_keys)
        fields.append(replace(f, documents=docs))
    form = FormDef(top.str("key", required=True), top.str("title", required=True),
                   top.str("attachment", required=True), submission, materials, fixed, tuple(documents),
                   tuple(pages), tuple(fields), source=str(path), by_key={f.key: f for f in fields},
                   pack_id=pack.id, pack_version=pack.version, name_field=top.str("name_field", "theme"),
                   resources=resources)
    top.finish()
    if not form.has_field(form.name_field):
        raise DefinitionError(path, "name_field", f"没有 key 为“{form.name_field}”的字段，请写一个已有字段的 key")
    if form.key != path.stem:
        raise DefinitionError(path, "key", f"应与文件名一致，即“{path.stem}”")
    for page in pages:
        if not form.fields_on_page(page.key):
            raise DefinitionError(path, f"pages.{page.key}", "这一页没有任何字段：请给某些字段写 page = \"" + page.key + "\"，或删去这一页")
    return form


def _positive(r: Reader, name: str, *, required: bool = True) -> int:
    value = r.int(name, required=required)
    if value is not None and value <= 0:
        raise r.error(name, "应为大于 0 的整数")
    return value  # type: ignore[return-value]


def _unique(path: Path, where: str, keys: list[str]) -> None:
    seen: set[str] = set()
    for k in keys:
        if k in seen:
            raise DefinitionError(path, f"{where}.{k}", "key 重复，每个 key 只能用一次")
        seen.add(k)


def _field(r: Reader, page_keys: set[str], sources: dict[str, tuple[str, ...]]) -> Field:
    key = r.str("key", required=True)
    r.where = f"fields.{key}"
    kind = r.choice("kind", KINDS, what="字段类型")
    label = r.str("label", required=True)
    page = r.str("page", required=True)
    if page not in page_keys:
        raise r.error("page", f"没有 key 为“{page}”的页面（见 [[pages]]）")
    options_from = r.choice("options_from", ("", *sources), "", what="选项来源")
    if kind in ("choice", "multi", "checklist") and not options_from:
        raise r.error("options_from", f"{kind} 类字段需要写明选项来源 options_from")
    columns = tuple(_column(r.child(f"columns[{j}]", c), sources) for j, c in enumerate(r.list("columns")))
    if (kind == "table") != bool(columns):
        raise r.error("columns", "只有 table（表格）字段有 columns，且 table 字段必须有")
    _unique(r.path, f"{r.where}.columns", [c.key for c in columns])
    parts = tuple(_part(r.child(f"parts[{j}]", p)) for j, p in enumerate(r.list("parts")))
    if (kind == "group") != bool(parts):
        raise r.error("parts", "只有 group（组合）字段有 parts，且 group 字段必须有")
    _unique(r.path, f"{r.where}.parts", [p.key for p in parts])
    f = Field(
        key=key, label=label, kind=kind, page=page, hint=r.str("hint"), limit=_positive(r, "limit", required=False),
        required=r.bool("required", True), number=r.str("number"),
        min_items=r.int("min_items"), max_items=_positive(r, "max_items", required=False),
        item_limit=_positive(r, "item_limit", required=False), columns=columns, options_from=options_from,
        parts=parts, sum=r.number("sum"), total=r.str("total"), sentence=r.str("sentence"),
        measurable=r.bool("measurable", False), min_period_months=_positive(r, "min_period_months", required=False),
        other=r.str("other"), numbered=r.bool("numbered", False),
    )
    f = replace(f, sources=_sources(r, {name: getattr(f, name) for name in FIELD_RULES}))
    if f.other and kind != "checklist":
        raise r.error("other", "只有 checklist（工具清单）字段可以有 other（末行“其他”）")
    if f.min_items is not None and (f.min_items < 0 or (f.max_items is not None and f.min_items > f.max_items)):
        raise r.error("min_items", "应在 0 和 max_items 之间")
    if f.total and f.total not in {p.key for p in parts}:
        raise r.error("total", f"没有 key 为“{f.total}”的 part")
    if f.sentence:
        _check_sentence(r, "sentence", f.sentence, {p.key for p in parts})
    for p in parts:
        if p.sentence:
            _check_sentence(r, f"parts.{p.key}.sentence", p.sentence, {p.key})
    part_keys = {p.key: p for p in parts}
    for p in parts:
        if p.weight and (p.kind != "text" or part_keys.get(p.weight) is None or part_keys[p.weight].kind != "number"):
            raise r.error(f"parts.{p.key}.weight", "文字 part 的 weight 应为同一字段中某个数字（number）part 的 key")
    if f.measurable and not f.text_parts:
        raise r.error("measurable", "只有含文字 part（目标）的 group 字段才能检查是否可测量，请删去 measurable")
    if f.numbered and not f.text_parts:
        raise r.error("numbered", "只有含文字 part 的 group 字段才能编号印出，请删去 numbered")
    if f.min_period_months and [p.kind for p in parts[:2]] != ["date", "date"]:
        raise r.error("min_period_months", "需要前两个 part 是开始日期和结束日期（kind = \"date\"）")
    r.finish()
    return f


def _sources(r: Reader, rules: dict[str, object]) -> tuple[tuple[str, Source], ...]:
    """Each limit or rule that is set needs `<name>_source = { source = "notice", words = "…" }` (the notice's
    words) or `{ source = "ours", reason = "…" }`; a source for a rule that is not set is a mistake too."""
    out = []
    for name, value in rules.items():
        raw = r.raw(f"{name}_source")
        is_set = value not in (None, False, "", 0) or (name == "min" and value == 0)
        if raw is None:
            if is_set:
                raise r.error(f"{name}_source", f"缺少：请写明 {name} = {value!r} 的出处（通知原文写 "
                                                "{ source = \"notice\", words = \"…\" }，本软件的建议写 "
                                                "{ source = \"ours\", reason = \"…\" }）")
            continue
        if not is_set:
            r.finish(also=frozenset(f"{n}_source" for n in rules))  # `lmit = 300` is a typo, not a stray source
            raise r.error(f"{name}_source", f"写了 {name} 的出处，但没有设置 {name}：请补上 {name} 或删去这一项")
        rs = r.child(f"{name}_source", raw)
        origin = rs.choice("source", (SOURCE_NOTICE, SOURCE_OURS), what="出处")
        text = rs.str("words" if origin == SOURCE_NOTICE else "reason", required=True)
        rs.finish()
        out.append((name, Source(origin, text)))
    return tuple(out)


def _check_sentence(r: Reader, name: str, sentence: str, allowed: set[str]) -> None:
    import string

    for _, name_, _, _ in string.Formatter().parse(sentence):
        if name_ is not None and name_ not in allowed:
            raise r.error(name, f"用到了 {{{name_}}}，但这里没有 key 为“{name_}”的 part")


def _column(r: Reader, sources: dict[str, tuple[str, ...]]) -> Column:
    options_from = r.choice("options_from", ("", *sources), "", what="选项来源")
    fmt = r.choice("format", ("", "mobile"), "", what="格式")
    c = Column(r.str("key", required=True), r.str("label", required=True), _positive(r, "limit", required=False),
               r.bool("required", True), fmt, options_from)
    c = replace(c, limit_source=dict(_sources(r, {"limit": c.limit})).get("limit"))
    r.finish()
    return c


def _part(r: Reader) -> Part:
    kind = r.choice("kind", PART_KINDS, "number", what="part 类型")
    p = Part(r.str("key", required=True), r.str("label", required=True), kind, r.str("unit"), r.number("min"),
             r.number("max"), r.bool("required", True), r.bool("in_total", True), r.str("sentence"), r.str("hint"),
             r.str("weight"))
    if p.min is not None and p.max is not None and p.min > p.max:
        raise r.error("min", "不能大于 max")
    if kind != "number" and (p.min is not None or p.max is not None or p.unit):
        raise r.error("min", f"{kind} 类 part 不能有 min、max 或 unit")
    p = replace(p, sources=_sources(r, {"min": p.min, "max": p.max}))
    r.finish()
    return p


def _document(r: Reader, field_keys: set[str]) -> Document:
    key = r.str("key", required=True)
    r.where = f"documents.{key}"
    layout = r.choice("layout", LAYOUTS, what="版式")
    size = r.choice("size", tuple(SIZES_PT), what="字号")

    def known(where: str, keys: list) -> tuple[str, ...]:
        for k in keys:
            if not isinstance(k, str) or k not in field_keys:
                raise r.error(where, f"没有 key 为“{k}”的字段（见 [[fields]]）")
        return tuple(keys)

    rows, sections = [], []
    for j, raw in enumerate(r.list("rows")):
        if isinstance(raw, str):
            rows.append(Row(known(f"rows[{j}]", [raw])))
        else:
            rr = r.child(f"rows[{j}]", raw)
            rows.append(Row(known(f"rows[{j}].fields", rr.list("fields", required=True)), rr.str("label"),
                            rr.str("intro")))
            rr.finish()
    for j, raw in enumerate(r.list("sections")):
        rs = r.child(f"sections[{j}]", raw)
        items = []
        for k, item in enumerate(rs.list("items", required=True)):
            if isinstance(item, str):
                items.append(ReportItem(known(f"sections[{j}].items[{k}]", [item]), item))
            else:
                ri = rs.child(f"items[{k}]", item)
                fields = known(f"sections[{j}].items[{k}].fields", ri.list("fields", required=True))
                heading = ri.str("heading", required=True)
                if heading not in fields:
                    raise ri.error("heading", "应为本项 fields 中的一个")
                items.append(ReportItem(fields, heading))
                ri.finish()
        title = rs.str("title")
        if not title and len(items) != 1:
            raise rs.error("title", "含多个项目的部分需要 title（一级标题）")
        sections.append(Section(tuple(items), title))
        rs.finish()
    if (layout == "table") != bool(rows) or (layout == "report") != bool(sections):
        raise r.error("layout", "layout = \"table\" 的文档要有 rows，layout = \"report\" 的文档要有 sections")
    d = Document(key, r.str("title", required=True), r.str("file_stem", required=True), layout,
                 r.str("font", required=True), size, _positive(r, "limit", required=False),
                 r.str("heading1_font"), r.str("heading2_font"), tuple(rows), tuple(sections), note=r.str("note"))
    d = replace(d, limit_source=dict(_sources(r, {"limit": d.limit})).get("limit"))
    _unique(r.path, f"{r.where}.fields", list(d.field_keys))
    r.finish()
    return d


FORM_KEYS = ("school", "studio")


@cache
def load_form(key: str, directory: Path | None = None) -> FormDef:
    if directory is None and key not in _builtin_forms():
        raise KeyError(f"unknown case type {key!r}")
    return _load((directory or paths.forms_dir()) / f"{key}.toml")


def _builtin_forms() -> tuple[str, ...]:
    from app.core.packs import builtin_pack

    return builtin_pack().forms


def load_all() -> dict[str, FormDef]:
    """The two case forms (Attachments 1 and 2) of the built-in pack."""
    return {k: load_form(k) for k in FORM_KEYS}


def section_heading(index: int, title: str) -> str:
    """一、研修概况: the report's 一级标题 numbering."""
    return f"{CHINESE_NUMERALS[index]}、{title}"
