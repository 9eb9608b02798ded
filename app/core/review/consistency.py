"""Consistency across the three documents: who took part, how long it ran, and which grades it served."""

from __future__ import annotations

import datetime as dt
import re

from app.core.curriculum import Curriculum, grade_label, grade_numbers
from app.core.model import Case
from app.core.review import document_of, field_text, finding
from app.core.review.figures import chinese_number
from app.core.review.terms import snippet

_NUM = r"(\d+|[一二两三四五六七八九十]{1,3})"
STAGE_WEEKS = re.compile(rf"第\s*{_NUM}\s*(?:周)?\s*(?:[-－—–~～至到]\s*第?\s*{_NUM}\s*)?周")
# How long the whole 研修 ran (“共2周” or “持续2周的磨课” may speak of one stage: not read).
SPAN_WEEKS = re.compile(rf"(?:为期|历时)\s*{_NUM}\s*(?:个)?周|通过\s*{_NUM}\s*(?:个)?周的研修")
GRADE = re.compile(r"([1-9一二三四五六七八九])\s*(?:[-－—–~～至到、和]\s*([1-9一二三四五六七八九]))?\s*年级")
STAGE = re.compile(r"第([一二三四])学段")
LEVEL_WORDS = {"小学": range(1, 7), "初中": range(7, 10)}
# Texts that say which grades the case worked with (needs and the report may speak of other grades freely).
GRADE_FIELDS = ("theme", "summary", "content_basis", "field_area")
WEEKS_FIELDS = ("summary", "process", "goals", "report_process", "report_stats")


def _n(text: str | None) -> int | None:
    if text is None:
        return None
    return int(text) if text.isdigit() else chinese_number(text)


def check_consistency(case: Case) -> list:
    return _participants(case) + _weeks(case) + _grades(case)


# ---------------------------------------------------------------- 参与教师

def _participants(case: Case) -> list:
    form = case.form
    if not form.has_field("participants"):
        return []
    f = form.field("participants")
    value = case.get(f.key)
    # 共计 is the total part; the studio form has no breakdown, so no `total` rule names it there
    total_key = f.total or next((p.key for p in f.parts if p.key == "total"), "")
    total = value.get(total_key) if total_key else None
    doc = document_of(case, f.key)
    out = []
    parts = [p for p in f.parts if p.in_total and p.key != total_key]
    if total is not None and len(parts) > 1 and all(value.get(p.key) is not None for p in parts):
        partial = sum(value[p.key] for p in parts)
        if partial < total:
            names = "、".join(p.label for p in parts)
            out.append(finding(doc, f.key, f"“{f.label}”共计{total:g}人，而{names}合计{partial:g}人，"
                                           f"相差{total - partial:g}人。请核对，或补上其余教师所属的类别。",
                               rule="participants-breakdown"))
    data = case.form.review
    checks = [(total, data.teacher_patterns, "人", f"{f.label}共计")]
    if any(p.key == "schools" for p in f.parts):
        checks.append((value.get("schools"), data.school_patterns, "所", f.part("schools").label))
    for expected, patterns, unit, what in checks:
        if expected is None:
            continue
        for key in ("summary", "needs", "report_stats", "report_process"):
            if not form.has_field(key):
                continue
            text = field_text(case, key)
            for pattern in patterns:
                m = pattern.search(text)
                if m and int(m.group(1)) != expected:
                    out.append(finding(document_of(case, key), key,
                                       f"“{form.field(key).label}”写“{snippet(text, *m.span(), context=0)}”，"
                                       f"而总结报告“{f.label}”的{what}是{expected:g}{unit}，请核对两处数字。",
                                       rule="participants-text", quote=m.group()))
                    break
    return out


# ---------------------------------------------------------------- 持续时间

def stage_last_week(times: list[str]) -> int | None:
    """The last week the stages' 时间安排 name (第1-2周 … 第15-16周 → 16), or None when none names a week."""
    last = None
    for t in times:
        for m in STAGE_WEEKS.finditer(t):
            for g in (m.group(2), m.group(1)):
                n = _n(g)
                if n is not None:
                    last = n if last is None else max(last, n)
                    break
    return last


def _weeks(case: Case) -> list:
    form = case.form
    if not form.has_field("duration"):
        return []
    f = form.field("duration")
    weeks = case.get(f.key).get("weeks")
    if weeks is None:
        return []
    doc = document_of(case, f.key)
    out = []
    if form.has_field("process_stages"):
        stages = case.get("process_stages")
        last = stage_last_week([s.get("time", "") for s in stages])
        if last is not None and last != weeks:
            sf = form.field("process_stages")
            out.append(finding(document_of(case, sf.key), sf.key,
                               f"实施方案“{sf.label}”的时间安排排到第{last}周，而总结报告“{f.label}”写{weeks:g}周，"
                               "请核对两处的周数。", rule="weeks-stages"))
    for key in WEEKS_FIELDS:
        if not form.has_field(key):
            continue
        text = field_text(case, key)
        m = SPAN_WEEKS.search(text)
        if m and _n(m.group(1) or m.group(2)) != weeks:
            out.append(finding(document_of(case, key), key,
                               f"“{form.field(key).label}”写“{m.group()}”，而总结报告“{f.label}”写{weeks:g}周，请核对。",
                               rule="weeks-text", quote=m.group()))
    if form.has_field("studio_stats"):
        sf = form.field("studio_stats")
        v = case.get(sf.key)
        start, end = v.get(sf.parts[0].key), v.get(sf.parts[1].key)
        months = sf.min_period_months or 2
        if start and end:
            d0, d1 = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
            span = ((d1 - d0).days + 1) / 7
            if d1 >= d0 and abs(span - weeks) > 1.5:
                out.append(finding(doc, f.key,
                                   f"研修周期{start}至{end}约{span:.0f}周，而“{f.label}”写{weeks:g}周，请核对。",
                                   rule="weeks-period"))
        elif weeks * 7 < months * 30:
            out.append(finding(doc, f.key,
                               f"“{f.label}”为{weeks:g}周，不足{months}个月；征集通知要求工作室研修周期原则上不少于{months}个月。",
                               rule="weeks-period"))
    return out


# ---------------------------------------------------------------- grades named in the text

def grades_named(text: str, cur: Curriculum) -> set[int]:
    """Grades a text names: 3-6年级, 五年级, 七、八年级, 第二学段 (→ 3, 4)."""
    out: set[int] = set()
    for m in GRADE.finditer(text):
        a = _n(m.group(1))
        b = _n(m.group(2)) if m.group(2) else a
        if a and b:
            sep = text[m.start(1) + 1:m.start(2)] if m.group(2) else ""
            out.update({a, b} if "、" in sep or "和" in sep else range(min(a, b), max(a, b) + 1))
    for m in STAGE.finditer(text):
        st = next((s for s in cur.stages if s.label.startswith(f"第{m.group(1)}学段")), None)
        if st:
            out.update(st.grades)
    return out


def _grades(case: Case) -> list:
    form = case.form
    if form.has_field("grades"):
        chosen = set(grade_numbers(case.get("grades")))
        if not chosen:
            return []
        source = f"“{form.field('grades').label}”勾选的是{'、'.join(grade_label(g) for g in sorted(chosen))}"
    else:
        levels = {w for k in ("field_area", "theme") if form.has_field(k) for w in LEVEL_WORDS if w in field_text(case, k)}
        if len(levels) != 1:
            return []
        level = levels.pop()
        chosen = set(LEVEL_WORDS[level])
        source = f"研修学科领域是{level}"
    out = []
    for key in GRADE_FIELDS:
        if not form.has_field(key) or key == "field_area":
            continue
        text = field_text(case, key)
        for word, grades in LEVEL_WORDS.items():
            if word in text and not chosen & set(grades) and form.has_field("grades"):
                out.append(finding(document_of(case, key), key,
                                   f"“{form.field(key).label}”写了“{word}”，但{source}，请核对学段与年级。",
                                   rule="grades-level", quote=word))
        outside = sorted(grades_named(text, form.curriculum) - chosen)
        if outside:
            named = "、".join(grade_label(g) for g in outside)
            out.append(finding(document_of(case, key), key,
                               f"“{form.field(key).label}”提到{named}，但{source}。请核对年级勾选，或在文字中说明。",
                               rule="grades-text", quote=named))
    if form.has_field("resources"):
        rf = form.field("resources")
        for i, row in enumerate(case.get(rf.key)):
            outside = sorted(grades_named(row.get("name", ""), form.curriculum) - chosen)
            if outside:
                out.append(finding(document_of(case, rf.key), rf.key,
                                   f"“{rf.display_label}”第{i + 1}行“{row['name']}”是{grade_label(outside[0])}的资源，"
                                   f"但{source}，请核对。", rule="grades-text", quote=row["name"]))
    if form.has_field("process_stages"):
        sf = form.field("process_stages")
        for i, stage in enumerate(case.get(sf.key)):
            outside = sorted(grades_named(stage.get("content", ""), form.curriculum) - chosen)
            if outside:
                out.append(finding(document_of(case, sf.key), sf.key,
                                   f"“{sf.label}”第{i + 1}个阶段提到{'、'.join(grade_label(g) for g in outside)}，"
                                   f"但{source}，请核对。", rule="grades-text"))
    return out
