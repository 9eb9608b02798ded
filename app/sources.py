"""Forget the module sources PySide6 had read: once PySide6 is loaded, its __feature__ scan reads the source of every
module an import statement names (it looks for "PySide6" in it), and linecache keeps those lines for good. For our
modules, the standard library's, python-docx, Jinja, lxml and PDFium that is megabytes of text no one reads, and
dropped late it leaves holes among the modules in Python's memory arenas. A traceback reads its lines again from
disk. (A frozen build has no sources to read.)"""

from __future__ import annotations

import importlib
import linecache
import sys
import threading
from contextlib import contextmanager
from typing import Iterator


def forget() -> None:
    """Drop the lines read so far. Only from the UI thread, where PySide6 reads them: dropped from another thread,
    they could vanish under a read of them."""
    linecache.clearcache()


class _ForgetBeforeEachImport:
    """A meta path entry that finds nothing: asked first for every module about to be loaded, it forgets the lines of
    those loaded before, so each module's lines are dropped before the next module's objects take the space."""

    def __init__(self, thread: threading.Thread) -> None:
        self.thread = thread

    def find_spec(self, name, path=None, target=None):  # noqa: ARG002 (the meta path protocol)
        if threading.current_thread() is self.thread:  # a worker importing meanwhile leaves the lines alone
            forget()
        return None


@contextmanager
def forgetting() -> Iterator[None]:
    """Imports inside forget the sources read as they go, and all of them at the end."""
    finder = _ForgetBeforeEachImport(threading.current_thread())
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)
        forget()


def import_forgetting(*names: str) -> None:
    """Import the modules named, forgetting their sources as they go."""
    with forgetting():
        for name in names:
            importlib.import_module(name)
