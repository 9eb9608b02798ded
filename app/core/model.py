"""The case: one teacher's answers to one form, cleaned and typed by the form definition as they enter."""

from __future__ import annotations

import copy
import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from app.core.forms import Field, FormDef
from app.core.textclean import clean_text

STAGE_KEYS = ("name", "time", "mode", "content", "tools")
STAGE_LABELS = {"name": "阶段名称", "time": "时间安排", "mode": "研修方式", "content": "研修内容",
                "tools": "使用的平台工具"}


class ValueTypeError(ValueError):
    """A value does not have the shape its field's kind requires; the message is for teachers."""


@dataclass
class Material:
    """A supporting file (研修照片、过程材料、成果代表): where it is, what it shows, how big it was."""

    path: str
    title: str
    size: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "title": self.title, "size": self.size}


@dataclass
class Case:
    form: FormDef
    values: dict[str, Any] = field(default_factory=dict)
    materials: list[Material] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)  # unknown keys from the file, written back untouched
    # (field key, message) left by migrating an older file, shown by the check as 提醒; never written back
    migration_notes: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def new(cls, case_type: str, form: FormDef | None = None) -> "Case":
        """A blank case; by default on the newest installed pack that has this form."""
        if form is None:
            from app.core.packs import newest_pack

            form = newest_pack(case_type).form(case_type)
        return cls(form, {f.key: empty_value(f) for f in form.fields})

    @property
    def case_type(self) -> str:
        return self.form.key

    @property
    def name_text(self) -> str:
        """What names her files and tab: the 研修主题, or the field the form names for it."""
        return self.get(self.form.name_field)

    def get(self, key: str) -> Any:
        f = self.form.field(key)
        return self.values.get(key, empty_value(f))

    def set(self, key: str, value: Any) -> Any:
        """Clean and store a value; returns what was stored."""
        f = self.form.field(key)
        cleaned = normalize_value(f, value)
        if self.migration_notes and cleaned != self.values.get(key):
            # She has acted on what the migration asked: the note about this field is done with.
            self.migration_notes = [n for n in self.migration_notes if n[0] != key]
        self.values[key] = cleaned
        return cleaned

    def copy(self) -> "Case":
        return Case(self.form, copy.deepcopy(self.values), [Material(**m.to_json()) for m in self.materials],
                    copy.deepcopy(self.extra), list(self.migration_notes))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Case):
            return NotImplemented
        return (self.form.key == other.form.key and self.values == other.values
                and [m.to_json() for m in self.materials] == [m.to_json() for m in other.materials])


def empty_value(f: Field) -> Any:
    if f.kind in ("line", "text", "choice", "date"):
        return ""
    if f.kind in ("multi", "tags", "table", "stages"):
        return []
    if f.kind == "group":
        return {p.key: (None if p.kind == "number" else "") for p in f.parts}
    if f.kind == "checklist":
        return {}
    return None  # number


def _expect(f: Field, ok: bool, shape: str) -> None:
    if not ok:
        raise ValueTypeError(f"“{f.label}”的内容格式不正确，应为{shape}。")


def _text(f: Field, value: Any, *, multiline: bool, shape: str = "文字") -> str:
    if value is None:
        return ""
    _expect(f, isinstance(value, str), shape)
    return clean_text(value, multiline=multiline)


def _number(f: Field, value: Any, label: str) -> int | float | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip().rstrip("%"))
        except ValueError:
            raise ValueTypeError(f"“{label}”应填写数字。") from None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueTypeError(f"“{label}”应填写数字。")
    return int(value) if float(value).is_integer() else float(value)


def _date(label: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        raise ValueTypeError(f"“{label}”应为日期（年-月-日）。")
    try:
        return dt.date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise ValueTypeError(f"“{label}”应为日期，格式如2025-03-01。") from None


def _str_list(f: Field, value: Any) -> list[str]:
    if value is None:
        return []
    _expect(f, isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value), "文字列表")
    out: list[str] = []
    for v in value:
        v = clean_text(v, multiline=False)
        if v and v not in out:
            out.append(v)
    return out


def normalize_value(f: Field, value: Any) -> Any:
    """Clean text of XML-hostile characters and check the value's shape against the field's kind."""
    k = f.kind
    if k == "text":
        return _text(f, value, multiline=True)
    if k in ("line", "choice"):
        return _text(f, value, multiline=False)
    if k in ("multi", "tags"):
        return _str_list(f, value)
    if k == "number":
        return _number(f, value, f.label)
    if k == "date":
        return _date(f.label, value)
    if k == "table":
        if value is None:
            return []
        _expect(f, isinstance(value, (list, tuple)) and all(isinstance(r, dict) for r in value), "表格行列表")
        rows = []
        for row in value:
            cleaned = {}
            for c in f.columns:
                cell = row.get(c.key, "")
                if cell is None:
                    cell = ""
                _expect(f, isinstance(cell, (str, int)) and not isinstance(cell, bool), f"表格（“{c.label}”列为文字）")
                cleaned[c.key] = clean_text(str(cell), multiline=False)
            rows.append(cleaned)
        return rows
    if k == "group":
        if value is None:
            return empty_value(f)
        _expect(f, isinstance(value, dict), "分项填写的内容" if f.text_parts else "一组数字")
        out = {}
        for p in f.parts:
            raw = value.get(p.key)
            if p.kind == "date":
                out[p.key] = _date(p.label, raw)
            elif p.kind == "text":
                if raw is not None and not isinstance(raw, str):
                    raise ValueTypeError(f"“{f.label}”中的“{p.label}”应为文字。")
                out[p.key] = clean_text(raw or "", multiline=True)
            else:
                out[p.key] = _number(f, raw, p.label)
        return out
    if k == "checklist":
        if value is None:
            return {}
        _expect(f, isinstance(value, dict), "工具勾选表")
        out = {}
        for cat, items in value.items():
            _expect(f, isinstance(cat, str) and isinstance(items, (list, tuple))
                    and all(isinstance(i, str) for i in items), "工具勾选表")
            chosen = [clean_text(i, multiline=False) for i in items]
            chosen = [i for n, i in enumerate(chosen) if i and i not in chosen[:n]]
            if chosen:
                out[clean_text(cat, multiline=False)] = chosen
        return out
    if k == "stages":
        if value is None:
            return []
        _expect(f, isinstance(value, (list, tuple)) and all(isinstance(s, dict) for s in value), "研修阶段列表")
        stages = []
        for s in value:
            stage = {}
            for key in STAGE_KEYS:
                raw = s.get(key, "")
                _expect(f, raw is None or isinstance(raw, str), f"研修阶段（“{STAGE_LABELS[key]}”为文字）")
                stage[key] = clean_text(raw or "", multiline=key == "content")
            stages.append(stage)
        return stages
    raise AssertionError(f"unhandled kind {k}")  # the loader admits only KINDS
