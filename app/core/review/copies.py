"""Copied passages: ≥ 50 字 repeated nearly verbatim between two fields, the reviewer's sign of padding.

Candidates come from clauses both fields share (exact after dropping spaces and digits, so a changed number
still matches); rapidfuzz then scores the whole passages, so a word changed here and there still counts as
copied. The report may restate the plan's theme and goals in 研修概况; everywhere else a copy is a 提醒."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from rapidfuzz import fuzz

from app.core.model import Case
from app.core.review import document_of, finding
from app.core.wordcount import count_words

MIN_WORDS = 50
MIN_SCORE = 85.0
MIN_CLAUSE = 6  # shorter clauses (“一是”, “研修期间”) are shared by any two texts
_CLAUSE = re.compile(r"[^，。；！？：,;!?\n]+")
_NOISE = re.compile(r"[\s\d０-９.%．％]+")
RESTATED = ("theme", "goals")  # the report's 研修概况 repeats these by design


@dataclass(frozen=True)
class Clause:
    start: int
    end: int
    norm: str


def clauses(text: str) -> list[Clause]:
    out = []
    for m in _CLAUSE.finditer(text):
        norm = _NOISE.sub("", m.group())
        if len(norm) >= MIN_CLAUSE:
            out.append(Clause(m.start(), m.end(), norm))
    return out


@dataclass(frozen=True)
class Copy:
    a: str  # the earlier field
    b: str  # the later field, where the copy is reported
    a_span: tuple[int, int]
    b_span: tuple[int, int]
    words: int
    score: float


def _overview_fields(case: Case) -> set[str]:
    doc = case.form.document("report")
    first = doc.sections[0] if doc.sections else None
    if first is None or not first.title:
        return set()
    return {k for item in first.items for k in item.fields}


def _runs(ca: list[Clause], cb: list[Clause], positions: dict[str, list[int]]):
    """Runs of B's clauses found in A in the same order (one clause may differ in between)."""
    run: list[tuple[int, int]] = []  # (index in B, index in A)
    for j, c in enumerate(cb):
        pos = positions.get(c.norm)
        if not pos:
            continue
        if run:
            jb, ia = run[-1]
            k = bisect_right(pos, ia)
            if j - jb <= 2 and k < len(pos) and pos[k] - ia <= 2:
                run.append((j, pos[k]))
                continue
            yield run
        run = [(j, pos[0])]
    if run:
        yield run


def find_copies(texts: dict[str, str], *, allowed: set[frozenset[str]] = frozenset()) -> list[Copy]:
    """Copied passages between any two of `texts` (field key → text, in form order)."""
    keys = list(texts)
    parsed = {k: clauses(texts[k]) for k in keys}
    index: dict[str, dict[str, list[int]]] = {}
    for k in keys:
        for i, c in enumerate(parsed[k]):
            index.setdefault(k, {}).setdefault(c.norm, []).append(i)
    owners: dict[str, set[str]] = {}
    for k in keys:
        for norm in index.get(k, {}):
            owners.setdefault(norm, set()).add(k)
    out = []
    for bi, b in enumerate(keys):
        earlier = set(keys[:bi])
        partners = {a for c in parsed[b] for a in owners.get(c.norm, ()) if a in earlier}
        for a in (k for k in keys if k in partners):
            if frozenset((a, b)) in allowed:
                continue
            ca, cb = parsed[a], parsed[b]
            best: Copy | None = None
            for run in _runs(ca, cb, index[a]):
                b_span = (cb[run[0][0]].start, cb[run[-1][0]].end)
                a_span = (ca[run[0][1]].start, ca[run[-1][1]].end)
                part_b = texts[b][b_span[0]:b_span[1]]
                words = count_words(part_b)
                if words < MIN_WORDS:
                    continue
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
    texts = {f.key: case.get(f.key) for f in form.fields if f.kind == "text" and case.get(f.key)}
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
