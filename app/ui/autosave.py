"""Autosave and crash recovery: drafts in the user data folder, a lock file that tells a crash from a clean exit."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QTimer, Signal

from typing import TYPE_CHECKING

from app.core.atomic import atomic_write_bytes
from app.ui.pausetimer import PauseTimer

if TYPE_CHECKING:  # the case machinery loads when a case is opened, not at start-up
    from app.ui.session import CaseSession

DRAFT_KEY = "yanxiu_draft"  # inside the draft itself: the case's path and title travel in the same atomic file
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
        self._debounce = PauseTimer(self, DEBOUNCE_MS, self.save_now)
        self._periodic = QTimer(self, interval=PERIODIC_MS, timeout=self._maybe_save)
        self._periodic.start()
        session.watch(None, self._debounce.start, self)
        session.dirty_changed.connect(self._on_dirty)
        self.saves = 0
        self.failing = False

    def _maybe_save(self) -> None:
        if self.session.dirty:
            self.save_now()

    failed = Signal(str)  # a Chinese line: where autosave could not write and what to do (once per failure run)
    recovered = Signal()

    def save_now(self) -> None:
        self._debounce.stop()
        if not self.session.dirty:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(self.draft, draft_bytes(self.session))
            self.saves += 1
        except OSError as exc:
            # A full or read-only data folder must never interrupt typing: say so once, keep trying.
            if not self.failing:
                from app.core.oserrors import explain

                self.failing = True
                self.failed.emit(f"自动保存无法写入“{self.folder}”（{explain(exc)}）。请用“保存”把案例存到别的文件夹；"
                                 "恢复写入后自动保存会继续。")
            return
        if self.failing:
            self.failing = False
            self.recovered.emit()

    def _on_dirty(self, dirty: bool) -> None:
        if not dirty:  # saved explicitly: the draft is no longer needed
            self.discard()

    def discard(self) -> None:
        self._debounce.stop()
        try:
            self.draft.unlink()
        except OSError:
            pass

    def stop(self) -> None:
        self._debounce.stop()
        self._periodic.stop()


def draft_bytes(session: "CaseSession") -> bytes:
    """The case as a draft: the case file's own layout plus the draft's metadata, written as one file."""
    from app.core.casefile import case_to_json

    doc = case_to_json(session.case)
    doc[DRAFT_KEY] = {"original": str(session.path or ""), "title": session.display_name}
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"


class InstanceLock:
    """Held for the whole run. Drafts found while the lock is free belong to a session that crashed. A data folder
    that cannot be written leaves the lock unacquired (`error` says why) instead of stopping the app."""

    def __init__(self, folder: Path) -> None:
        self.acquired = False
        self.error = ""
        self._lock = None
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            from app.core.oserrors import explain

            self.error = explain(exc)
            return
        self._lock = QLockFile(str(folder / "yanxiu.lock"))
        self._lock.setStaleLockTime(0)  # long-lived lock: only a dead owner makes it stale
        self.acquired = self._lock.tryLock(100)
        if not self.acquired and self._lock.error() != QLockFile.LockError.LockFailedError:
            self.error = "没有写入权限，或磁盘已满"  # the lock file cannot be created at all

    @property
    def held_elsewhere(self) -> bool:
        """Another running instance holds it (as opposed to: it cannot be written)."""
        return not self.acquired and not self.error

    def release(self) -> None:
        if self.acquired and self._lock is not None:
            self._lock.unlock()
            self.acquired = False


def find_drafts(folder: Path) -> list[Draft]:
    """Drafts in the autosave folder; temp files of interrupted autosaves are removed first (call this only while
    holding the instance lock: then no other instance is writing there)."""
    from app.core.atomic import remove_temps_in

    folder = Path(folder)
    remove_temps_in(folder)
    # One listing with os.scandir rather than two Path.glob calls, which compile a pattern each at every start.
    try:
        with os.scandir(folder) as entries:
            names = sorted(e.name for e in entries)
    except OSError:  # no autosave folder yet
        names = []
    drafts = []
    for path in [folder / n for n in names if n.endswith(".json")]:
        meta: dict = {}
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(doc, dict) and isinstance(doc.get(DRAFT_KEY), dict):
                meta = doc[DRAFT_KEY]
            else:  # a draft of an older release: its metadata was a separate .meta file
                meta = json.loads(path.with_suffix(".meta").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
        try:
            modified = path.stat().st_mtime
        except OSError:
            continue
        if not isinstance(meta, dict):
            meta = {}
        drafts.append(Draft(path, str(meta.get("original", "")), str(meta.get("title", path.stem)), modified))
    for orphan in [folder / n for n in names if n.endswith(".meta")]:  # metadata whose draft is gone
        if not orphan.with_suffix(".json").exists():
            try:
                orphan.unlink()
            except OSError:
                pass
    return drafts


def restore_draft(draft: Draft) -> "CaseSession":
    """The draft's content as a dirty session pointing at its original file (if any); the draft file stays until
    the restored case is saved or closed."""
    from app.core.casefile import CaseFileError, loads
    from app.ui.session import CaseSession

    try:
        case = loads(draft.path.read_bytes(), name=draft.title)
    except OSError as exc:
        from app.core.oserrors import explain

        raise CaseFileError(f"无法读取自动保存的草稿“{draft.title}”：{explain(exc)}。") from exc
    case.extra.pop(DRAFT_KEY, None)  # metadata of the draft, not part of the case
    session = CaseSession(case, Path(draft.original) if draft.original else None)
    session._set_dirty(True)
    return session


def remove_draft(draft: Draft) -> None:
    for p in (draft.path, draft.path.with_suffix(".meta")):
        try:
            p.unlink()
        except OSError:
            pass
