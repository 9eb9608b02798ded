"""Figures a sentence states (课例 N 节, 直播 N 场, 观看 N 人次 …) and whether two texts state them alike.

Extraction reads the [[figure]] table of resources/review.toml; the comparison is a plain function over
(name → number) mappings, so the structured counts of the report can be compared the same way."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from app.core.model import Case
from app.core.review import REVIEW_CHARS, document_of, finding
from app.core.review.data import ReviewData, load_review

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


WINDOW = 40  # how far before a number its word may start (选用平台教师研修、课程教学频道资源12项)


def extract_figures(text: str, data: ReviewData | None = None) -> list[Stated]:
    """Every figure the text states, in text order. Numbers with a unit are found first (few in any text); each
    is given to the first figure of the table, in its order, whose word stands before it or after its unit."""
    data = data or load_review()
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


# Which texts state figures the report's 相关统计 also gives, and how to speak of a difference.
SOURCES = (("summary", ""), ("outcomes", "预期成果是计划数；若实际与计划不同，宜在总结报告中说明原因。"))


def check_figures(case: Case) -> list:
    """案例概述 and 预期成果 against the report's 相关统计 (its prose, until the report has structured counts)."""
    form = case.form
    if not form.has_field("report_stats"):
        return []
    data = load_review()
    report_text = case.get("report_stats")[:REVIEW_CHARS]
    reported = extract_figures(report_text, data)
    if not reported:
        return []
    reported_map = figures_by_name(reported)
    quotes = {s.name: s.quote for s in reversed(reported)}
    stats_label = form.field("report_stats").label
    out = []
    for key, note in SOURCES:
        if not form.has_field(key):
            continue
        stated = extract_figures(case.get(key)[:REVIEW_CHARS], data)
        squotes = {s.name: s.quote for s in reversed(stated)}
        label = form.field(key).label
        for mm in compare_counts(figures_by_name(stated), reported_map):
            out.append(finding(
                document_of(case, key), key,
                f"“{label}”写“{squotes[mm.name]}”（{mm.name}{_fmt(mm.stated)}），而总结报告“{stats_label}”写"
                f"“{quotes[mm.name]}”（{_fmt(mm.reported)}），两处数字不一致，请核对。{note}",
                rule="figures", quote=squotes[mm.name]))
    return out
