"""One case = one UTF-8 JSON file a teacher can copy to a USB stick; saved atomically, read defensively."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from app import __version__
from app.core.atomic import atomic_write_bytes, backup_path
from app.core.caseguard import GuardError, check_layout, parse_json, read_case_file
from app.core.defdata import DefinitionError
from app.core.forms import load_form
from app.core.migrate_v3 import NOTES_KEY, v2_to_v3
from app.core.model import Case, Material, ValueTypeError, empty_value, normalize_value

FORMAT = "yanxiu-case"
SCHEMA_VERSION = 3


class CaseFileError(Exception):
    """A case file cannot be read or written; str() is a Chinese message saying what to do."""


# ---------------------------------------------------------------- writing

def case_to_json(case: Case) -> dict[str, Any]:
    fields = {f.key: case.get(f.key) for f in case.form.fields}
    doc: dict[str, Any] = {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "case_type": case.case_type,
        "pack": {"id": case.form.pack_id, "version": case.form.pack_version},  # the notice it was made for
        "app_version": __version__,
        "saved_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "fields": fields,
        "materials": [m.to_json() for m in case.materials],
    }
    for key, value in case.extra.items():
        doc.setdefault(key, value)
    return doc


def dumps(case: Case) -> bytes:
    return json.dumps(case_to_json(case), ensure_ascii=False, indent=2).encode("utf-8") + b"\n"


def save_case(case: Case, path: Path) -> None:
    """Atomic save; the previous version of the file is kept next to it as .bak."""
    path = Path(path)
    data = dumps(case)
    try:
        atomic_write_bytes(path, data, keep_backup=True)
    except OSError as exc:
        raise CaseFileError(f"无法保存案例文件“{path}”：{_os_reason(exc)}。原文件未被改动，请换一个文件夹或检查磁盘空间后重试。") from exc


# ---------------------------------------------------------------- reading

def load_case(path: Path) -> Case:
    path = Path(path)
    try:
        raw = read_case_file(path)
    except GuardError as exc:
        raise CaseFileError(f"“{path}”：{exc}") from None
    return loads(raw, name=str(path))


def loads(raw: bytes, *, name: str = "案例文件", form=None) -> Case:
    """FORM: read the case with this definition (checking a pack's example) instead of the one it names."""
    hint_bak = "文件未被修改。如有同名的 .bak 备份文件，可打开备份。"
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":  # cut off in the middle of a character
            raise CaseFileError(f"“{name}”已损坏或不完整（文件末尾被截断），可能在复制或保存时被中断。{hint_bak}") from None
        raise CaseFileError(f"“{name}”不是有效的案例文件（不是UTF-8文本，可能已损坏）。{hint_bak}") from None
    if not text.strip():
        raise CaseFileError(f"“{name}”是空文件，可能在保存时被中断。{hint_bak}")
    try:
        doc = parse_json(text)
    except GuardError as exc:
        raise CaseFileError(f"“{name}”无法读取：{exc}{hint_bak}") from None
    except json.JSONDecodeError as exc:
        raise CaseFileError(f"“{name}”已损坏或不完整（第{exc.lineno}行附近无法解析），可能在复制或保存时被截断。{hint_bak}") from None
    except RecursionError:
        raise CaseFileError(f"“{name}”的结构嵌套过深，不是本软件的案例文件。") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise CaseFileError(f"“{name}”不是研修案例填报助手的案例文件。请选择本软件保存的 .json 文件。")
    version = doc.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise CaseFileError(f"“{name}”缺少有效的文件格式版本号，无法读取。{hint_bak}")
    if version > SCHEMA_VERSION:
        raise CaseFileError(f"“{name}”由更新版本的研修案例填报助手保存（文件格式版本{version}，本软件支持到版本{SCHEMA_VERSION}）。"
                            f"请升级软件后再打开；文件未被修改。")
    try:
        check_layout(doc)
        return _build(migrate(doc), name, hint_bak, form)
    except GuardError as exc:
        raise CaseFileError(f"“{name}”无法读取：{exc}{hint_bak}") from None
    except DefinitionError as exc:  # the form definition is at fault, not her file
        raise CaseFileError(f"“{name}”无法打开：表单定义有误（{exc}）。如果没有修改过本软件的文件，请重新安装本软件，"
                            f"导入的表单包请重新导入；案例文件未被修改。") from None
    except (TypeError, ValueError, KeyError, AttributeError, OverflowError, RecursionError) as exc:
        # A shape no check above foresaw: refused with a message, never a traceback.
        raise CaseFileError(f"“{name}”的内容结构无法识别（{type(exc).__name__}），不是本软件能读取的案例文件。{hint_bak}") from None


def _build(doc: dict[str, Any], name: str, hint_bak: str, form=None) -> Case:
    case_type = doc.get("case_type")
    if case_type not in _known_forms():
        raise CaseFileError(f"“{name}”的案例类型“{case_type}”无法识别，应为校本研修案例或名师名校长线上工作室研修案例。")
    form = form if form is not None and form.key == case_type else _form_of(doc, case_type, name)
    fields = doc.get("fields")
    if not isinstance(fields, dict):
        raise CaseFileError(f"“{name}”缺少案例内容（fields），无法读取。{hint_bak}")
    values: dict[str, Any] = {}
    for f in form.fields:
        try:
            values[f.key] = normalize_value(f, fields.get(f.key, empty_value(f)))
        except ValueTypeError as exc:
            raise CaseFileError(f"“{name}”中的内容有误：{exc}文件未被修改。") from None
    unknown_fields = {k: v for k, v in fields.items() if not form.has_field(k)}
    materials = _materials(doc.get("materials", []), name)
    known_top = {"format", "schema_version", "case_type", "pack", "app_version", "saved_at", "fields", "materials",
                 NOTES_KEY}
    extra = {k: v for k, v in doc.items() if k not in known_top}
    if unknown_fields:
        extra["unknown_fields"] = unknown_fields
    notes = [(key, msg) for key, msg in doc.get(NOTES_KEY, [])]
    return Case(form, values, materials, extra, notes)


def _known_forms() -> set[str]:
    from app.core.packs import all_packs

    return {k for p in all_packs() for k in p.forms}


def _form_of(doc: dict[str, Any], case_type: str, name: str):
    """A case opens with the pack it was made with; a file from before packs was made with the built-in one."""
    from app.core.packs import PackError, builtin_pack, find_pack

    ref = doc.get("pack")
    if ref is None:
        return load_form(case_type)
    if (not isinstance(ref, dict) or not isinstance(ref.get("id"), str) or not isinstance(ref.get("version"), int)
            or isinstance(ref.get("version"), bool)):
        raise CaseFileError(f"“{name}”中的表单包信息（pack）格式不正确，应有表单包标识 id 和版本号 version。文件未被修改。")
    pack = find_pack(ref["id"], ref["version"])
    if pack is None:
        raise CaseFileError(f"“{name}”按表单包“{ref['id']}”第{ref['version']}版填写，本机没有安装这个表单包。"
                            f"请向提供表单包的老师索取，通过“文件 → 导入表单包…”导入后再打开；文件未被修改。")
    try:
        return pack.form(case_type)
    except PackError as exc:
        raise CaseFileError(f"“{name}”无法打开：{exc}文件未被修改。") from None
    except DefinitionError as exc:  # the pack was damaged after it was checked and installed
        fix = "请重新安装本软件" if pack.builtin else "请重新导入这个表单包（文件 → 导入表单包…）"
        raise CaseFileError(f"“{name}”无法打开：它所用的表单包“{pack.id}”第{pack.version}版有误（{exc}）。"
                            f"{fix}；案例文件未被修改。") from None


def _materials(raw: Any, name: str) -> list[Material]:
    if not isinstance(raw, list):
        raise CaseFileError(f"“{name}”中的支撑材料列表格式不正确。")
    out = []
    for m in raw:
        if (not isinstance(m, dict) or not isinstance(m.get("path"), str) or not isinstance(m.get("title", ""), str)
                or not isinstance(m.get("size", 0), int) or isinstance(m.get("size", 0), bool)):
            raise CaseFileError(f"“{name}”中的支撑材料条目格式不正确（每项应有路径、标题和大小）。")
        out.append(Material(m["path"], m.get("title", ""), m.get("size", 0)))
    return out


# ---------------------------------------------------------------- migrations

def migrate(doc: dict[str, Any]) -> dict[str, Any]:
    """Bring an older file up to SCHEMA_VERSION, one step at a time; the file on disk is not touched."""
    doc = dict(doc)
    while doc["schema_version"] < SCHEMA_VERSION:
        step = _MIGRATIONS[doc["schema_version"]]
        doc = step(doc)
    return doc


def _v1_to_v2(doc: dict[str, Any]) -> dict[str, Any]:
    """Version 1 (the 0.0.x drafts) named the case type `type`, kept keywords as one 、-separated text and
    held the process stages at the top level."""
    fields = dict(doc.get("fields") or {})
    kw = fields.get("keywords")
    if isinstance(kw, str):
        for sep in "，,；;、 ":
            kw = kw.replace(sep, "、")
        fields["keywords"] = [k for k in kw.split("、") if k.strip()]
    if "stages" in doc and "process_stages" not in fields:
        fields["process_stages"] = doc["stages"]
    out = {k: v for k, v in doc.items() if k not in ("type", "stages")}
    out["case_type"] = doc.get("case_type", doc.get("type"))
    out["fields"] = fields
    out["schema_version"] = 2
    return out


_MIGRATIONS = {1: _v1_to_v2, 2: v2_to_v3}


def _os_reason(exc: OSError) -> str:
    from app.core.oserrors import explain

    return explain(exc)


__all__ = ["CaseFileError", "load_case", "loads", "save_case", "dumps", "case_to_json", "backup_path",
           "SCHEMA_VERSION", "FORMAT"]
