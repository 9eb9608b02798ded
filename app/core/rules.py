"""The notice's rules as checks without Qt: each finding says which field, what is wrong and what to do."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from app.core.curriculum import grade_label, grade_numbers
from app.core.forms import STAGE_MODES, Field, Source
from app.core.glyphs import glyph_findings
from app.core.model import STAGE_LABELS, Case
from app.core.printed import group_lines, report_blocks
from app.core.wordcount import count_words

ERROR, WARNING = "error", "warning"
SEVERITY_LABEL = {ERROR: "错误", WARNING: "提醒"}
DOCUMENT_ORDER = ("info", "plan", "report", "materials")

MOBILE = re.compile(r"^1[3-9][0-9]{9}\Z")  # ASCII digits only (\d takes full-width ８), no trailing newline
# Words that make a 研修主题 "问题导向" (the notice's examples end in 重难点教学探究 and 教学能力培养).
PROBLEM_WORDS = ("探究", "研究", "培养", "提升", "策略", "实践", "突破", "改进", "优化", "设计", "能力", "路径",
                 "破解", "解决", "重难点", "教学", "评价", "构建", "创新", "转化", "融合")
TIME_FRAME = re.compile(r"([\d０-９]+|[一二两三四五六七八九十半]+)\s*(个)?(月|周|学期|学年|年|天|日|课时|学时)|学期|学年|年底|月底"
                        r"|期末|期中|本年度|年内|月内|周内|寒假|暑假|研修结束|结束时|截至|之前|以前")
# A quantity makes a goal 可测: digits, 百分之…, a counted noun (三所, 两位), 每所/每个/每位… (each school,
# each member: 100% by another name) or 全体/所有.
MEASURE = re.compile(r"[\d０-９]|百分之|[一二两三四五六七八九十百千万半]+\s*(个|篇|节|次|项|名|人|份|套|门|成|所|位|部|本|场|课|轮|倍|班|校)"
                     r"|每\s*(所|个|位|名|人|节|班|校|组|门|篇|份|次|项|部|学科|学期|月|周)|全体|全部|所有|人人")


@dataclass(frozen=True)
class Finding:
    severity: str
    document: str  # info / plan / report / materials
    field: str  # the field to jump to ("" for the materials list)
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def check_case(case: Case, *, base_dir: Path | None = None, review: bool = True) -> list[Finding]:
    """All findings, errors before warnings within each document, documents in form order. `review` adds the
    提醒 of app/core/review (规范表述, consistency, copied passages, the counts people compare)."""
    out: list[Finding] = []
    form = case.form
    for f in form.fields:
        doc = f.documents[0] if f.documents else "info"
        out.extend(_check_field(case, f, doc))
    out.extend(check_curriculum(case))
    out.extend(_check_theme(case))
    out.extend(_check_report_total(case))
    out.extend(_check_materials(case, base_dir))
    out.extend(Finding(WARNING, form.field(key).documents[0] if form.field(key).documents else "info", key, msg)
               for key, msg in case.migration_notes if form.has_field(key))
    out.extend(glyph_findings(case))
    if review:
        from app.core.review import review_case  # imports Finding from here

        out.extend(review_case(case))
    rank = {d: i for i, d in enumerate(DOCUMENT_ORDER)}
    order = {f.key: i for i, f in enumerate(form.fields)}
    out.sort(key=lambda x: (rank[x.document], x.severity != ERROR, order.get(x.field, 999)))
    return out


def has_errors(findings: list[Finding]) -> bool:
    return any(f.is_error for f in findings)


# ---------------------------------------------------------------- per field

def _check_field(case: Case, f: Field, doc: str) -> list[Finding]:
    value = case.get(f.key)
    label = f.display_label
    out: list[Finding] = []

    def err(msg: str) -> None:
        out.append(Finding(ERROR, doc, f.key, msg))

    def warn(msg: str) -> None:
        out.append(Finding(WARNING, doc, f.key, msg))

    def by_source(rule: str, msg: str) -> None:
        out.append(sourced(f.source(rule), doc, f.key, msg))

    if f.required and _is_empty(f, value):
        err(f"请填写“{label}”。" + (f"（{_short_hint(f)}）" if _short_hint(f) else ""))
        return out
    if f.kind in ("line", "text", "group") and f.limit:
        n = field_word_count(f, value)
        if n > f.limit:
            by_source("limit", f"“{label}”共{n}字，超过{f.limit}字的限制，请删减{n - f.limit}字。"
                      if f.source("limit").is_notice else f"“{label}”共{n}字，超过建议的{f.limit}字。")
    if f.kind in ("tags", "table", "stages", "multi"):
        n = len(value)
        if f.max_items is not None and n > f.max_items:
            by_source("max_items", f"“{label}”填写了{n}项，最多{f.max_items}项，请删去{n - f.max_items}项。")
        if f.min_items and 0 < n < f.min_items:
            by_source("min_items", f"“{label}”至少需要{f.min_items}项，目前只有{n}项。")
    if f.kind == "tags" and f.item_limit:
        for item in value:
            if count_words(item) > f.item_limit:
                by_source("item_limit", f"“{label}”中的“{item[:20]}”过长（超过{f.item_limit}字）。")
    if f.kind == "table":
        out.extend(_check_table(f, value, doc))
    if f.kind == "group":
        out.extend(_check_group(f, value, doc))
    if f.kind == "stages":
        for i, s in enumerate(value, start=1):
            if not s["name"]:
                # The stages are our aid for the notice's 图示; a nameless one is an empty box, not a breach.
                warn(f"“{label}”第{i}个阶段缺少“{STAGE_LABELS['name']}”，流程图中这一框将是空的。")
            if s["mode"] and s["mode"] not in STAGE_MODES:
                warn(f"“{label}”第{i}个阶段的研修方式“{s['mode']}”不在{'、'.join(STAGE_MODES)}之中，流程图中将照原样显示。")
            if not s["time"]:
                warn(f"“{label}”第{i}个阶段“{s['name'] or i}”未填写时间安排，计划安排宜写明时间。")
    if f.kind == "checklist" and not value:
        warn(f"“{label}”一项也未勾选。请勾选研修中实际使用的平台工具功能。")
    if f.measurable:
        out.extend(_check_measurable(f, value, doc))
    return out


def sourced(source: Source, doc: str, key: str, message: str) -> Finding:
    """A finding whose severity follows its rule's source: the notice's rules are errors, ours 提醒 with our reason."""
    return Finding(ERROR if source.blocks else WARNING, doc, key, message + source.explain())


def field_word_count(f: Field, value) -> int:
    """字数 as Word counts what the documents print: a group's numbered lines include "1.教师发展目标：" and
    "（权重30%）"."""
    if f.kind == "group":
        return sum(count_words(line) for line in group_lines(f, value))
    return count_words(value)


def _is_empty(f: Field, value) -> bool:
    if f.kind == "group":
        return all(value.get(p.key) in (None, "") for p in f.parts)
    if f.kind == "table":
        return not any(any(cell for cell in row.values()) for row in value)
    return value in ("", None, [], {})


def _short_hint(f: Field) -> str:
    first = f.hint.split("\n")[0]
    return first if len(first) <= 40 else ""


def _check_table(f: Field, rows: list[dict], doc: str) -> list[Finding]:
    out = []
    for i, row in enumerate(rows, start=1):
        if not any(row.values()):
            continue
        who = f"“{f.label}”第{i}行"
        for c in f.columns:
            cell = row.get(c.key, "")
            if c.required and not cell:
                out.append(Finding(ERROR, doc, f.key, f"{who}缺少“{c.label}”，请补充。"))
            elif c.limit and count_words(cell) > c.limit and c.format != "mobile":
                out.append(sourced(c.limit_source, doc, f.key, f"{who}的“{c.label}”超过{c.limit}字，请精简。"))
            if c.format == "mobile" and cell and not MOBILE.match(cell):
                out.append(Finding(ERROR, doc, f.key,
                                   f"{who}的“{c.label}”“{cell}”不是11位手机号码，请填写以1开头的11位数字。"))
    return out


def _check_group(f: Field, value: dict, doc: str) -> list[Finding]:
    out = []
    for p in f.parts:
        v = value.get(p.key)
        if v in (None, ""):
            if p.required:
                out.append(Finding(ERROR, doc, f.key, f"“{f.label}”中的“{p.label}”尚未填写。"))
            elif p.kind == "number" and not (f.sentence or f.numbered):
                out.append(Finding(WARNING, doc, f.key, f"“{f.label}”中的“{p.label}”尚未填写：通知列出的统计包括此项，"
                                                        "未填写的项不会印在报告中。如确无此项可忽略此提醒。"))
            continue
        if p.kind == "number":
            if p.min is not None and v < p.min:
                out.append(sourced(p.source("min"), doc, f.key, _min_message(f, p, v)))
            if p.max is not None and v > p.max:
                out.append(sourced(p.source("max"), doc, f.key,
                                   f"“{p.label}”为{v:g}{p.unit}，不能超过{p.max:g}{p.unit}，请核对。"))
    numbers = {p.key: value.get(p.key) for p in f.parts if p.kind == "number"}
    if f.sum is not None and all(v is not None for v in numbers.values()):
        total = sum(numbers.values())
        if abs(total - f.sum) > 1e-9:
            names = "、".join(p.label for p in f.parts if p.kind == "number")
            out.append(sourced(f.source("sum"), doc, f.key,
                               f"“{f.label}”中{names}之和为{total:g}%，应为{f.sum:g}%，请调整权重。"))
    if f.total and numbers.get(f.total) is not None:
        parts = [p for p in f.parts if p.in_total and p.key != f.total and numbers.get(p.key) is not None]
        partial = sum(numbers[p.key] for p in parts)
        if partial > numbers[f.total]:
            out.append(sourced(f.source("total"), doc, f.key,
                               f"“{f.label}”中各类教师人数之和（{partial:g}人）超过了共计人数（{numbers[f.total]:g}人），请核对。"))
        elif parts and len(parts) == sum(p.in_total and p.key != f.total for p in f.parts) and partial < numbers[f.total]:
            # Our plausibility rule, not the notice's: the breakdown is complete but does not reach the total.
            out.append(Finding(WARNING, doc, f.key,
                               f"“{f.label}”中各类教师人数之和（{partial:g}人）少于共计人数（{numbers[f.total]:g}人）；"
                               "如有未列入各类的教师可忽略，否则请核对。"))
    if f.min_period_months:
        start, end = value.get(f.parts[0].key), value.get(f.parts[1].key)
        if start and end:
            d0, d1 = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
            if d1 < d0:
                out.append(Finding(ERROR, doc, f.key, f"“{f.parts[1].label}”早于“{f.parts[0].label}”，请核对研修周期。"))
            elif _months_between(d0, d1) < f.min_period_months:
                out.append(sourced(f.source("min_period_months"), doc, f.key,
                                   f"研修周期{start}至{end}不足{f.min_period_months}个月。"))
    return out


def _min_message(f: Field, p, v) -> str:
    if p.source("min").is_notice:
        return f"“{p.label}”为{v:g}{p.unit}，通知要求不少于{p.min:g}{p.unit}。请核对数据或补充活动。"
    return f"“{p.label}”为{v:g}{p.unit}，应至少为{p.min:g}{p.unit}。"


def _months_between(d0: dt.date, d1: dt.date) -> float:
    months = (d1.year - d0.year) * 12 + (d1.month - d0.month)
    if d1.day < d0.day:
        months -= 1
    return months


def _check_measurable(f: Field, value: dict, doc: str) -> list[Finding]:
    """Each goal the notice names needs a quantity and a time frame ("要求具体、可测、可实现、相关性、时限性").
    A goal without its own time frame is only a 提醒 when another goal states one (通过一学期的研修 … 本学期内 …)."""
    src = f.source("measurable")
    goals = [(p, value.get(p.key) or "") for p in f.text_parts]
    goals = [(p, text) for p, text in goals if text.strip()]
    timed = [p for p, text in goals if TIME_FRAME.search(text)]
    out = []
    for p, text in goals:
        if not MEASURE.search(text):
            out.append(sourced(src, doc, f.key, f"“{f.label}”中的“{p.label}”没有可测的数量或百分比，"
                                                "请写明如“90%的教师能……”“每所成员学校……”。"))
        if p in timed:
            continue
        message = f"“{f.label}”中的“{p.label}”没有写明时限，请写明如“通过3个月的研修”“本学期内”。"
        if timed:
            out.append(Finding(WARNING, doc, f.key, message + f"（“{timed[0].label}”写明了时限；如本项沿用同一时限，可忽略此提醒。）"))
        else:
            out.append(sourced(src, doc, f.key, message))
    return out


# ---------------------------------------------------------------- across fields

def check_curriculum(case: Case) -> list[Finding]:
    """科目, 课程内容, 学段 and 年级 against each other (also run live by the wizard's cascade)."""
    form = case.form
    if not (form.has_field("subject") and form.has_field("grades") and form.has_field("stages")):
        return []
    cur = form.curriculum
    out: list[Finding] = []
    subjects = case.get("subject")
    if len(subjects) > 1:
        out.append(Finding(WARNING, "info", "subject",
                           f"“科目”勾选了{len(subjects)}个（{'、'.join(subjects)}）；通知要求原则上选一个科目。"))
    grades = grade_numbers(case.get("grades"))
    stages = case.get("stages")
    for label in stages:
        st = cur.stage_by_label(label)
        if st and not any(g in st.grades for g in grades) and grades:
            out.append(Finding(WARNING, "info", "stages", f"勾选了“{label}”，但没有勾选该学段的任何年级，请核对学段与年级。"))
    for g in grades:
        st = cur.stage_of_grade(g)
        if st.label not in stages:
            out.append(Finding(WARNING, "info", "grades", f"勾选了“{grade_label(g)}”，但没有勾选它所在的“{st.label}”。"))
    if len(subjects) != 1:
        return out
    subject = cur.subject(subjects[0])
    items = case.get("content_items") if form.has_field("content_items") else []
    if subject is None:
        return out
    sugg = cur.suggest(subject.name, items)
    outside = [g for g in grades if g not in sugg.allowed_grades]
    if outside and items:
        out.append(Finding(WARNING, "info", "grades",
                           f"所选课程内容“{'、'.join(items)}”在课程标准中适用于{_grades_text(sugg.allowed_grades)}，"
                           f"而勾选了{_grades_text(outside)}。请核对年级，或说明跨年级安排。"))
    untaught = [g for g in grades if g not in subject.grades and g not in outside]
    if untaught:
        note = f"（{subject.grades_note}）" if subject.grades_note else ""
        out.append(Finding(WARNING, "info", "grades",
                           f"{subject.name}通常在{_grades_text(subject.grades)}开设，勾选的{_grades_text(untaught)}不在其中{note}。"
                           "如按本地学制开设可忽略此提醒。"))
    return out


def _grades_text(grades) -> str:
    grades = sorted(grades)
    runs, start = [], None
    for i, g in enumerate(grades):
        if start is None:
            start = g
        if i + 1 == len(grades) or grades[i + 1] != g + 1:
            runs.append(f"{start}年级" if start == g else f"{start}-{g}年级")
            start = None
    return "、".join(runs)


def _check_theme(case: Case) -> list[Finding]:
    if not case.form.has_field("theme"):
        return []
    theme = case.get("theme")
    if not theme:
        return []
    out = []
    label = case.form.field("theme").label
    if not any(w in theme for w in PROBLEM_WORDS):
        out.append(Finding(WARNING, "info", "theme",
                           f"“{label}”宜以“课程内容+问题导向”形式呈现，如“小学数学图形的位置与运动重难点教学探究”；"
                           "目前看不出要解决的问题（如“……教学探究”“……能力培养”）。"))
    if case.form.has_field("subject"):
        subjects = case.get("subject")
        items = case.get("content_items") if case.form.has_field("content_items") else []
        names = list(subjects) + [i.split("-")[-1] for i in items]
        if subjects == ["外语"]:
            names.append("英语")
        if names and not any(n in theme for n in names):
            out.append(Finding(WARNING, "info", "theme",
                               f"“{label}”中没有出现科目或课程内容（{'、'.join(names[:3])}），建议写明，如“小学数学图形的位置与运动……”。"))
    return out


def _check_report_total(case: Case) -> list[Finding]:
    if not any(d.key == "report" for d in case.form.documents):
        return []
    doc = case.form.document("report")
    if not doc.limit:
        return []
    n = sum(count_words(b.text) for b in report_blocks(case))
    if n > doc.limit:
        return [sourced(doc.limit_source, "report", doc.sections[-1].items[0].heading,
                        f"《{doc.title}》全文共{n}字（含标题和研修概况），超过{doc.limit}字的限制，请删减{n - doc.limit}字。")]
    return []


def report_word_count(case: Case) -> int:
    return sum(count_words(b.text) for b in report_blocks(case))


def _check_materials(case: Case, base_dir: Path | None) -> list[Finding]:
    m = case.form.materials
    out = []
    if len(case.materials) < m.min_files:
        out.append(sourced(m.source("min_files"), "materials", "",
                           f"还没有添加{m.label}。请添加研修照片、过程材料、成果代表等（不超过{m.max_files}件）。"))
    if len(case.materials) > m.max_files:
        out.append(sourced(m.source("max_files"), "materials", "",
                           f"{m.label}共{len(case.materials)}件，超过{m.max_files}件，请删去{len(case.materials) - m.max_files}件。"))
    total = 0
    for i, mat in enumerate(case.materials, start=1):
        path = Path(mat.path)
        if not path.is_absolute() and base_dir is not None:
            path = base_dir / path
        title = mat.title or path.name
        from app.core.materials import safe_is_file  # a path the OS cannot look up is "not found", not a crash

        if safe_is_file(path):
            total += path.stat().st_size
        else:
            total += mat.size
            out.append(Finding(ERROR, "materials", "", f"{m.label}第{i}件“{title}”找不到文件“{mat.path}”，请重新添加。"))
        if not mat.title.strip():
            out.append(Finding(WARNING, "materials", "", f"{m.label}第{i}件没有标题，请写明它是什么（如“课例研讨现场照片”）。"))
    if total > m.max_total_bytes:
        out.append(sourced(m.source("max_total_mb"), "materials", "",
                           f"{m.label}总量{total / 1024 / 1024:.1f}MB，超过{m.max_total_mb}M的限制，请删去或压缩部分文件。"))
    return out
