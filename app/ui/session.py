"""The open case as the UI sees it: the model every editor writes to, its file, and whether it has unsaved edits."""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from app.core.casefile import CaseFileError, load_case, save_case
from app.core.derive import derived_changes
from app.core.diskstamp import DiskStamp, changed_since
from app.core.model import Case, Material, normalize_value
from app.core.textclean import edited_span, is_clean
from app.ui.undo import TYPED_KINDS, FieldEdit, MaterialsEdit, copy_value


class ChangedOnDisk(CaseFileError):
    """The file was changed by another program or window since this session read or wrote it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"“{path.name}”在打开之后被其他程序或另一个窗口修改过（或已被删除）。为避免互相覆盖，本次没有保存。")


Listener = Callable[[str], None]


class CaseSession(QObject):
    """Editors write here and listen here (`watch`); they never talk to each other (the Picard rule). Every edit
    is a command on `undo_stack`; the unsaved mark is the stack's clean state (or a case that was never saved)."""

    dirty_changed = Signal(bool)
    path_changed = Signal(object)

    def __init__(self, case: Case, path: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.case = case
        self.path = Path(path) if path else None
        self._dirty = False
        self._forced_dirty = False  # a duplicate or a restored draft: unsaved whatever the undo stack says
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)  # a method: no call while the session dies
        self.undo_stack.indexChanged.connect(self._index_changed)
        self.stamp: DiskStamp | None = DiskStamp.of(self.path) if self.path else None  # as read or last saved
        self.downscale_photos = True  # an export option (支撑材料 page), not part of the case file
        self._listeners: dict[str | None, list[tuple[Listener, QObject]]] = {}
        self._step_listeners: list[tuple[Listener, QObject]] = []
        self._stepped_key: str | None = None  # what the undo or redo under way changed, told once it is over
        # The typing step a keystroke may extend: the stack's top command, with nothing to redo, not the saved
        # state. Kept here because asking the stack (index, count, clean index, command) is four calls into Qt per
        # keystroke; every change of those comes with indexChanged or cleanChanged, which let go of it.
        self._open_step: FieldEdit | None = None

    def watch(self, keys: Iterable[str] | None, listener: Listener, owner: QObject) -> None:
        """Call listener(key) after each change of one of keys (None: of any key; "" is the materials, or the
        whole case), until owner is destroyed. Plain Python calls rather than a Qt signal: each slot of a signal
        is a call from C++ into Python, ~8 µs, and a keystroke reached about ten of them (docs/performance.md)."""
        entry = (listener, owner)
        for key in (None,) if keys is None else keys:
            self._listeners.setdefault(key, []).append(entry)
        owner.destroyed.connect(lambda *_: self._unwatch(owner))

    def watch_steps(self, listener: Listener, owner: QObject) -> None:
        """Call listener(key) after an undo or a redo changed key ("" is the materials), until owner is destroyed,
        so that the wizard can bring the change into view as any editor does: undo is case-wide, and what it
        changes may be on a page she is not looking at. Not told when an edit is first made (she is there)."""
        self._step_listeners.append((listener, owner))
        owner.destroyed.connect(lambda *_: self._unwatch(owner))

    def _unwatch(self, owner: QObject) -> None:
        for key, entries in self._listeners.items():
            self._listeners[key] = [e for e in entries if e[1] is not owner]
        self._step_listeners = [e for e in self._step_listeners if e[1] is not owner]

    def _stepped(self, key: str | None) -> None:
        """A command's undo() or redo() changed key (None: it is being pushed, the edit as it is made). Kept until
        the stack has finished (indexChanged): moving to another page or focus inside a command would let
        a closing cell editor write to the case in the middle of an undo."""
        self._stepped_key = key

    def _index_changed(self, _index: int) -> None:
        self._open_step = None
        key, self._stepped_key = self._stepped_key, None
        if key is not None:
            for listener, _owner in self._step_listeners:
                listener(key)

    def _notify(self, key: str) -> None:
        for listener, _owner in (*self._listeners.get(key, ()), *self._listeners.get(None, ())):
            listener(key)

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
        """Mark the case unsaved (a copy, a draft) or saved; saved also makes the undo stack's position clean."""
        self._forced_dirty = value
        if not value:
            self.undo_stack.setClean()
        self._update_dirty()

    def _clean_changed(self, _clean: bool) -> None:
        self._open_step = None
        self._update_dirty()

    def _update_dirty(self) -> None:
        value = self._forced_dirty or not self.undo_stack.isClean()
        if value != self._dirty:
            self._dirty = value
            self.dirty_changed.emit(value)

    def get(self, key: str) -> Any:
        return self.case.get(key)

    def set(self, key: str, value: Any, text: str = "", own_step: bool = False, typed_in: Any = None,
            edit: tuple | None = None) -> Any:
        """Clean a value and store it as one undoable edit, together with what the cascade fills in; tells
        its listeners (per field) only when a stored value differs. Returns what was stored. `own_step`: an action
        that is not typing (a one-click fix) is its own undo step, never merged into the typing before it.
        `typed_in`: a keystroke into one part of a field that is not typed as a whole (a table's cell, by its
        row and column): merged like typing, but only with keystrokes into the same part. `edit`: how a text box
        says the new text differs from the old (position, characters removed, characters added; an editor that has
        checked it with edited_span adds the text it checked against and the result); where that holds
        against the stored text, only the characters typed are cleaned and looked at for a sentence's end, so a
        keystroke costs the same in a 3 000-字 field as in an empty one."""
        f = self.case.form.field(key)
        before = self.case.get(key)
        inserted = None
        if edit is not None and f.kind == "text" and isinstance(value, str) and isinstance(before, str):
            if len(edit) == 5 and edit[3] is before:  # the editor checked it against this very text
                inserted = edit[4]
            else:
                inserted = edited_span(before, value, *edit[:3])
        if inserted is not None and is_clean(inserted):
            stored = value  # the rest of it is the stored text, clean already (every stored value is)
        else:
            inserted = None
            stored = normalize_value(f, value)
        if stored == before:
            return stored
        changes = {key: (before, stored)}
        for k, v in derived_changes(self.case, key, stored).items():
            v = normalize_value(self.case.form.field(k), v)
            if v != self.case.get(k):
                changes[k] = (self.case.get(k), v)
        typed = not own_step and (f.kind in TYPED_KINDS or typed_in is not None) and len(changes) == 1
        if not (typed and self._extend_typing(key, stored, typed_in, inserted)):
            stack = self.undo_stack
            stack.push(FieldEdit(self, changes, text or f"修改“{f.label}”", typed=typed, part=typed_in,
                                 inserted=inserted))
            i = stack.index()  # the new command, or the top it merged into (QUndoStack's own merge)
            top = stack.command(i - 1) if typed and i and i == stack.count() and i != stack.cleanIndex() else None
            self._open_step = top if isinstance(top, FieldEdit) else None
        return stored

    def _extend_typing(self, key: str, value: Any, part: Any = None, inserted: str | None = None) -> bool:
        """A keystroke that continues the step on top of the stack extends it in place, as QUndoStack's own
        merge would (never into the saved state, never with redo steps pending), without a command per key."""
        top = self._open_step  # what the stack's top would be, if it can take a keystroke (see __init__)
        now = time.monotonic()
        if top is None or not top.can_extend(key, value, now, part):
            return False
        top.extend(value, now, inserted)
        self._apply({key: value})
        return True

    def _apply(self, values: dict[str, Any]) -> None:
        """Store values as they are (the commands' redo and undo); listeners reload what they show."""
        for k, v in values.items():
            self.case.values[k] = copy_value(v)
        for k in values:
            self._notify(k)

    def set_materials(self, materials: list[Material], text: str) -> None:
        """A new list of supporting materials, as one undoable edit."""
        if [m.to_json() for m in materials] != [m.to_json() for m in self.case.materials]:
            self.undo_stack.push(MaterialsEdit(self, self.case.materials, materials, text))

    def _apply_materials(self, materials: list[Material]) -> None:
        self.case.materials = [copy.copy(m) for m in materials]
        self._notify("")

    def materials_changed(self) -> None:
        """Materials changed outside a command (kept for callers that edit the list directly)."""
        self._set_dirty(True)
        self._notify("")

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
        theme = self.case.name_text
        if theme:
            return theme[:30]
        return self.path.stem if self.path else "未命名案例"
