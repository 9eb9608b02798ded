"""What the case loader refuses before it builds anything: files that are not regular files, JSON it cannot hold
(duplicate keys, numbers out of range) and layouts of the wrong shape — each with a Chinese message."""

from __future__ import annotations

import json
import math
import os
import stat
from pathlib import Path
from typing import Any

from app.core.oserrors import explain

MAX_FILE_BYTES = 64 * 1024 * 1024  # a case is text; photos are listed by path, never embedded
MAX_INT_DIGITS = 15  # every number a form holds (weights, counts) fits; JavaScript's safe range too
MAX_PATH_BYTES = 4096  # PATH_MAX on Linux; longer paths cannot even be looked up
MAX_NAME_BYTES = 255  # one file or folder name, on every common file system
UNCHANGED = "文件未被修改。"


class GuardError(ValueError):
    """The file is refused; str() is the Chinese message (the file name is added by the caller)."""


def read_case_file(path: Path) -> bytes:
    """The bytes of a regular file of sensible size. A FIFO, a device or a folder is refused without opening it
    (opening a FIFO would wait for a writer forever)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise GuardError("找不到案例文件。请确认文件是否已被移动或删除。") from None
    except (OSError, ValueError) as exc:
        raise GuardError(f"无法打开案例文件：{explain(exc) if isinstance(exc, OSError) else '文件名不正确'}。") from None
    _check_regular(st)
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise GuardError(f"无法打开案例文件：{explain(exc)}。") from None
    try:
        _check_regular(os.fstat(fd))  # the name may have been swapped for something else meanwhile
        with os.fdopen(fd, "rb") as fh:
            fd = -1
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise GuardError(f"读取案例文件时出错：{explain(exc)}。") from None
    finally:
        if fd >= 0:
            os.close(fd)
    if len(data) > MAX_FILE_BYTES:
        raise GuardError(_too_big())
    return data


def _check_regular(st: os.stat_result) -> None:
    if stat.S_ISDIR(st.st_mode):
        raise GuardError("这是一个文件夹，不是案例文件。请选择文件夹中的 .json 文件。")
    if not stat.S_ISREG(st.st_mode):
        raise GuardError("这不是普通文件（可能是管道、设备或特殊文件），不能作为案例文件打开。")
    if st.st_size > MAX_FILE_BYTES:
        raise GuardError(_too_big())


def _too_big() -> str:
    return f"文件超过{MAX_FILE_BYTES // 1024 // 1024}MB，不是本软件保存的案例文件（案例文件只有文字，照片按路径记录）。"


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise GuardError(f"键“{key[:40]}”出现了两次，无法确定该用哪一个。请用文本编辑器删去其中一个。")
        out[key] = value
    return out


def _int(text: str) -> int:
    digits = text.lstrip("-")
    if len(digits) > MAX_INT_DIGITS:
        raise GuardError(f"数字“{text[:20]}{'…' if len(text) > 20 else ''}”（{len(digits)}位）超出了可以处理的范围。")
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value) or abs(value) >= 10 ** MAX_INT_DIGITS:
        raise GuardError(f"数字“{text[:20]}{'…' if len(text) > 20 else ''}”超出了可以处理的范围。")
    return value


def _constant(text: str) -> float:
    raise GuardError(f"“{text}”不是有效的数字。")


def parse_json(text: str) -> Any:
    """json.loads, strict: duplicate keys, NaN/Infinity and numbers out of range are refused (GuardError); other
    syntax errors raise json.JSONDecodeError as usual."""
    return json.loads(text, object_pairs_hook=_pairs, parse_int=_int, parse_float=_float, parse_constant=_constant)


def check_layout(doc: dict[str, Any]) -> None:
    """The shapes every schema version shares, checked before any migration looks at them."""
    fields = doc.get("fields")
    if "fields" in doc and not isinstance(fields, dict):
        raise GuardError(f"案例内容（fields）应为“字段: 内容”的对象，这里却是{_kind(fields)}。")
    for key in ("case_type", "type"):
        if key in doc and not isinstance(doc[key], str):
            raise GuardError(f"案例类型（{key}）应为文字，这里却是{_kind(doc[key])}。")
    if "stages" in doc and not isinstance(doc["stages"], list):
        raise GuardError(f"研修流程（stages）应为列表，这里却是{_kind(doc['stages'])}。")
    if isinstance(fields, dict) and "keywords" in fields and not isinstance(fields["keywords"], (str, list)):
        raise GuardError(f"案例关键词应为文字或列表，这里却是{_kind(fields['keywords'])}。")
    materials = doc.get("materials", [])
    if not isinstance(materials, list):
        raise GuardError(f"支撑材料列表（materials）应为列表，这里却是{_kind(materials)}。")
    for i, m in enumerate(materials, start=1):
        if isinstance(m, dict) and isinstance(m.get("path"), str):
            problem = path_problem(m["path"])
            if problem:
                raise GuardError(f"支撑材料第{i}件的路径{problem}。")


def path_problem(path: str) -> str | None:
    """Why a stored path cannot be a file on any PC this app runs on; None when it can."""
    if not path.strip():
        return "是空的"
    if "\x00" in path:
        return "含有不允许的字符"
    if len(path.encode("utf-8", "surrogatepass")) > MAX_PATH_BYTES:
        return f"太长（超过{MAX_PATH_BYTES}字节），系统无法打开"
    for part in Path(path).parts:
        if len(part.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES:
            return f"中有一个文件名或文件夹名太长（超过{MAX_NAME_BYTES}字节），系统无法打开"
    return None


def _kind(value: Any) -> str:
    if isinstance(value, str):
        return "文字"
    if isinstance(value, bool):
        return "是/否"
    if isinstance(value, (int, float)):
        return "数字"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "对象"
    return "空值" if value is None else "无法识别的内容"
