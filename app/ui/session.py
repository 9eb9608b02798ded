"""The open case as the UI sees it: the model every editor writes to, its file, and whether it has unsaved edits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.core.casefile import CaseFileError, load_case, save_case
from app.core.diskstamp import DiskStamp, changed_since
from app.core.model import Case


class ChangedOnDisk(CaseFileError):
    """The file was changed by another program or window since this session read or wrote it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"“{path.name}”在打开之后被其他程序或另一个窗口修改过（或已被删除）。为避免互相覆盖，本次没有保存。")


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
        self.stamp: DiskStamp | None = DiskStamp.of(self.path) if self.path else None  # as read or last saved
        self.downscale_photos = True  # an export option (支撑材料 page), not part of the case file

    @classmethod
    def open(cls, path: Path) -> "CaseSession":
        from app.core.atomic import remove_stale_temps

        path = Path(path)
        stamp = DiskStamp.of(path)
        session = cls(load_case(path), path)
        session.stamp = stamp  # what was read, even if the file changes right after
        remove_stale_temps(path)  # leftovers of a save that was cut off (a crash, a power cut)
        return session

    def changed_on_disk(self, path: Path | None = None) -> bool:
        """True when saving to path would overwrite something this session has not seen."""
        target = Path(path) if path else self.path
        if target is None:
            return False
        if target == self.path:
            return self.stamp is not None and changed_since(target, self.stamp)
        return False  # another path: the save-as dialog already asked about replacing it

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

    def save(self, path: Path | None = None, *, overwrite: bool = False) -> Path:
        """Save atomically; refuses (ChangedOnDisk) when the file changed on disk since it was read or saved here,
        unless overwrite."""
        target = Path(path) if path else self.path
        if target is None:
            raise ValueError("no path")
        if not overwrite and self.changed_on_disk(target):
            raise ChangedOnDisk(target)
        save_case(self.case, target)
        self.stamp = DiskStamp.of(target)
        if target != self.path:
            self.path = target
            self.path_changed.emit(target)
        self._set_dirty(False)
        return target

    @property
    def display_name(self) -> str:
        theme = self.case.get("theme")
        if theme:
            return theme[:30]
        return self.path.stem if self.path else "未命名案例"
