"""The "when she pauses" timers (autosave, page states, the preview): they fire once she has paused for their
interval, never while she keeps typing, and only once however many keystrokes came before."""

from __future__ import annotations

import time

from PySide6.QtCore import QObject

from app.ui.pausetimer import PauseTimer


def test_a_pause_is_counted_from_the_last_keystroke_and_fires_once(qtbot):
    """Kills a start() that leaves the deadline where the first keystroke put it (it would fire 120 ms after the
    first of 6 keystrokes 60 ms apart, while she is still typing) and a timer that fires per keystroke."""
    owner = QObject()
    fired: list[float] = []
    timer = PauseTimer(owner, 120, lambda: fired.append(time.perf_counter()))
    last = 0.0
    for _ in range(6):  # typing for ~300 ms, each keystroke well inside the interval of the one before
        timer.start("field")  # a session listener's argument is taken and ignored
        last = time.perf_counter()
        assert timer.isActive()
        qtbot.wait(60)
    qtbot.waitUntil(lambda: bool(fired), timeout=5000)
    assert fired[0] - last >= 0.120 - 0.002  # not before she had paused for the whole interval
    qtbot.wait(300)
    assert len(fired) == 1 and not timer.isActive()


def test_stop_cancels_and_a_shorter_interval_applies_to_the_pause_under_way(qtbot):
    owner = QObject()
    fired: list[str] = []
    timer = PauseTimer(owner, 200, lambda: fired.append("x"))
    timer.start()
    timer.stop()
    qtbot.wait(400)
    assert fired == [] and not timer.isActive()
    timer.setInterval(60_000)
    timer.start()
    timer.setInterval(50)  # e.g. the preview's delay set to its shortest: the pending refresh comes soon
    qtbot.waitUntil(lambda: fired == ["x"], timeout=3000)
    assert timer.interval() == 50
