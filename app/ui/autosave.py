"""Autosave and crash recovery: drafts in the user data folder, a lock file that tells a crash from a clean exit."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QTimer

from typing import TYPE_CHECKING

from app.core.atomic import atomic_write_bytes

if TYPE_CHECKING:  # the case machinery loads when a case is opened, not at start-up
    from app.ui.session import CaseSession

DEBOUNCE_MS = 1500  # after the last keystroke
PERIODIC_MS = 60_000  # safety net while typing without pause


@dataclass(frozen=True)
class Draft:
    """An autosave left behind by a session that did not end cleanly."""

    path: Path
    original: str  # the case file it belongs to ("" for a never-saved case)
    title: str
    modified: float


class Autosaver(QObject):
    """Writes the session's case to <data>/autosave/<id>.json: debounced after edits, periodically, and when asked
    (page change). The draft is removed after an explicit save and on a clean close."""

    def __init__(self, session: "CaseSession", folder: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.folder = Path(folder)
        self.draft = self.folder / f"{os.urandom(16).hex()}.json"  # a random name; uuid would load 150 KB of modules
        self._debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS, timeout=self.save_now)
        self._periodic = QTimer(self, interval=PERIODIC_MS, timeout=self._maybe_save)
        self._periodic.start()
        session.changed.connect(lambda _key: self._debounce.start())
        session.dirty_changed.connect(self._on_dirty)
        self.saves = 0

    def _maybe_save(self) -> None:
        if self.session.dirty:
            self.save_now()

    def save_now(self) -> None:
        from app.core.casefile import dumps

        self._debounce.stop()
        if not self.session.dirty:
            return
        meta = {"original": str(self.session.path or ""), "title": self.session.display_name}
        try:
            atomic_write_bytes(self.draft, dumps(self.session.case))
            atomic_write_bytes(self.draft.with_suffix(".meta"), json.dumps(meta, ensure_ascii=False).encode("utf-8"))
            self.saves += 1
        except OSError:
            pass  # a full or read-only data folder must never interrupt typing; explicit saves still report

    def _on_dirty(self, dirty: bool) -> None:
        if not dirty:  # saved explicitly: the draft is no longer needed
            self.discard()

    def discard(self) -> None:
        self._debounce.stop()
        for p in (self.draft, self.draft.with_suffix(".meta")):
            try:
                p.unlink()
            except OSError:
                pass

    def stop(self) -> None:
        self._debounce.stop()
        self._periodic.stop()


class InstanceLock:
    """Held for the whole run. Drafts found while the lock is free belong to a session that crashed."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self._lock = QLockFile(str(folder / "yanxiu.lock"))
        self._lock.setStaleLockTime(0)  # long-lived lock: only a dead owner makes it stale
        self.acquired = self._lock.tryLock(100)

    def release(self) -> None:
        if self.acquired:
            self._lock.unlock()
            self.acquired = False


def find_drafts(folder: Path) -> list[Draft]:
    drafts = []
    for path in sorted(Path(folder).glob("*.json")):
        try:
            meta = json.loads(path.with_suffix(".meta").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            meta = {}
        drafts.append(Draft(path, str(meta.get("original", "")), str(meta.get("title", path.stem)),
                            path.stat().st_mtime))
    return drafts


def restore_draft(draft: Draft) -> "CaseSession":
    """The draft's content as a dirty session pointing at its original file (if any); the draft file stays until
    the restored case is saved or closed."""
    from app.core.casefile import CaseFileError, loads
    from app.ui.session import CaseSession

    try:
        case = loads(draft.path.read_bytes(), name=draft.title)
    except OSError as exc:
        raise CaseFileError(f"无法读取自动保存的草稿：{exc}") from exc
    session = CaseSession(case, Path(draft.original) if draft.original else None)
    session._set_dirty(True)
    return session


def remove_draft(draft: Draft) -> None:
    for p in (draft.path, draft.path.with_suffix(".meta")):
        try:
            p.unlink()
        except OSError:
            pass
