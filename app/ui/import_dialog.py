"""文件 → 导入Word文档…: read the documents off the UI thread, show what was found, create the case only on her word."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel, QMessageBox,
                               QPlainTextEdit, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from app.core.importer import DOC_NAMES, TYPE_NAMES, ImportResult, format_report

FILE_FILTER = "Word文档 (*.docx *.doc *.wps);;所有文件 (*)"


class ImportDialog(QDialog):
    """Every field found (its value's start and 字数) and everything that could not be placed, for copying."""

    def __init__(self, result: ImportResult, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result = result
        self.setWindowTitle("导入Word文档 — 请核对")
        self.resize(960, 640)
        layout = QVBoxLayout(self)
        docs = "、".join(f"{d.path.name}（{DOC_NAMES[d.kind]}）" for d in result.documents)
        head = [f"将创建一个新的{TYPE_NAMES[result.case_type]}，内容来自：{docs}。原文件不会被修改。"]
        head += result.version_check()
        self.summary = QLabel("\n".join(head))
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)

        layout.addWidget(QLabel(f"读出的栏目（{len(result.found)}项）："))
        self.table = QTableWidget(len(result.found), 4)
        self.table.setHorizontalHeaderLabels(["栏目", "内容开头", "字数", "来自"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        for i, f in enumerate(result.found):
            for j, text in enumerate((f.label, f.preview, str(f.words), f.source)):
                item = QTableWidgetItem(text)
                if j == 1:
                    item.setToolTip(f.text[:600])
                if j == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(i, j, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 3)

        missing = [f.label for f in result.form.fields if f.key not in {x.key for x in result.found}]
        if missing:
            miss = QLabel("未找到内容的栏目（创建后可在向导中填写）：" + "、".join(missing))
            miss.setWordWrap(True)
            layout.addWidget(miss)

        n = len(result.unplaced)
        layout.addWidget(QLabel(f"未能放入案例的内容（{n}处）：请在创建后手工复制到对应栏目。" if n
                                else "未能放入案例的内容：无。"))
        self.unplaced = QPlainTextEdit()
        self.unplaced.setReadOnly(True)
        self.unplaced.setPlainText("\n\n".join(f"【{u.source}｜{u.reason}】\n{u.text}" for u in result.unplaced))
        self.unplaced.setVisible(bool(n))
        layout.addWidget(self.unplaced, 1)

        buttons = QDialogButtonBox()
        self.create_button = buttons.addButton("创建案例", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.copy_button = QPushButton("复制导入报告")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_report)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.create_button.setDefault(True)

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(format_report(self.result))


class _ImportRun(QObject):
    """Receives the worker's signals on the GUI thread (a plain function would be called on the worker's)."""

    def __init__(self, window, show: Callable[[ImportResult], None]) -> None:
        super().__init__(window)
        self.window, self.show = window, show
        self.job = None  # kept alive until its thread is done

    @Slot(object)
    def finished(self, result) -> None:
        self._end()
        self.show(result)

    @Slot(str)
    def failed(self, message: str) -> None:
        self._end()
        QMessageBox.warning(self.window, "无法导入", f"{message}\n未创建案例，所选文件未被改动。")

    def _end(self) -> None:
        self.window.statusBar().clearMessage()
        self.job = None
        self.deleteLater()


def start_import(window, paths: list[Path], show: Callable[[ImportResult], None]) -> None:
    """Read the files on a worker thread (a .doc may take LibreOffice a few seconds); errors become a message."""
    from app.core.importer import import_documents
    from app.ui.worker import start_job

    connected = threading.Event()  # start_job starts the thread at once: report only once someone listens

    def work(progress):
        connected.wait(10)
        progress(0, 1, "正在读取Word文档…")
        return import_documents(paths)

    window.statusBar().showMessage("正在读取Word文档…")
    run = _ImportRun(window, show)
    thread, run.job = start_job(work, window)
    run.job.finished.connect(run.finished)
    run.job.failed.connect(run.failed)
    connected.set()


def confirm_and_open(window, result: ImportResult) -> bool:
    """The confirmation dialog; on 创建案例 the case opens as a new, unsaved tab."""
    from app.ui.session import CaseSession

    dialog = ImportDialog(result, window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    session = CaseSession(result.case)
    session._set_dirty(True)  # nothing is on disk yet: closing asks where to save it
    window.show_session(session)
    return True
