"""The open case as the UI sees it: the model every editor writes to, its file, and whether it has unsaved edits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.core.casefile import load_case, save_case
from app.core.model import Case


class CaseSession(QObject):
    """Editors write here and listen here; they never talk to each other (the Picard rule)."""

    changed = Signal(str)  # field key ("" for materials or the whole case)
    dirty_changed = Signal(bool)
    path_changed = Signal(object)

    def __init__(self, case: Case, path: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.case = case
        self.path = Path(path) if path else None
        self._dirty = False
        self.downscale_photos = True  # an export option (支撑材料 page), not part of the case file

    @classmethod
    def open(cls, path: Path) -> "CaseSession":
        return cls(load_case(path), path)

    @property
    def dirty(self) -> bool:
        return self._dirty

    def _set_dirty(self, value: bool) -> None:
        if value != self._dirty:
            self._dirty = value
            self.dirty_changed.emit(value)

    def get(self, key: str) -> Any:
        return self.case.get(key)

    def set(self, key: str, value: Any) -> Any:
        """Store a value through the model's cleaning; emits changed only when the stored value differs."""
        before = self.case.get(key)
        stored = self.case.set(key, value)
        if stored != before:
            self._set_dirty(True)
            self.changed.emit(key)
        return stored

    def materials_changed(self) -> None:
        self._set_dirty(True)
        self.changed.emit("")

    @property
    def base_dir(self) -> Path | None:
        return self.path.parent if self.path else None

    def save(self, path: Path | None = None) -> Path:
        target = Path(path) if path else self.path
        if target is None:
            raise ValueError("no path")
        save_case(self.case, target)
        if target != self.path:
            self.path = target
            self.path_changed.emit(target)
        self._set_dirty(False)
        return target

    @property
    def display_name(self) -> str:
        theme = self.case.name_text
        if theme:
            return theme[:30]
        return self.path.stem if self.path else "未命名案例"
