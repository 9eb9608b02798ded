"""What a case file looked like on disk when the app last read or wrote it, so a save can tell whether another
program or a second window changed it meanwhile (one case, one writer)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class DiskStamp:
    """Size and modification time, and the content itself: a case file is small, and comparing the bytes is
    exact where a hash would be as good but would load OpenSSL (4 MB) into every session just to open a case."""

    size: int
    mtime_ns: int
    content: bytes = field(repr=False)

    @classmethod
    def of(cls, path: Path) -> "DiskStamp | None":
        """The file's stamp; None when it does not exist (or cannot be read)."""
        try:
            st = os.stat(path)
            with open(path, "rb") as fh:
                content = fh.read()
        except OSError:
            return None
        return cls(st.st_size, st.st_mtime_ns, content)


def changed_since(path: Path, stamp: DiskStamp | None) -> bool:
    """True when the file at path is not the one stamped: rewritten, replaced or deleted. Size and time are asked
    first; the content decides when they differ (a copy tool may only touch the time)."""
    try:
        st = os.stat(path)
    except OSError:
        return stamp is not None
    if stamp is None:
        return True
    if st.st_size == stamp.size and st.st_mtime_ns == stamp.mtime_ns:
        return False
    now = DiskStamp.of(path)
    return now is None or now.content != stamp.content
