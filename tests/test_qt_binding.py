"""The Qt binding must survive the app's signal traffic: every keystroke emits from Python."""

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    changed = Signal(str)


def test_emitting_a_signal_does_not_release_a_reference_it_does_not_own():
    # PySide6 6.12.0 returns True from SignalInstance.emit() without owning a reference: on Python 3.11 (where True
    # is not immortal) the interpreter aborts with "bool_dealloc" after a few hundred edits in the wizard.
    e = _Emitter()
    e.changed.connect(lambda _k: None)
    before = sys.getrefcount(True)
    for _ in range(200):
        e.changed.emit("theme")
    assert sys.getrefcount(True) - before > -50

