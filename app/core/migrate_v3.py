"""Case files of schema version 2 → 3: the notice's numbered sub-items (研修目标, 考核评价, 相关统计) become parts.

Version 2 held 研修目标 and 考核评价 as one text each (the weights in a separate 三维评价权重 group) and 相关统计 as
prose. Version 3 holds them as the parts the notice names. Numbered lines ("1.教师发展目标：…") are split into
the parts; text that does not split is kept whole in the first part, and a note tells the teacher (the check
shows it as a 提醒). Nothing typed is dropped.
"""

from __future__ import annotations

import re
from typing import Any

from app.core.forms import FORM_KEYS, Field, load_form

NOTES_KEY = "_migration_notes"  # carried from the migration to the loader; never written to a file

_NUMBERED = re.compile(r"^\s*([1-9１-９])\s*[.．、](?![\d０-９])\s*(.*)$", re.S)  # "2.5%的学生…" is no item 2
# Weights written into the v2 text: （设置30%权重） （权重30%） （30%）
_WEIGHT = re.compile(r"[（(]\s*(?:设置)?\s*(?:权重)?\s*(\d+(?:\.\d+)?)\s*[%％]\s*(?:的)?\s*(?:权重)?\s*[）)]")
_TRAILING_WEIGHT = re.compile(_WEIGHT.pattern + r"(?P<end>[。；;.]?)\s*$")
_FULLWIDTH_DIGITS = str.maketrans("１２３４５６７８９", "123456789")


def v2_to_v3(doc: dict[str, Any]) -> dict[str, Any]:
    out = dict(doc)
    out["schema_version"] = 3
    fields = doc.get("fields")
    case_type = doc.get("case_type")
    if not isinstance(fields, dict) or case_type not in FORM_KEYS:
        return out  # the loader reports what is wrong with it
    form = load_form(case_type)
    fields = dict(fields)
    notes: list[list[str]] = list(doc.get(NOTES_KEY, []))
    goals = form.field("goals")
    if isinstance(fields.get("goals"), str):
        fields["goals"] = _split_numbered(goals, fields["goals"], notes)
    evaluation = form.field("evaluation")
    if isinstance(fields.get("evaluation"), str) or "weights" in fields:
        text = fields.get("evaluation")
        fields["evaluation"] = _evaluation(evaluation, text if isinstance(text, str) else "", fields.pop("weights", None),
                                           notes)
    stats = form.field("report_stats")
    if isinstance(fields.get("report_stats"), str):
        fields["report_stats"] = _stats(stats, fields["report_stats"], notes)
    out["fields"] = fields
    if notes:
        out[NOTES_KEY] = notes
    return out


def split_numbered_lines(text: str, labels: list[str]) -> list[str] | None:
    """The texts of "1.… 2.… 3.…" in order, each without its number and leading label; None when the text is not
    such a list (text before the first number, numbers out of order, more items than labels)."""
    lines = [line for line in text.replace("\r\n", "\n").split("\n") if line.strip()]
    items: list[list[str]] = []
    for line in lines:
        m = _NUMBERED.match(line)
        if m:
            if int(m.group(1).translate(_FULLWIDTH_DIGITS)) != len(items) + 1:
                return None
            items.append([m.group(2).strip()])
        elif items:
            items[-1].append(line.strip())
        else:
            return None
    if not items or len(items) > len(labels):
        return None
    out = []
    for label, item in zip(labels, items):
        # "教师发展目标：" / "教师发展目标（…维度）：" / "教师发展目标 " lead the item; "教师发展目标是…" is her sentence
        first = re.sub(rf"^{re.escape(label)}\s*(?:[（(][^）)]*[）)])*(?:\s*[：:]\s*|\s+)", "", item[0])
        out.append("\n".join([first, *item[1:]]).strip())
    return out


def _split_numbered(f: Field, text: str, notes: list[list[str]]) -> dict[str, Any]:
    parts = f.text_parts
    value: dict[str, Any] = {p.key: ("" if p.kind != "number" else None) for p in f.parts}
    split = split_numbered_lines(text, [p.label for p in parts])
    if split is None:
        value[parts[0].key] = text.strip()
        if text.strip():
            notes.append([f.key, _unsplit_note(f)])
        return value
    for p, item in zip(parts, split):
        value[p.key] = item
    return value


def _unsplit_note(f: Field) -> str:
    names = "、".join(f"{i}.{p.label}" for i, p in enumerate(f.text_parts, start=1))
    return (f"“{f.label}”现按通知分项填写（{names}）。原来的内容无法按编号拆分，已全部保留在“{f.text_parts[0].label}”中，"
            f"请把各项分别移到对应的栏目。")


def _evaluation(f: Field, text: str, weights: Any, notes: list[list[str]]) -> dict[str, Any]:
    value = _split_numbered(f, text, notes)
    weights = weights if isinstance(weights, dict) else {}
    split = not _unsplit(notes, f)
    for p in f.text_parts:
        typed = value.get(p.key) or ""
        # Only a weight closing the dimension is the weight: a （20%） inside the sentence is her figure.
        m = _TRAILING_WEIGHT.search(typed) if split else None
        if m:
            # The weight now prints inline from its own number: drop the copy typed into the text.
            value[p.key] = (typed[:m.start()] + m.group("end")).strip()
        old = weights.get(p.key)  # v2 keyed the weights by dimension: process / result / effect
        if old is None and m:
            old = float(m.group(1))
        value[p.weight] = old
    return value


def _unsplit(notes: list[list[str]], f: Field) -> bool:
    return any(key == f.key for key, _ in notes)


# Other ways a version-2 text names a count, tried after the label itself.
_ALIASES = {
    "国家中小学智慧教育平台选用资源": ("选用国家中小学智慧教育平台资源", "平台资源", "选用资源"),
    "课题论文": ("论文",),
    "帮扶教师学校": ("帮扶",),
    "粉丝增长数": ("粉丝增长",),
    "资源观看量": ("观看量",),
}


def _stats(f: Field, text: str, notes: list[list[str]]) -> dict[str, Any]:
    value: dict[str, Any] = {p.key: ("" if p.kind != "number" else None) for p in f.parts}
    text = text.strip()
    found = []
    for p in f.parts:
        if p.kind != "number":
            continue
        for name in (p.label, *_ALIASES.get(p.label, ())):
            m = re.search(rf"{re.escape(name)}[^\d。；;，,]{{0,8}}?(\d+(?:\.\d+)?)\s*(万)?", text)
            if m:
                n = float(m.group(1)) * (10000 if m.group(2) else 1)
                value[p.key] = int(n) if n.is_integer() else n
                found.append(p.label)
                break
    notes_part = f.text_parts[0]
    value[notes_part.key] = text
    if text:
        read = f"已从原文中读出{'、'.join(found)}的数字，" if found else ""
        notes.append([f.key, f"“{f.label}”现按通知分项填写（{'、'.join(p.label for p in f.parts if p.kind == 'number')}）。"
                             f"{read}请核对各项数字；原来的文字保留在“{notes_part.label}”中，请删去与各项重复的内容。"])
    return value
