"""Strict readers for the bundled TOML data, so a malformed definition fails at load naming file and key.

Every problem is written in Simplified Chinese: a 教研员 preparing a pack and a teacher whose pack is damaged
read it (docs/packs.md); keys stay as the file writes them so she can find them.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path
from typing import Any


PACK_FOLDERS = ("forms", "templates_docx", "resources", "examples")


def shown_path(path: Path | str) -> str:
    """forms/school.toml: the file as a pack author finds it in the pack's folder."""
    p = Path(path)
    return f"{p.parent.name}/{p.name}" if p.parent.name in PACK_FOLDERS else p.name


class DefinitionError(ValueError):
    """A bundled definition (form, curriculum, catalogue) is malformed; str() names file, key and what to do."""

    def __init__(self, path: Path | str, key: str, problem: str) -> None:
        self.path = str(path)
        self.key = key
        self.problem = problem
        if key == "(file)":
            where = f"文件“{shown_path(path)}”"
        elif key == "(syntax)":
            where = f"文件“{shown_path(path)}”的 TOML 格式有误"
        else:
            where = f"文件“{shown_path(path)}”中的“{key}”"
        super().__init__(f"{where}：{problem}")


_TOML_AT = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)\s*$")
# tomllib's English reasons, as a 教研员 editing a pack needs them.
_TOML_REASONS = (
    ("Cannot overwrite a value", "同一个键写了两次（或与已有的表重名），请删去重复的一处"),
    ("Cannot declare", "这个表已经定义过，请合并成一处"),
    ("Unterminated string", "字符串缺少结尾的引号"),
    ("Illegal character", "出现了不允许的字符（字符串要用英文引号括起来）"),
    ("Invalid value", "值的写法不对：文字要用英文双引号括起来，日期写成 2025-09-30"),
    ("Invalid initial character for a key part", "键的写法不对：键只用字母、数字、- 和 _，或用引号括起来"),
    ("Expected '=' after a key", "键后面缺少“=”"),
    ("Expected newline or end of document after a statement", "一行只能写一个“键 = 值”"),
    ("Unclosed array", "列表缺少结尾的“]”"),
    ("Unclosed inline table", "内联表缺少结尾的“}”"),
    ("Expected ']' at the end of a table declaration", "表名缺少结尾的“]”"),
    ("Invalid date or datetime", "日期无效，应写成 2025-09-30 这样确实存在的日期"),
    ("Invalid statement", "这一行不是“键 = 值”或“[表名]”"),
    ("Unescaped", "字符串中的“\\”要写成“\\\\”"),
    ("Invalid hex value", "字符串中的 \\u 转义写法不对"),
    ("Invalid number", "数字的写法不对"),
    ("Cannot mutate immutable namespace", "内联表或已写完的列表不能再在别处添加键，请把这些键写在一处"),
    ("Cannot redefine namespace", "这个名字已经是一个值，不能再当作表使用"),
    ("Duplicate inline table key", "内联表中同一个键写了两次，请删去重复的一处"),
    ("Escaped character is not a Unicode scalar value", "字符串中的 \\u 转义不是有效的字符"),
    ("Expected ']]' at the end of an array declaration", "表数组名缺少结尾的“]]”"),
    ("Found invalid character", "出现了不允许的字符（字符串要用英文引号括起来）"),
    ("Expected", "缺少应有的符号（如引号、括号或“=”）"),
)


def toml_problem(exc: tomllib.TOMLDecodeError) -> str:
    """tomllib's complaint in Chinese, with the line and column it names."""
    text = str(exc)
    m = _TOML_AT.search(text)
    reason = text[:m.start()] if m else text
    where = ""
    if m and m.group(1):
        where = f"第{m.group(1)}行第{m.group(2)}列："
    elif m:
        where = "文件末尾："
    said = next((zh for en, zh in _TOML_REASONS if reason.startswith(en)), f"不是有效的 TOML（{reason}）")
    return f"{where}{said}"


def load_toml(path: Path, expected_format: str) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError as exc:
        raise DefinitionError(path, "(file)", "找不到这个文件，请确认它在表单包中") from exc
    except OSError as exc:
        raise DefinitionError(path, "(file)", f"无法读取（{exc.strerror or exc}），请确认文件存在且没有被其他程序占用") from exc
    except UnicodeDecodeError as exc:
        raise DefinitionError(path, "(syntax)", "不是 UTF-8 编码的文本，请用 UTF-8 编码另存") from exc
    except tomllib.TOMLDecodeError as exc:
        # tomllib reports duplicate keys here too ("Cannot overwrite a value").
        raise DefinitionError(path, "(syntax)", toml_problem(exc)) from exc
    if data.get("format") != expected_format:
        raise DefinitionError(path, "format", f"应为 \"{expected_format}\"（现在是 {_shown(data.get('format'))}），"
                                              "请确认这是该用途的文件")
    return data


def _shown(value: Any) -> str:
    return "未填写" if value is None else f"“{value}”"


def read_definition(path: Path, expected_format: str, what: str) -> "Reader":
    """The top table of a definition of version 1 (`what` names the kind in the complaint about another version)."""
    top = Reader(path, "", load_toml(path, expected_format))
    top.str("format")
    if top.int("version", required=True) != 1:
        raise top.error("version", f"本软件只能读取 version = 1 的{what}，请改为 1 或升级软件")
    return top


class Reader:
    """Typed access to one TOML table; every complaint names the file and the dotted key."""

    def __init__(self, path: Path, where: str, table: Any) -> None:
        if not isinstance(table, dict):
            raise DefinitionError(path, where, "应为表（[…] 小节或 { … }）")
        self.path, self.where, self.table = path, where, table
        self._used: set[str] = set()

    def _key(self, name: str) -> str:
        return f"{self.where}.{name}" if self.where else name

    def error(self, name: str, problem: str) -> DefinitionError:
        return DefinitionError(self.path, self._key(name), problem)

    def _get(self, name: str, types: type | tuple[type, ...], default: Any, required: bool) -> Any:
        self._used.add(name)
        if name not in self.table:
            if required:
                raise self.error(name, "缺少这一项，请补上")
            return default
        value = self.table[name]
        # bool is an int subclass; a flag written where a number belongs is still a mistake.
        if isinstance(value, bool) and bool not in (types if isinstance(types, tuple) else (types,)):
            raise self.error(name, f"应为{_type_names(types)}，而不是 true/false")
        if not isinstance(value, types):
            found = _FOUND_NAMES.get(type(value), type(value).__name__)
            raise self.error(name, f"应为{_type_names(types)}，而现在是{found}")
        return value

    def str(self, name: str, default: str | None = None, *, required: bool = False) -> str:
        value = self._get(name, str, default, required)
        if required and not value.strip():
            raise self.error(name, "不能为空，请填写")
        return value if value is not None else ""

    def choice(self, name: str, allowed, default: str | None = None, *, what: str = "取值") -> str:
        """A text that must be one of `allowed` (a kind, a layout, a 字号, an option source …)."""
        value = self.str(name, default, required=default is None)
        if value not in allowed:
            options = "、".join(f'"{a}"' for a in allowed if a)
            raise self.error(name, f"{what}“{value}”无效，应为以下之一：{options}")
        return value

    def int(self, name: str, default: int | None = None, *, required: bool = False) -> int | None:
        return self._get(name, int, default, required)

    def number(self, name: str, default: float | None = None) -> float | None:
        return self._get(name, (int, float), default, False)

    def bool(self, name: str, default: bool) -> bool:
        return self._get(name, bool, default, False)

    def list(self, name: str, *, required: bool = False) -> list[Any]:
        return self._get(name, list, [], required)

    def table_(self, name: str, *, required: bool = False) -> dict[str, Any]:
        return self._get(name, dict, {}, required)

    def raw(self, name: str) -> Any:
        self._used.add(name)
        return self.table.get(name)

    def unique(self, name: str, seen: set[str], duplicate: str) -> str:
        """A required text that no earlier table of the same list has (an id, a name); added to `seen`. `duplicate`
        is the complaint, with {} where the value goes."""
        value = self.str(name, required=True)
        if value in seen:
            raise self.error(name, duplicate.format(value))
        seen.add(value)
        return value

    def child(self, name: str, value: Any) -> "Reader":
        return Reader(self.path, self._key(name), value)

    def finish(self, *, also: frozenset[str] = frozenset()) -> None:
        """Reject keys nobody reads: a typo such as `lmit = 300` must not pass silently. `also`: keys that will be
        read later, so a typo is named before the complaints those keys would raise."""
        unknown = sorted(set(self.table) - self._used - also)
        if unknown:
            raise self.error(unknown[0], "不是可用的键（可能拼错了），请改正或删去")


_TYPE_NAMES = {str: "文字（用英文双引号括起来）", int: "整数", float: "数字", bool: "布尔值（true 或 false）", list: "列表 [ … ]",
               dict: "表 { … }"}
_FOUND_NAMES = {str: "文字", int: "整数", float: "数字", bool: "布尔值", list: "列表", dict: "表"} | {
    t: "日期或时间" for t in (dt.date, dt.datetime, dt.time)}


def _type_name(t: type) -> str:
    return _TYPE_NAMES.get(t, t.__name__)


def _type_names(types: type | tuple[type, ...]) -> str:
    if isinstance(types, tuple):
        return "或".join(_type_name(t) for t in types)
    return _type_name(types)


def parse_grades(spec: str, *, path: Path, key: str) -> tuple[int, ...]:
    """ "1-2,7-9" → (1, 2, 7, 8, 9); grades are 1..9."""
    grades: set[int] = set()
    for part in spec.replace("，", ",").split(","):
        part = part.strip()
        if not part:
            continue
        lo, _, hi = part.partition("-")
        try:
            a, b = int(lo), int(hi or lo)
        except ValueError:
            raise DefinitionError(path, key, f"年级范围“{part}”的写法不对，应写成“3-6”或“7”这样") from None
        if not 1 <= a <= b <= 9:
            raise DefinitionError(path, key, f"年级范围“{part}”应在 1-9 之内，且前一个数不大于后一个")
        grades.update(range(a, b + 1))
    if not grades:
        raise DefinitionError(path, key, "没有写任何年级，请写成“1-6”这样")
    return tuple(sorted(grades))
