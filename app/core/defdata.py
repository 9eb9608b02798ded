"""Strict readers for the bundled TOML data, so a malformed definition fails at load naming file and key."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any


class DefinitionError(ValueError):
    """A bundled definition (form, curriculum, catalogue) is malformed."""

    def __init__(self, path: Path | str, key: str, problem: str) -> None:
        self.path = str(path)
        self.key = key
        self.problem = problem
        super().__init__(f"{Path(path).name}: {key}: {problem}")


def load_toml(path: Path, expected_format: str) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise DefinitionError(path, "(file)", f"cannot be read: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        # tomllib reports duplicate keys here too ("Cannot overwrite a value").
        raise DefinitionError(path, "(syntax)", str(exc)) from exc
    if data.get("format") != expected_format:
        raise DefinitionError(path, "format", f"expected {expected_format!r}, found {data.get('format')!r}")
    return data


def read_definition(path: Path, expected_format: str, what: str) -> "Reader":
    """The top table of a definition of version 1 (`what` names the kind in the complaint about another version)."""
    top = Reader(path, "", load_toml(path, expected_format))
    top.str("format")
    if top.int("version", required=True) != 1:
        raise top.error("version", f"this app reads {what} of version 1")
    return top


class Reader:
    """Typed access to one TOML table; every complaint names the file and the dotted key."""

    def __init__(self, path: Path, where: str, table: Any) -> None:
        if not isinstance(table, dict):
            raise DefinitionError(path, where, "must be a table")
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
                raise self.error(name, "is missing")
            return default
        value = self.table[name]
        # bool is an int subclass; a flag written where a number belongs is still a mistake.
        if isinstance(value, bool) and bool not in (types if isinstance(types, tuple) else (types,)):
            raise self.error(name, f"must be {_type_names(types)}, not a boolean")
        if not isinstance(value, types):
            raise self.error(name, f"must be {_type_names(types)}, not {type(value).__name__}")
        return value

    def str(self, name: str, default: str | None = None, *, required: bool = False) -> str:
        value = self._get(name, str, default, required)
        if required and not value.strip():
            raise self.error(name, "must not be empty")
        return value if value is not None else ""

    def choice(self, name: str, allowed, default: str | None = None, *, what: str = "value") -> str:
        """A text that must be one of `allowed` (a kind, a layout, a 字号, an option source …)."""
        value = self.str(name, default, required=default is None)
        if value not in allowed:
            raise self.error(name, f"unknown {what} {value!r}; use one of {', '.join(map(str, allowed))}")
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

    def unique(self, name: str, seen: set[str], what: str) -> str:
        """A required text that no earlier table of the same list has (an id, a name); added to `seen`."""
        value = self.str(name, required=True)
        if value in seen:
            raise self.error(name, f"duplicate {what} {value!r}")
        seen.add(value)
        return value

    def child(self, name: str, value: Any) -> "Reader":
        return Reader(self.path, self._key(name), value)

    def finish(self, *, also: frozenset[str] = frozenset()) -> None:
        """Reject keys nobody reads: a typo such as `lmit = 300` must not pass silently. `also`: keys that will be
        read later, so a typo is named before the complaints those keys would raise."""
        unknown = sorted(set(self.table) - self._used - also)
        if unknown:
            raise self.error(unknown[0], "is not a known key")


def _type_names(types: type | tuple[type, ...]) -> str:
    names = {str: "text", int: "an integer", float: "a number", bool: "true or false", list: "a list", dict: "a table"}
    if isinstance(types, tuple):
        return " or ".join(names.get(t, t.__name__) for t in types)
    return names.get(types, types.__name__)


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
            raise DefinitionError(path, key, f"grade range {part!r} is not like '3-6'") from None
        if not 1 <= a <= b <= 9:
            raise DefinitionError(path, key, f"grade range {part!r} must lie within 1-9")
        grades.update(range(a, b + 1))
    if not grades:
        raise DefinitionError(path, key, "names no grade")
    return tuple(sorted(grades))
