"""The case file's JSON Schema, generated from the form definitions so documentation and data never drift apart."""

from __future__ import annotations

import json
from typing import Any

from app.core.casefile import FORMAT, SCHEMA_VERSION
from app.core.forms import Field, load_form
from app.core.model import STAGE_KEYS, STAGE_LABELS

_TEXT = {"type": "string"}
_DATE = {"type": "string", "anyOf": [{"const": ""}, {"format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}]}
_NUMBER = {"type": ["number", "null"]}


def field_schema(f: Field) -> dict[str, Any]:
    desc = {"title": f.display_label}
    if f.hint:
        desc["description"] = f.hint
    k = f.kind
    if k in ("line", "text", "choice"):
        return {**desc, **_TEXT}
    if k == "date":
        return {**desc, **_DATE}
    if k == "number":
        return {**desc, **_NUMBER}
    if k in ("multi", "tags"):
        return {**desc, "type": "array", "items": _TEXT}
    if k == "table":
        cols = {c.key: {"title": c.label, **_TEXT} for c in f.columns}
        return {**desc, "type": "array",
                "items": {"type": "object", "properties": cols, "additionalProperties": False}}
    if k == "group":
        shapes = {"date": _DATE, "number": _NUMBER, "text": _TEXT}
        parts = {p.key: {"title": p.label, **({"description": p.hint} if p.hint else {}), **shapes[p.kind]}
                 for p in f.parts}
        return {**desc, "type": "object", "properties": parts, "additionalProperties": False}
    if k == "checklist":
        return {**desc, "type": "object", "additionalProperties": {"type": "array", "items": _TEXT}}
    if k == "stages":
        props = {key: {"title": STAGE_LABELS[key], **_TEXT} for key in STAGE_KEYS}
        return {**desc, "type": "array",
                "items": {"type": "object", "properties": props, "required": ["name"], "additionalProperties": False}}
    raise AssertionError(k)


def build_schema() -> dict[str, Any]:
    from app.core.packs import builtin_pack

    keys = builtin_pack().forms  # every form of the built-in pack (Attachments 1-3)
    variants = []
    for key in keys:
        form = load_form(key)
        variants.append({
            "title": form.title,
            "properties": {
                "case_type": {"const": key},
                "fields": {
                    "type": "object",
                    "properties": {f.key: field_schema(f) for f in form.fields},
                    "additionalProperties": False,
                },
            },
        })
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "yanxiu-case.schema.json",
        "title": "研修案例填报助手案例文件",
        "type": "object",
        "required": ["format", "schema_version", "case_type", "fields", "materials"],
        "properties": {
            "format": {"const": FORMAT},
            "schema_version": {"const": SCHEMA_VERSION},
            "case_type": {"enum": list(keys)},
            "pack": {
                "description": "the form pack (notice year) the case was made with; absent: the built-in 2025 pack",
                "type": "object",
                "required": ["id", "version"],
                "properties": {"id": _TEXT, "version": {"type": "integer", "minimum": 1}},
                "additionalProperties": False,
            },
            "app_version": _TEXT,
            "saved_at": _TEXT,
            "fields": {"type": "object"},
            "materials": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["path", "title", "size"],
                    "properties": {"path": _TEXT, "title": _TEXT, "size": {"type": "integer", "minimum": 0}},
                    "additionalProperties": False,
                },
            },
        },
        "oneOf": variants,
    }


def schema_text() -> str:
    return json.dumps(build_schema(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":  # python -m app.core.schema > docs/case-file.schema.json
    import sys

    sys.stdout.buffer.write(schema_text().encode("utf-8"))
