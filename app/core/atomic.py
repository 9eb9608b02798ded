"""Write files so that a crash, a full disk or a locked target never leaves a half-written file (TECH-NOTES §7)."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from pathlib import Path

# mkstemp's names: the prefix, eight characters from this alphabet, the suffix.
_TEMP_TAIL = re.compile(r"\.[a-z0-9_]{8}\.tmp")

_TRANSIENT_WINERRORS = (5, 32, 33)  # access denied, sharing violation, lock violation


class FileLockedError(PermissionError):
    """The target is held open by another program (Word, WPS, a previewer)."""


def atomic_write_bytes(target: Path, data: bytes, *, keep_backup: bool = False) -> None:
    """Write data to target through a temp file in the same folder; optionally keep the old file as .bak."""
    import tempfile  # here, not at import: the app's start-up does not write anything

    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(target)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        _chmod_like(tmp, target)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if keep_backup and target.exists():
            _backup(target)
        _replace_with_retry(tmp, target)
        _fsync_dir(target.parent)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def remove_stale_temps(target: Path) -> int:
    """Remove temp files an interrupted write of target (or of its .bak) left behind; only names this module makes
    (".<name>.XXXXXXXX.tmp"), only for this target. Returns how many were removed."""
    target = Path(target)
    prefixes = [f".{name}" for name in (target.name, backup_path(target).name)]

    def is_temp(entry: os.DirEntry) -> bool:
        return (any(entry.name.startswith(p) and _TEMP_TAIL.fullmatch(entry.name[len(p):]) for p in prefixes)
                and entry.is_file(follow_symlinks=False))

    return _remove_entries(target.parent, is_temp)


def remove_temps_in(folder: Path) -> int:
    """Every temp file of this module in a folder the app alone writes (the autosave folder)."""
    return _remove_entries(folder, lambda entry: entry.name.startswith(".") and bool(_TEMP_TAIL.search(entry.name))
                           and entry.name.endswith(".tmp"))


def _remove_entries(folder: Path, is_temp: Callable[[os.DirEntry], bool]) -> int:
    """Unlink the entries of folder that is_temp picks; one that cannot be removed is left. Returns how many went."""
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        if is_temp(entry):
            try:
                os.unlink(entry.path)
                removed += 1
            except OSError:
                pass
    return removed


def _chmod_like(tmp: str, target: Path) -> None:
    # mkstemp makes 0600 files; a saved case or document should keep the target's (or the usual) mode.
    if os.name == "nt":
        return
    try:
        mode = target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(tmp, mode)


def backup_path(target: Path) -> Path:
    return target.with_name(target.name + ".bak")


def _backup(target: Path) -> None:
    atomic_write_bytes(backup_path(target), target.read_bytes())


def _replace_with_retry(src: str, dst: Path, delays=(0.05, 0.1, 0.2, 0.4, 0.8)) -> None:
    # Antivirus and indexers hold new files for a moment on Windows; a document open in Word holds it for good.
    for delay in (*delays, None):
        try:
            os.replace(src, dst)
            return
        except PermissionError as exc:
            if os.name != "nt" or getattr(exc, "winerror", None) not in _TRANSIENT_WINERRORS:
                raise
            if delay is None:
                raise FileLockedError(exc.errno, f"{dst} is open in another program", str(dst)) from exc
            time.sleep(delay)


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":
        return
    dfd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)


def is_locked(target: Path) -> bool:
    """True when another program holds target open for writing (Word and WPS do on Windows)."""
    target = Path(target)
    if not target.exists():
        return False
    if os.name != "nt" or not os.access(target, os.W_OK):
        return False  # POSIX has no mandatory locks; a read-only file is read-only, not open in Word
    try:
        with open(target, "r+b"):
            return False
    except PermissionError:
        return True
    except OSError:
        return False
