"""Moving a case to a newer pack of its form: what changes, said field by field, and nothing she wrote lost."""

from __future__ import annotations

from app.core.forms import FormDef
from app.core.model import Case, ValueTypeError, empty_value, normalize_value


def _limit_text(f) -> str:
    return f"{f.limit}字" if f.limit else "不限字数"


def changed_fields(old: FormDef, new: FormDef) -> list[str]:
    """One line per field that is added, removed, renamed or given another 字数 limit, in the new form's order."""
    lines = []
    for f in new.fields:
        if not old.has_field(f.key):
            lines.append(f"新增：{f.label}")
            continue
        o = old.field(f.key)
        if o.label != f.label:
            lines.append(f"改名：{o.label} → {f.label}")
        if o.limit != f.limit:
            lines.append(f"字数要求：{f.label} {_limit_text(o)} → {_limit_text(f)}")
        if o.kind != f.kind:
            lines.append(f"填写方式改变：{f.label}")
    for o in old.fields:
        if not new.has_field(o.key):
            lines.append(f"删除：{o.label}（已填内容保留在案例文件中，不会丢失）")
    return lines


def move_case(case: Case, new: FormDef) -> Case:
    """The same answers on the new form; a field the new form lacks, or whose value no longer fits its kind,
    is kept in the file's unknown_fields so nothing she wrote is lost."""
    extra = dict(case.extra)
    kept = dict(extra.get("unknown_fields", {}))
    values = {}
    for f in new.fields:
        if case.form.has_field(f.key):
            try:
                values[f.key] = normalize_value(f, case.get(f.key))
                continue
            except ValueTypeError:
                kept[f.key] = case.get(f.key)
        values[f.key] = empty_value(f)
    for o in case.form.fields:
        if not new.has_field(o.key):
            kept[o.key] = case.get(o.key)
    if kept:
        extra["unknown_fields"] = kept
    return Case(new, values, list(case.materials), extra, list(case.migration_notes))
