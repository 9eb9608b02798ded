"""Hand back to the system the heap a preview refresh freed: glibc keeps freed memory mapped in each thread's malloc
arena until asked (malloc_trim), where it counts in the app's memory and a later refresh on another arena cannot
use it. A no-op where the C library has no malloc_trim (Windows, macOS, musl)."""

from __future__ import annotations

import ctypes
import sys

_trim = None
if sys.platform.startswith("linux"):
    try:
        _trim = ctypes.CDLL(None).malloc_trim
        _trim.argtypes, _trim.restype = [ctypes.c_size_t], ctypes.c_int
    except (OSError, AttributeError):
        _trim = None


def release_freed() -> bool:
    """Return freed heap pages of every arena to the system; True where the C library could be asked."""
    if _trim is None:
        return False
    _trim(0)
    return True
