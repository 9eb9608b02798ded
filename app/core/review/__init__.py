"""A reviewer's eye before the reviewer: 规范表述, consistency, copied passages and the counts people compare.

Every finding is a 提醒 (the notice's rules stay the only errors). It names its field, quotes the text, says
why, and where a fix is safe carries the field's value before and after it, so the 检查 page can apply it
with one click (and refuse when the field has changed since the check)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from app.core.model import STAGE_KEYS, STAGE_LABELS, Case
from app.core.printed import format_number, group_lines
from app.core.rules import WARNING, Finding


@dataclass(frozen=True)
class ReviewFinding(Finding):
    rule: str = ""  # which check found it (term id, "copy", "figures" …): for tests and logs
    quote: str = ""
    suggestion: str = ""
    before: Any = field(default=None, compare=False, hash=False)  # the field's value the fix applies to
    after: Any = field(default=None, compare=False, hash=False)  # the value with the fix; None: no safe fix

    @property
    def can_apply(self) -> bool:
        return self.after is not None

    def applies_to(self, case: Case) -> bool:
        return self.can_apply and case.get(self.field) == self.before


def finding(doc: str, key: str, message: str, *, rule: str, quote: str = "", suggestion: str = "",
            before: Any = None, after: Any = None) -> ReviewFinding:
    return ReviewFinding(WARNING, doc, key, message, rule=rule, quote=quote, suggestion=suggestion,
                         before=before, after=after)


# The review reads at most this much of a field: every limit is far below it, and a 100 000-character paste must
# not freeze the 检查 page. (The notice's rules, and the 字数 counts, still read everything.)
REVIEW_CHARS = 10_000


@dataclass(frozen=True)
class Spot:
    """One piece of text the teacher wrote: a text field, one keyword, or one cell of a process stage."""

    key: str
    label: str  # as a message names it: “案例概述”, “研修流程图示”第2个阶段的“研修内容”
    document: str
    path: tuple  # () for the whole field; ("item", i); ("part", key) of a group; ("stage", i, name)
    text: str

    @property
    def scan(self) -> str:
        """What the rules read (a prefix of a very long text; fixes still apply to the whole text)."""
        return self.text[:REVIEW_CHARS]

    def replaced(self, case: Case, new_text: str) -> Any:
        """The field's whole value with this spot's text replaced."""
        value = case.get(self.key)
        if not self.path:
            return new_text
        value = copy.deepcopy(value)
        if self.path[0] in ("item", "part"):
            value[self.path[1]] = new_text
        else:
            value[self.path[1]][self.path[2]] = new_text
        return value


def document_of(case: Case, key: str) -> str:
    f = case.form.field(key)
    return f.documents[0] if f.documents else "info"


def field_text(case: Case, key: str) -> str:
    """Any field's text as the documents print it, whatever its kind: what every review rule that reads a field
    as prose reads. A group prints its lines (研修目标 "1.教师发展目标：…", 相关统计 "专题讲座3场、…。" and then
    its notes) exactly as the plan and the report do; a table or the stages give their cells, one row a line."""
    f = case.form.field(key)
    value = case.get(key)
    k = f.kind
    if k in ("line", "text", "choice", "date"):
        text = value
    elif k == "group":
        text = "\n".join(group_lines(f, value))
    elif k in ("tags", "multi"):
        text = "、".join(value)
    elif k == "number":
        text = "" if value is None else format_number(value)
    elif k == "table":
        text = "\n".join("　".join(row[c.key] for c in f.columns if row.get(c.key)) for row in value)
    elif k == "stages":
        text = "\n".join("　".join(s[n] for n in STAGE_KEYS if s.get(n)) for s in value)
    elif k == "checklist":
        text = "\n".join(f"{cat}：{'、'.join(items)}" for cat, items in value.items())
    else:
        raise AssertionError(f"unhandled kind {k}")  # the loader admits only KINDS
    return text[:REVIEW_CHARS]


def spots(case: Case) -> list[Spot]:
    """Every text she wrote that the 规范表述 rules read, in form order, each where a fix can put it back: text
    fields, keywords, a group's text parts, the stages' cells (resource names are the platform's titles: skipped)."""
    out: list[Spot] = []
    for f in case.form.fields:
        doc = f.documents[0] if f.documents else "info"
        value = case.get(f.key)
        if f.kind in ("line", "text") and value:
            out.append(Spot(f.key, f"“{f.display_label}”", doc, (), value))
        elif f.kind == "tags":
            out.extend(Spot(f.key, f"“{f.display_label}”", doc, ("item", i), v) for i, v in enumerate(value) if v)
        elif f.kind == "group":  # her words only: the printed numbering, counts and blanks are ours
            out.extend(Spot(f.key, f"“{f.label}”中的“{p.label}”", doc, ("part", p.key), value[p.key])
                       for p in f.text_parts if value.get(p.key))
        elif f.kind == "stages":
            for i, stage in enumerate(value):
                for name in ("name", "time", "content", "tools"):
                    if stage.get(name):
                        out.append(Spot(f.key, f"“{f.label}”第{i + 1}个阶段的“{STAGE_LABELS[name]}”", doc,
                                        ("stage", i, name), stage[name]))
    return out


def review_case(case: Case) -> list[Finding]:
    """All 提醒 of the review modules, each module a function of the case."""
    from app.core.review import consistency, copies, figures, measures, terms

    out: list[Finding] = []
    for check in (terms.check_terms, terms.check_platform_names, consistency.check_consistency,
                  figures.check_figures, copies.check_copies, measures.check_measures):
        out.extend(check(case))
    return out
