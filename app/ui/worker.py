"""Long work off the UI thread: exports run in a QThread and report progress by signal."""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QObject, Qt, QThread, Signal


class Job(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)  # the result
    failed = Signal(str)  # a Chinese message
    error = Signal(object)  # the exception itself, for callers that answer some failures with a question

    def __init__(self, fn: Callable[[Callable[[int, int, str], None]], Any]) -> None:
        super().__init__()
        self.fn = fn

    def run(self) -> None:
        try:
            result = self.fn(lambda done, total, text: self.progress.emit(done, total, text))
        except Exception as exc:  # noqa: BLE001 - every failure must reach the teacher as a message, not a crash
            self.error.emit(exc)
            if isinstance(exc, OSError):
                from app.core.oserrors import explain

                self.failed.emit(f"{explain(exc)}。")
            else:
                self.failed.emit(str(exc) or exc.__class__.__name__)
        else:
            self.finished.emit(result)


def start_job(fn, parent: QObject) -> tuple[QThread, Job]:
    """Run fn(progress) on a new thread. The thread (a child of parent) deletes itself when done; the job has no
    parent — it cannot, living on another thread — so Python owns it: the caller keeps a reference until the
    thread has finished and then drops it. (Giving it a deleteLater as well would delete it twice.)"""
    thread = QThread(parent)
    job = Job(fn)
    job.moveToThread(thread)
    thread.started.connect(job.run)
    # The thread quits from the worker itself, as soon as the job has reported, not through the UI thread's event
    # queue: a window closed right after a result arrived, or a tab waiting for its job, finds it ended.
    job.finished.connect(thread.quit, Qt.ConnectionType.DirectConnection)
    job.failed.connect(thread.quit, Qt.ConnectionType.DirectConnection)
    thread.finished.connect(thread.deleteLater)
    thread.start()
    return thread, job
