"""Load resources/review.toml into compiled, immutable rules; a malformed entry fails at load, naming its key."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from app import paths
from app.core.defdata import DefinitionError, Reader, load_toml


@dataclass(frozen=True)
class Titles:
    source: str
    plan: str
    standard: str  # "义务教育{subject}课程标准（2022年版）"
    standards: tuple[str, ...]
    also_right: tuple[str, ...]
    subject_standard: dict[str, str]
    aliases: dict[str, str]
    other_editions: re.Pattern

    def standard_title(self, subject: str) -> str:
        return self.standard.format(subject=subject)

    @property
    def official(self) -> frozenset[str]:
        return frozenset((self.plan, *self.also_right, *(self.standard_title(s) for s in self.standards)))

    def standard_for(self, subject: str) -> str:
        """The standard a 科目 cites ("" when it has none or the choice is not the subject's alone)."""
        if subject in self.subject_standard:
            return self.subject_standard[subject]
        subject = self.aliases.get(subject, subject)
        return subject if subject in self.standards else ""


@dataclass(frozen=True)
class Term:
    id: str
    pattern: re.Pattern
    reason: str
    suggest: str = ""  # may name a group ({s}) or {standard}
    safe: bool = False
    template: bool = False  # leftover template text (reported with its own heading)


@dataclass(frozen=True)
class FigureDef:
    name: str
    words: tuple[str, ...]
    units: tuple[str, ...]
    after: re.Pattern  # word … number unit: 开展专题讲座3场
    before: re.Pattern  # number unit … word: 3场专题讲座


@dataclass(frozen=True)
class ReviewData:
    titles: Titles
    terms: tuple[Term, ...]
    punctuation_reason: str
    punctuation: dict[str, str]
    figures: tuple[FigureDef, ...]
    teacher_patterns: tuple[re.Pattern, ...]
    school_patterns: tuple[re.Pattern, ...]


NUMBER = r"(?<![\d.])(\d+(?:\.\d+)?|[一二两三四五六七八九十]{1,3})\s*(万|千)?\s*(?:余|多)?\s*"
_GAP = r"[^，。；、：\d\n]{0,8}?"


def _compile(r: Reader, name: str, pattern: str, flags: int = 0) -> re.Pattern:
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        raise r.error(name, f"is not a valid regular expression: {exc}") from None


def _str_map(r: Reader, name: str) -> dict[str, str]:
    table = r.table_(name)
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in table.items()):
        raise r.error(name, "must map texts to texts")
    return dict(table)


def _str_list(r: Reader, name: str, *, required: bool = True) -> tuple[str, ...]:
    items = r.list(name, required=required)
    if not all(isinstance(i, str) and i for i in items):
        raise r.error(name, "must be a list of non-empty texts")
    return tuple(items)


def _load(path: Path) -> ReviewData:
    data = load_toml(path, "yanxiu-review")
    top = Reader(path, "", data)
    top.str("format")
    if top.int("version", required=True) != 1:
        raise top.error("version", "this app reads review data of version 1")

    rt = top.child("titles", top.table_("titles", required=True))
    titles = Titles(rt.str("source", required=True), rt.str("plan", required=True), rt.str("standard", required=True),
                    _str_list(rt, "standards"), _str_list(rt, "also_right", required=False),
                    _str_map(rt, "subject_standard"), _str_map(rt, "aliases"),
                    _compile(rt, "other_editions", rt.str("other_editions", required=True)))
    if "{subject}" not in titles.standard:
        raise rt.error("standard", "must contain {subject}")
    rt.finish()

    terms, seen = [], set()
    for i, raw in enumerate(top.list("term", required=True)):
        r = top.child(f"term[{i}]", raw)
        tid = r.str("id", required=True)
        if tid in seen:
            raise r.error("id", f"duplicate id {tid!r}")
        seen.add(tid)
        flags = re.M if r.bool("multiline", False) else 0
        term = Term(tid, _compile(r, "pattern", r.str("pattern", required=True), flags), r.str("reason", required=True),
                    r.str("suggest"), r.bool("safe", False), r.bool("template", False))
        if term.safe and not term.suggest:
            raise r.error("safe", "a safe replacement needs `suggest`")
        r.finish()
        terms.append(term)

    rp = top.child("punctuation", top.table_("punctuation", required=True))
    punct_reason, marks = rp.str("reason", required=True), _str_map(rp, "marks")
    rp.finish()

    figures, names = [], set()
    for i, raw in enumerate(top.list("figure", required=True)):
        r = top.child(f"figure[{i}]", raw)
        name = r.str("name", required=True)
        if name in names:
            raise r.error("name", f"duplicate figure {name!r}")
        names.add(name)
        words, units = _str_list(r, "words"), _str_list(r, "units")
        w = "(?:" + "|".join(words) + ")"
        u = "(?:" + "|".join(sorted(map(re.escape, units), key=len, reverse=True)) + ")"
        figures.append(FigureDef(name, words, units, _compile(r, "words", w + _GAP + NUMBER + u),
                                 _compile(r, "words", NUMBER + u + _GAP + w)))
        r.finish()

    rq = top.child("participants", top.table_("participants", required=True))
    teachers = tuple(_compile(rq, "teachers", p) for p in _str_list(rq, "teachers"))
    schools = tuple(_compile(rq, "schools", p) for p in _str_list(rq, "schools"))
    rq.finish()
    top.finish()
    return ReviewData(titles, tuple(terms), punct_reason, marks, tuple(figures), teachers, schools)


@cache
def load_review(path: Path | None = None) -> ReviewData:
    return _load(path or paths.resources_dir() / "review.toml")


__all__ = ["DefinitionError", "FigureDef", "ReviewData", "Term", "Titles", "load_review"]
