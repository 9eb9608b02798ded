"""Copied passages: ≥ 50 字 repeated nearly verbatim between two fields, the reviewer's sign of padding.

Candidates come from runs of clauses both fields share (exactly; a rewritten clause in between is bridged);
rapidfuzz then scores the whole passages, so a word changed here and there still counts as
copied. The report may restate the plan's theme and goals in 研修概况; everywhere else a copy is a 提醒."""

from __future__ import annotations

import re
from itertools import accumulate
from dataclasses import dataclass

from app.core.model import Case
from app.core.review import document_of, field_text, finding
from app.core.wordcount import count_words

MIN_WORDS = 50
MIN_SCORE = 85.0
MIN_CLAUSE = 6  # shorter clauses (“一是”, “研修期间”) are shared by any two texts
_SEP = re.compile(r"[，。；！？：,;!?\n]")  # one character each: clause positions follow from the lengths
RESTATED = ("theme", "goals")  # the report's 研修概况 repeats these by design


class Parsed:
    """A text cut into clauses at single-character separators (so positions follow from the lengths)."""

    __slots__ = ("norms", "index", "_starts")

    def __init__(self, text: str) -> None:
        self.norms = _SEP.split(text)  # the pieces as written (a clause with a changed number is bridged)
        # piece → where it occurs (the last time, for a clause the text repeats), pieces of at least MIN_CLAUSE
        self.index: dict[str, int] = {n: i for i, n in enumerate(self.norms) if len(n) >= MIN_CLAUSE}
        self._starts: list[int] | None = None

    def length(self, i: int, j: int) -> int:
        """Characters of pieces i..j with their separators: enough to tell a short run without positions."""
        return sum(map(len, self.norms[i:j + 1])) + j - i

    def span(self, i: int, j: int) -> tuple[int, int]:
        if self._starts is None:  # only a run long enough to be a copy needs the positions
            self._starts = list(accumulate((len(r) + 1 for r in self.norms), initial=0))
        return self._starts[i], self._starts[j + 1] - 1


def parse(text: str) -> Parsed:
    return Parsed(text)


@dataclass(frozen=True)
class Copy:
    a: str  # the earlier field
    b: str  # the later field, where the copy is reported
    a_span: tuple[int, int]
    b_span: tuple[int, int]
    words: int
    score: float


def _overview_fields(case: Case) -> set[str]:
    if not any(d.key == "report" for d in case.form.documents):  # a pack's form may have no 总结报告
        return set()
    doc = case.form.document("report")
    first = doc.sections[0] if doc.sections else None
    if first is None or not first.title:
        return set()
    return {k for item in first.items for k in item.fields}


GAP = 3  # pieces a run may skip: a rewritten clause, or a short one (“一是”) between two shared ones


def _runs(in_b: list[tuple[int, int]]):
    """Runs of pieces of B found in A in the same order, from (piece in B, piece in A) pairs in B's order."""
    run: list[tuple[int, int]] = []
    for j, i in in_b:
        if run and 0 < j - run[-1][0] <= GAP and 0 < i - run[-1][1] <= GAP:
            run.append((j, i))
            continue
        if run:
            yield run
        run = [(j, i)]
    if run:
        yield run


MIN_SHARED = 30  # characters of identical clauses a ≥ 50-字 near-verbatim passage holds at least


def find_copies(texts: dict[str, str], *, allowed=frozenset()) -> list[Copy]:
    """Copied passages between any two of `texts` (field key → text, in form order). Pairs whose identical
    clauses add up to less than MIN_SHARED characters are never looked at more closely."""
    keys = list(texts)
    parsed = {k: parse(texts[k]) for k in keys}
    pairs = []
    for bi, b in enumerate(keys):
        for a in keys[:bi]:
            if frozenset((a, b)) in allowed:
                continue
            common = parsed[a].index.keys() & parsed[b].index.keys()
            if common and sum(map(len, common)) >= MIN_SHARED:
                pairs.append((a, b, common))
    out = []
    for a, b, common in pairs:
        pa, pb = parsed[a], parsed[b]
        best: Copy | None = None
        for run in _runs(sorted((pb.index[n], pa.index[n]) for n in common)):
            if pb.length(run[0][0], run[-1][0]) < MIN_WORDS:  # 字数 never exceeds the characters
                continue
            b_span = pb.span(run[0][0], run[-1][0])
            part_b = texts[b][b_span[0]:b_span[1]]
            words = count_words(part_b)
            if words < MIN_WORDS:
                continue
            a_span = pa.span(run[0][1], run[-1][1])
            from rapidfuzz import fuzz  # 2 MB of native code: loaded with the first passage worth scoring

            score = fuzz.ratio(part_b, texts[a][a_span[0]:a_span[1]])
            if score >= MIN_SCORE and (best is None or words > best.words):
                best = Copy(a, b, a_span, b_span, words, score)
        if best:
            out.append(best)
    return out


def _doc_name(case: Case, key: str) -> str:
    return case.form.document(document_of(case, key)).file_stem


def _quote(text: str, span: tuple[int, int], n: int = 16) -> str:
    part = text[span[0]:span[1]].strip()
    return part if len(part) <= n else part[:n] + "……"


def check_copies(case: Case) -> list:
    form = case.form
    # Her prose: text fields and the groups with text parts (研修目标, 考核评价, 相关统计's notes), as printed.
    texts = {f.key: t for f in form.fields if f.kind == "text" or (f.kind == "group" and f.text_parts)
             if (t := field_text(case, f.key))}
    overview = _overview_fields(case)
    allowed = {frozenset((r, o)) for r in RESTATED for o in overview if r != o}
    out = []
    for c in find_copies(texts, allowed=allowed):
        fa, fb = form.field(c.a), form.field(c.b)
        where_a = f"{_doc_name(case, c.a)}“{fa.label}”"
        where_b = f"{_doc_name(case, c.b)}“{fb.label}”"
        quote = _quote(texts[c.b], c.b_span)
        out.append(finding(document_of(case, c.b), c.b,
                           f"{where_b}中“{quote}”一段（约{c.words}字）与{where_a}几乎一字不差。"
                           "评审会把重复的段落看作凑字数或照搬，请改写其中一处，各写各的重点。",
                           rule="copy", quote=quote))
    return out
