"""Edits of a case as QUndoCommands: every change of a field (with what the cascade fills in alongside it) or of
the supporting materials is one command on the case's QUndoStack, so undo, redo and the unsaved mark follow
one path. Generic over field kinds: a command holds values before and after, whatever their shape."""

from __future__ import annotations

import copy
import time
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

if TYPE_CHECKING:
    from app.ui.session import CaseSession

MERGE_GAP_S = 1.0  # typing with pauses shorter than this is one step
# A step of typing ends with a line break or a sentence mark: undo takes back a sentence, not a whole page.
STEP_ENDS = tuple("\n。！？；!?;")
# Kinds whose edits arrive keystroke by keystroke (a spin box's digits included); the others are clicks.
TYPED_KINDS = frozenset({"line", "text", "tags", "choice", "number", "date", "group"})
_MERGE_ID = 0x7978  # any fixed id: merging is decided per field in mergeWith


def _step_marks(value: Any) -> tuple[int, ...] | None:
    """How many of each step-ending mark a text holds (str.count: a keystroke must stay cheap in an 800-字 field;
    each step keeps the counts of its latest text, so a keystroke counts only the new one)."""
    return tuple(map(value.count, STEP_ENDS)) if isinstance(value, str) else None


def _ends_step(old: Any, new: Any, old_marks: tuple[int, ...] | None, new_marks: tuple[int, ...] | None) -> bool:
    """Whether a text edit added a line break or sentence mark."""
    if old_marks is None or new_marks is None or len(new) <= len(old):
        return False
    return any(n > o for n, o in zip(new_marks, old_marks))


_STEP_END_SET = frozenset(STEP_ENDS)


def _typed_step_end(old: str, new: str, inserted: str) -> bool:
    """Whether a keystroke whose inserted text is known typed a line break or sentence mark: decided by what it typed,
    whatever the field's length."""
    return len(new) > len(old) and not _STEP_END_SET.isdisjoint(inserted)


def copy_value(value: Any) -> Any:
    """A copy of a value that shares nothing with it (immutable values are their own copy)."""
    return value if isinstance(value, (str, int, float, type(None))) else copy.deepcopy(value)


class FieldEdit(QUndoCommand):
    """New values for one field and the fields it fills in; typing into one field merges into sentence-sized
    steps."""

    def __init__(self, session: "CaseSession", changes: dict[str, tuple[Any, Any]], text: str, *,
                 typed: bool = False, part: Any = None, inserted: str | None = None) -> None:
        """`inserted`: what the keystroke typed, where the session knows it (CaseSession.set)."""
        super().__init__(text)
        self.session = session
        self.changes = {k: (copy_value(b), copy_value(a)) for k, (b, a) in changes.items()}
        self.key = next(iter(changes))
        self.typed = typed
        self.part = part  # where in the field the typing goes (a table's cell): typing elsewhere is a new step
        self.at = time.monotonic()
        self.done = False  # the first redo() is QUndoStack.push making the edit: she is looking at it already
        before, after = self.changes[self.key]
        if typed and inserted is not None:
            self.marks = None  # counted only if a keystroke comes whose inserted text is not known
            self.closed = _typed_step_end(before, after, inserted)
        else:
            self.marks = _step_marks(after) if typed else None
            self.closed = not typed or _ends_step(before, after, _step_marks(before), self.marks)

    def can_extend(self, key: str, after: Any, at: float, part: Any = None) -> bool:
        """Whether a further keystroke in the same field belongs to this step (and leaves something to undo)."""
        return (self.typed and not self.closed and key == self.key and part == self.part and len(self.changes) == 1
                and at - self.at <= MERGE_GAP_S and after != self.changes[key][0])

    def extend(self, after: Any, at: float, inserted: str | None = None) -> None:
        before, previous = self.changes[self.key]
        self.changes[self.key] = (before, copy_value(after))
        self.at = at
        if inserted is not None:
            self.closed = _typed_step_end(previous, after, inserted)
            self.marks = None
            return
        marks = _step_marks(after)
        self.closed = _ends_step(previous, after, self.marks if self.marks is not None else _step_marks(previous), marks)
        self.marks = marks

    def id(self) -> int:  # noqa: A003 (Qt override)
        return _MERGE_ID if self.typed else -1

    def redo(self) -> None:
        self.session._apply({k: a for k, (_b, a) in self.changes.items()})
        self.session._stepped(self.key if self.done else None)
        self.done = True

    def undo(self) -> None:
        self.session._apply({k: b for k, (b, _a) in self.changes.items()})
        self.session._stepped(self.key)

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt override)
        if (self.closed or not isinstance(other, FieldEdit) or not other.typed or other.key != self.key
                or other.part != self.part
                or set(other.changes) != {self.key} or other.at - self.at > MERGE_GAP_S or len(self.changes) != 1):
            return False
        before = self.changes[self.key][0]
        after = other.changes[self.key][1]
        self.changes[self.key] = (before, after)
        self.at = other.at
        self.closed = other.closed
        self.marks = other.marks
        if before == after:
            self.setObsolete(True)  # typed and deleted again: nothing left to undo
        return True


class MaterialsEdit(QUndoCommand):
    """The supporting materials list before and after adding, removing or retitling files."""

    def __init__(self, session: "CaseSession", before: list, after: list, text: str) -> None:
        super().__init__(text)
        self.session = session
        self.before = [copy.copy(m) for m in before]
        self.after = [copy.copy(m) for m in after]
        self.done = False  # as FieldEdit.done

    def redo(self) -> None:
        self.session._apply_materials(self.after)
        self.session._stepped("" if self.done else None)
        self.done = True

    def undo(self) -> None:
        self.session._apply_materials(self.before)
        self.session._stepped("")
