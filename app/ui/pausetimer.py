"""A single-shot timer for "when she pauses" that a keystroke restarts without a call into Qt."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer


class PauseTimer:
    """Fires `callback` once `interval_ms` have passed since the last start(), as a single-shot QTimer restarted
    at every start() would. A keystroke restarts three or four of these (autosave, the page states, the preview):
    restarting a QTimer is a call from Python into Qt each time, so start() only moves a deadline, and the Qt timer,
    started once, checks the deadline when it fires and waits out what is left. The clock is perf_counter: fine-grained
    on Windows too (monotonic there ticks in 15.6 ms steps), and not the undo steps' clock, which tests move by hand."""

    def __init__(self, parent: QObject, interval_ms: int, callback: Callable[[], None]) -> None:
        self._interval = interval_ms
        self._callback = callback
        self._started = 0.0  # the last start(); it fires at _started + interval
        self._armed = False
        self._timer = QTimer(parent)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._fire)

    def start(self, *_: object) -> None:
        """Count the pause from now. Takes and ignores arguments, so that it can be a session listener itself."""
        self._started = time.perf_counter()
        if not self._armed:
            self._armed = True
            self._timer.start(self._interval)

    def stop(self) -> None:
        self._armed = False
        self._timer.stop()

    def isActive(self) -> bool:  # noqa: N802 (QTimer's name, which callers and tests already use)
        return self._armed

    def interval(self) -> int:
        return self._interval

    def setInterval(self, ms: int) -> None:  # noqa: N802 (as QTimer)
        """As for a QTimer: a pending pause is counted from its last start() with the new interval."""
        self._interval = ms
        if self._armed:
            self._timer.start(self._left_ms())

    def _left_ms(self) -> int:
        return max(0, math.ceil((self._started + self._interval / 1000 - time.perf_counter()) * 1000))

    def _fire(self) -> None:
        left = self._left_ms()
        if left > 0:  # started again since: wait for the rest (a coarse Qt timer may also fire a little early)
            self._timer.start(left)
            return
        self._armed = False
        self._callback()
