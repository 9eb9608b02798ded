"""Forget the module sources PySide6 had read: once PySide6 is loaded, its __feature__ scan reads the source of every
module an import statement names (it looks for "PySide6" in it), and linecache keeps those lines for good. For our
modules, the standard library's, python-docx, Jinja, lxml and PDFium that is megabytes of text no one reads, and
dropped late it leaves holes in Python's memory arenas that a later phase cannot always fill. A traceback reads its
lines again from disk. (A frozen build has no sources to read.)"""

from __future__ import annotations

import importlib
import linecache


def forget() -> None:
    """Drop the lines read so far: called when a phase's imports are done (the window is up, a case is open)."""
    linecache.clearcache()


def import_forgetting(*names: str) -> None:
    """Import each package in turn and forget its sources before the next: their lines are dropped and reused one
    package at a time, instead of all of them piling up first and leaving their holes among the modules."""
    for name in names:
        importlib.import_module(name)
        forget()
