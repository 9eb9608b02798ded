"""Figures a sentence states (课例 N 节, 直播 N 场, 观看 N 人次 …) and whether two texts state them alike.

Extraction reads the [[figure]] table of resources/review.toml; the comparison is a plain function over
(name → number) mappings: the report's structured 相关统计 counts are the `reported` one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Mapping

from app.core.model import Case
from app.core.printed import format_number
from app.core.review import REVIEW_CHARS, document_of, field_text, finding
from app.core.review.data import ReviewData

_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SCALE = {"万": 10000, "千": 1000}


def chinese_number(text: str) -> int | None:
    """一 … 九十九 (what a sentence writes for a count); None for anything else."""
    if not text:
        return None
    if text == "十":
        return 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        t = _DIGITS.get(tens, None) if tens else 1
        o = _DIGITS.get(ones, None) if ones else 0
        return None if t is None or o is None else t * 10 + o
    return _DIGITS.get(text) if len(text) == 1 else None


def _number(raw: str, scale: str | None) -> float | None:
    value: float | None
    try:
        value = float(raw)
    except ValueError:
        value = chinese_number(raw)
    if value is None:
        return None
    value *= _SCALE.get(scale or "", 1)
    return int(value) if float(value).is_integer() else value


@dataclass(frozen=True)
class Stated:
    name: str
    value: float
    quote: str  # the words that state it: 开展专题讲座3场


_CLAUSE_END = re.compile(r"[，。；：！？\n]")
WINDOW = 40  # how far before a number its word may start (选用平台教师研修、课程教学频道资源12项)


def extract_figures(text: str, data: ReviewData) -> list[Stated]:
    """Every figure the text states, in text order. Numbers with a unit are found first (few in any text); each
    is given to the first figure of the table, in its order, whose word stands before it or after its unit."""
    found: list[Stated] = []
    taken_to = -1  # statements do not overlap: the end of the last one
    for m in data.count.finditer(text):
        a, end = m.start(), m.end()
        if a and (text[a - 1].isdigit() or text[a - 1] == "."):
            continue
        value = _number(m.group(1), m.group(2))
        if value is None:
            continue
        lo = max(0, a - WINDOW, taken_to)
        clause = _CLAUSE_END.search(text[lo:a][::-1])
        if "每" in text[a - clause.start() if clause else lo:a]:
            continue  # a frequency or a share (每两周开展一次课例研讨, 每位教师上研究课1节), not a count
        before = data.any_before.search(text, lo, a) is not None
        after = data.any_after.match(text, end, end + WINDOW) is not None
        if not (before or after):
            continue  # most numbers name nothing the table counts
        for fig in data.by_unit[m.group(3)]:
            w = fig.ends_with_word.search(text, lo, a) if before else None
            if w:
                span = (w.start(), end)
            else:
                w = fig.starts_with_word.match(text, end, end + WINDOW) if after else None
                if not w:
                    continue
                span = (a, w.end())
            found.append(Stated(fig.name, value, text[span[0]:span[1]]))
            taken_to = span[1]
            break
    return found


def figures_by_name(stated: list[Stated]) -> dict[str, float]:
    """(name → number): the first statement of each name (a later one usually counts a part)."""
    out: dict[str, float] = {}
    for s in stated:
        out.setdefault(s.name, s.value)
    return out


@dataclass(frozen=True)
class Mismatch:
    name: str
    stated: float
    reported: float


def compare_counts(stated: Mapping[str, float], reported: Mapping[str, float]) -> list[Mismatch]:
    """Names both mappings give, with different numbers, in the order of `stated`."""
    return [Mismatch(n, v, reported[n]) for n, v in stated.items() if n in reported and reported[n] != v]


def _fmt(v: float) -> str:
    return f"{v:g}"


# Which texts state figures the report's 相关统计 also gives, and how to speak of a difference. The report's own
# prose is not compared: it tells of single activities (“区教研员作专题讲座1次” is one of the three lectures).
SOURCES = (("summary", ""), ("outcomes", "预期成果是计划数；若实际与计划不同，宜在总结报告中说明原因。"))
# The report's structured counts, in the order they win: the studio's 直播 sentence, then 相关统计.
COUNT_FIELDS = ("studio_stats", "report_stats")


@cache
def figure_of(label: str, unit: str, data: ReviewData) -> str | None:
    """The figure of the table a count of 相关统计 is, read from its printed words (专题讲座3场 → 专题讲座,
    国家中小学智慧教育平台选用资源5个 → 选用平台资源): one table names both, so no second list to keep."""
    stated = extract_figures(f"{label}1{unit}", data) if unit else []
    return stated[0].name if len(stated) == 1 else None


@dataclass(frozen=True)
class Reported:
    value: float
    quote: str  # as the report prints it: 专题讲座3场
    key: str  # the field it is in


def reported_counts(case: Case, data: ReviewData) -> dict[str, Reported]:
    """(figure name → count) the report gives: the named counts of 相关统计 (and the studio's 直播 and 观看), then
    figures its 其他统计 notes state that no named count gives."""
    form = case.form
    out: dict[str, Reported] = {}
    keys = [k for k in COUNT_FIELDS if form.has_field(k)]
    for key in keys:
        f, value = form.field(key), case.get(key)
        for p in f.parts:
            v = value.get(p.key) if p.kind == "number" else None
            name = figure_of(p.label, p.unit, data) if v is not None else None
            if name:
                out.setdefault(name, Reported(v, f"{p.label}{format_number(v)}{p.unit}", key))
    for key in keys:
        f, value = form.field(key), case.get(key)
        for p in f.text_parts:
            for s in extract_figures(value.get(p.key, "")[:REVIEW_CHARS], data):
                out.setdefault(s.name, Reported(s.value, s.quote, key))
    return out


def check_figures(case: Case) -> list:
    """Figures 案例概述 and 预期成果 state against the report's 相关统计 (its named counts, then
    its notes), where both name the same thing."""
    form = case.form
    data = form.review
    reported = reported_counts(case, data)
    if not reported:
        return []
    reported_map = {name: r.value for name, r in reported.items()}
    out = []
    for key, note in SOURCES:
        if not form.has_field(key):
            continue
        stated = extract_figures(field_text(case, key), data)
        squotes = {s.name: s.quote for s in reversed(stated)}
        label = form.field(key).label
        for mm in compare_counts(figures_by_name(stated), reported_map):
            r = reported[mm.name]
            out.append(finding(
                document_of(case, key), key,
                f"“{label}”写“{squotes[mm.name]}”（{mm.name}{_fmt(mm.stated)}），而总结报告“{form.field(r.key).label}”写"
                f"“{r.quote}”（{_fmt(mm.reported)}），两处数字不一致，请核对。{note}",
                rule="figures", quote=squotes[mm.name]))
    return out
