"""Load resources/review.toml into compiled, immutable rules; a malformed entry fails at load, naming its key."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from app import paths
from app.core.defdata import DefinitionError, Reader, read_definition


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
    patterns: tuple[re.Pattern, ...]  # several when one pattern would start with a choice of characters
    reason: str
    suggest: str = ""  # may name a group ({s}) or {standard}
    safe: bool = False
    template: bool = False  # leftover template text (reported with its own heading)
    needs: tuple[str, ...] = ()  # one of these must occur in a text for the pattern to be tried
    prefix: re.Pattern | None = None  # joins the match when it ends right before it (2022年版 + 新课标)

    def may_match(self, text: str) -> bool:
        return not self.needs or any(n in text for n in self.needs)



@dataclass(frozen=True)
class FigureDef:
    name: str
    words: tuple[str, ...]
    units: tuple[str, ...]
    ends_with_word: re.Pattern  # what precedes a number in 开展专题讲座3场
    starts_with_word: re.Pattern  # what follows the unit in 3场专题讲座


@dataclass(frozen=True, eq=False)  # compared by identity: one per file (load_review caches), and a cache key
class ReviewData:
    titles: Titles
    terms: tuple[Term, ...]
    punctuation_reason: str
    punctuation: dict[str, str]
    punctuation_pattern: re.Pattern | None  # any of the half-width marks (the neighbours are checked after)
    figures: tuple[FigureDef, ...]
    count: re.Pattern  # a number and one of the figures' units (人次 before 人): 12个, 1.6万次, 1200余人
    any_before: re.Pattern  # some figure's word ends right before a number
    any_after: re.Pattern  # some figure's word follows a unit
    by_unit: dict[str, tuple[FigureDef, ...]]  # the figures counted in a unit, in the table's order
    teacher_patterns: tuple[re.Pattern, ...]
    school_patterns: tuple[re.Pattern, ...]


# A count as a sentence writes it: 12, 1.6万, 1200余, 三; the unit follows. Starts with a character class, so
# re skips ahead quickly (a leading lookbehind would make it try every position of a long paste).
HAN = "\u4e00-\u9fff"
NUMBER = re.compile(r"(\d+(?:\.\d+)?|[一二两三四五六七八九十]{1,3})\s*(万|千)?\s*(?:余|多)?\s*")
_GAP = r"[^，。；、：\d\n]{0,8}?"


def _compile(r: Reader, name: str, pattern: str, flags: int = 0) -> re.Pattern:
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        raise r.error(name, f"不是有效的正则表达式（约第 {(exc.pos or 0) + 1} 个字符处有误），请检查括号、方括号和“\\”转义") from None


def _str_map(r: Reader, name: str) -> dict[str, str]:
    table = r.table_(name)
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in table.items()):
        raise r.error(name, "应为“文字 = 文字”的表")
    return dict(table)


def _str_list(r: Reader, name: str, *, required: bool = True) -> tuple[str, ...]:
    items = r.list(name, required=required)
    if not all(isinstance(i, str) and i for i in items):
        raise r.error(name, "应为非空文字的列表")
    return tuple(items)


def _load(path: Path) -> ReviewData:
    top = read_definition(path, "yanxiu-review", "审读数据")

    rt = top.child("titles", top.table_("titles", required=True))
    titles = Titles(rt.str("source", required=True), rt.str("plan", required=True), rt.str("standard", required=True),
                    _str_list(rt, "standards"), _str_list(rt, "also_right", required=False),
                    _str_map(rt, "subject_standard"), _str_map(rt, "aliases"),
                    _compile(rt, "other_editions", rt.str("other_editions", required=True)))
    if "{subject}" not in titles.standard:
        raise rt.error("standard", "应含有 {subject}（科目名称的位置）")
    rt.finish()

    terms, seen = [], set()
    for i, raw in enumerate(top.list("term", required=True)):
        r = top.child(f"term[{i}]", raw)
        tid = r.unique("id", seen, "id“{}”重复，每条只能用一次")
        flags = re.M if r.bool("multiline", False) else 0
        sources = [r.str("pattern")] if "pattern" in r.table else list(_str_list(r, "patterns"))
        if not sources or not all(sources) or ("pattern" in r.table and "patterns" in r.table):
            raise r.error("pattern", "请写 pattern（一个）或 patterns（非空列表），二者只写其一")
        r.raw("patterns")
        term = Term(tid, tuple(_compile(r, "pattern", p, flags) for p in sources), r.str("reason", required=True),
                    r.str("suggest"), r.bool("safe", False), r.bool("template", False),
                    _str_list(r, "needs", required=False),
                    _compile(r, "prefix", f"(?:{r.str('prefix')})\\Z") if r.str("prefix") else None)
        if term.safe and not term.suggest:
            raise r.error("safe", "safe = true 的替换需要写 suggest（替换成什么）")
        r.finish()
        terms.append(term)

    rp = top.child("punctuation", top.table_("punctuation", required=True))
    punct_reason, marks = rp.str("reason", required=True), _str_map(rp, "marks")
    rp.finish()

    figures, names = [], set()
    for i, raw in enumerate(top.list("figure", required=True)):
        r = top.child(f"figure[{i}]", raw)
        name = r.unique("name", names, "“{}”重复，每个只能写一次")
        words, units = _str_list(r, "words"), _str_list(r, "units")
        w = "(?:" + "|".join(words) + ")"
        figures.append(FigureDef(name, words, tuple(sorted(units, key=len, reverse=True)),
                                 _compile(r, "words", w + _GAP + r"\Z"), _compile(r, "words", _GAP + w)))
        r.finish()

    rq = top.child("participants", top.table_("participants", required=True))
    teachers = tuple(_compile(rq, "teachers", p) for p in _str_list(rq, "teachers"))
    schools = tuple(_compile(rq, "schools", p) for p in _str_list(rq, "schools"))
    rq.finish()
    top.finish()
    units = sorted({u for f in figures for u in f.units}, key=len, reverse=True)
    count = re.compile(NUMBER.pattern + "(" + "|".join(map(re.escape, units)) + ")")
    every_word = "(?:" + "|".join(w for f in figures for w in f.words) + ")"
    any_before, any_after = re.compile(every_word + _GAP + r"\Z"), re.compile(_GAP + every_word)
    by_unit = {u: tuple(f for f in figures if u in f.units) for u in units}
    punct = re.compile("[" + "".join(re.escape(k) for k in marks) + "]") if marks else None
    return ReviewData(titles, tuple(terms), punct_reason, marks, punct, tuple(figures), count, any_before, any_after, by_unit, teachers, schools)


@cache
def load_review(path: Path | None = None) -> ReviewData:
    return _load(path or paths.resources_dir() / "review.toml")


__all__ = ["DefinitionError", "FigureDef", "ReviewData", "Term", "Titles", "load_review"]
