"""What a case file looked like on disk when the app last read or wrote it, so a save can tell whether another
program or a second window changed it meanwhile (one case, one writer)."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DiskStamp:
    size: int
    mtime_ns: int
    sha256: str

    @classmethod
    def of(cls, path: Path) -> "DiskStamp | None":
        """The file's stamp; None when it does not exist (or cannot be read)."""
        try:
            st = os.stat(path)
            with open(path, "rb") as fh:
                digest = hashlib.sha256(fh.read()).hexdigest()
        except OSError:
            return None
        return cls(st.st_size, st.st_mtime_ns, digest)

    @classmethod
    def of_bytes(cls, path: Path, data: bytes) -> "DiskStamp | None":
        """The stamp of a file just written with `data` (no second read)."""
        try:
            st = os.stat(path)
        except OSError:
            return None
        return cls(st.st_size, st.st_mtime_ns, hashlib.sha256(data).hexdigest())


def changed_since(path: Path, stamp: DiskStamp | None) -> bool:
    """True when the file at path is not the one stamped: rewritten, replaced or deleted. Size and time are asked
    first; the hash decides when they differ (a copy tool may only touch the time)."""
    try:
        st = os.stat(path)
    except OSError:
        return stamp is not None
    if stamp is None:
        return True
    if st.st_size == stamp.size and st.st_mtime_ns == stamp.mtime_ns:
        return False
    now = DiskStamp.of(path)
    return now is None or now.sha256 != stamp.sha256
