"""What the documents print for a case, computed once so the 字数 check counts exactly what reviewers read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.core.forms import Field, section_heading
from app.core.model import Case
from app.core.textclean import paragraphs

BLANK = "____"  # printed where a number is still missing, so the gap is visible on paper


def format_number(value: int | float | None) -> str:
    if value is None:
        return BLANK
    return f"{value:g}" if isinstance(value, float) else str(value)


def format_date(value: str) -> str:
    if not value:
        return BLANK
    d = dt.date.fromisoformat(value)
    return f"{d.year}年{d.month}月{d.day}日"


def group_sentence(f: Field, value: dict) -> str:
    """The official sentence of a group field, e.g. 共计48人，其中新手教师12人、…; optional parts append theirs."""
    shown = {p.key: (format_date(value.get(p.key) or "") if p.kind == "date" else format_number(value.get(p.key)))
             for p in f.parts}
    text = f.sentence.format(**shown)
    for p in f.parts:
        if p.sentence and value.get(p.key) not in (None, ""):
            text += p.sentence.format(**shown)
    return text


def group_is_empty(f: Field, value: dict) -> bool:
    return all(value.get(p.key) in (None, "") for p in f.parts)


def weight_text(value: int | float | None) -> str:
    """The notice's （设置**%权重） as printed once the weight is set."""
    return f"（权重{format_number(value)}%）"


def numbered_lines(f: Field, value: dict) -> list[str]:
    """研修目标 and 考核评价 as the notice lists them: "1.教师发展目标：…", a weight inline "…（权重30%）"."""
    lines: list[str] = []
    for i, p in enumerate(f.text_parts, start=1):
        paras = paragraphs(value.get(p.key) or "")
        if not paras and not p.required:
            continue
        paras = paras or [BLANK]
        paras[0] = f"{i}.{p.label}：{paras[0]}"
        if p.weight:
            last = paras[-1]
            tail = "。" if last.endswith("。") else ""
            paras[-1] = (last[:-1] if tail else last) + weight_text(value.get(p.weight)) + tail
        lines.extend(paras)
    return lines


def counts_sentence(f: Field, value: dict) -> str:
    """相关统计's named counts as one sentence: 专题讲座3场、课例研讨16次、…。"""
    shown = [f"{p.label}{format_number(value.get(p.key))}{p.unit}" for p in f.parts
             if p.kind == "number" and (p.required or value.get(p.key) is not None)]
    return "、".join(shown) + "。" if shown else ""


def group_lines(f: Field, value: dict) -> list[str]:
    """Every printed paragraph of a group field, in the plan's cell and in the report alike."""
    if group_is_empty(f, value):
        return []
    if f.numbered:
        return numbered_lines(f, value)
    if f.sentence:
        return [group_sentence(f, value)]
    lines = [counts_sentence(f, value)] if any(p.kind == "number" for p in f.parts) else []
    for p in f.text_parts:
        lines.extend(paragraphs(value.get(p.key) or ""))
    return [line for line in lines if line]


def field_paragraphs(case: Case, key: str) -> list[str]:
    """A field's printed paragraphs in the report (text fields keep the teacher's paragraphs)."""
    f = case.form.field(key)
    value = case.get(key)
    if f.kind in ("line", "text"):
        return paragraphs(value)
    if f.kind == "group":
        return group_lines(f, value)
    if f.kind in ("tags", "multi"):
        return ["、".join(value)] if value else []
    raise ValueError(f"field {key} of kind {f.kind} is not printed as paragraphs")


@dataclass(frozen=True)
class Block:
    """One printed paragraph of the report: level 0 title, 1 一级标题, 2 二级标题, 3 正文."""

    level: int
    text: str
    field: str = ""


def report_blocks(case: Case) -> list[Block]:
    doc = case.form.document("report")
    blocks = [Block(0, doc.title)]
    for i, section in enumerate(doc.sections):
        if section.title:
            blocks.append(Block(1, section_heading(i, section.title)))
            for j, item in enumerate(section.items, start=1):
                blocks.append(Block(2, f"{j}.{case.form.field(item.heading).label}", item.heading))
                for key in item.fields:
                    blocks.extend(Block(3, p, key) for p in field_paragraphs(case, key))
        else:
            item = section.items[0]
            blocks.append(Block(1, section_heading(i, case.form.field(item.heading).label), item.heading))
            for key in item.fields:
                blocks.extend(Block(3, p, key) for p in field_paragraphs(case, key))
    return blocks
