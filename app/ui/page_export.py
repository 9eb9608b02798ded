"""The 导出 page: Word, Word and PDF, or the submission folder, produced on a worker thread with a progress bar."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QProgressBar,
                               QPushButton, QSizePolicy, QWidget)

from app.core.forms import FormDef
from app.render.pdf.select import NO_CONVERTER_MESSAGE, ConverterHolder
from app.ui.pages import ScrollPage
from app.ui.session import CaseSession
from app.ui.worker import start_job

KIND_NAMES = {".docx": "Word", ".pdf": "PDF"}


def result_label(target: Path) -> str:
    """A result button's short text: 打开Word：案例信息表 for 案例信息表-<研修主题>.docx (the theme is in every name,
    and three full names side by side are wider than the page at 1366×768)."""
    head, _, _ = target.stem.partition("-")
    title = target.stem if head.isdigit() else head  # 01-课例研讨现场照片.jpg: the number alone says nothing
    return f"打开{KIND_NAMES.get(target.suffix.lower(), target.suffix[1:].upper() or '文件')}：{title}"


class ElidedButton(QPushButton):
    """A push button that may be narrower than its text: it shortens the text with … instead of widening the page
    (the full name is in its tooltip and accessible name)."""

    def __init__(self, text: str, parent=None) -> None:
        super().__init__(text, parent)
        self.full_text = text
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        room = self.width() - 2 * self.fontMetrics().horizontalAdvance("  ")  # the button's own padding
        self.setText(self.fontMetrics().elidedText(self.full_text, Qt.TextElideMode.ElideMiddle, max(room, 0)))


class ExportPage(ScrollPage):
    done = Signal(object)  # list of written paths
    failed = Signal(str)
    check_requested = Signal()  # the teacher wants to see the errors before exporting

    def __init__(self, form: FormDef, session: CaseSession, converters: ConverterHolder, default_dir: Path,
                 parent=None) -> None:
        super().__init__("导出", "生成Word文件、PDF文件或完整的报送文件夹。导出在后台进行，可以继续查看和修改。", parent)
        self.form, self.session, self.converters = form, session, converters
        self.default_dir = default_dir
        self._thread = None
        self._job = None
        self._reported = False  # the running job has sent its result or failure; its thread is ending
        self._retry = None  # (kind, force, names): files edited since the last export, asked about when the job ends
        self.last_result = None
        self._before: set[str] = set()  # the folder's file names when the export started

    def build_body(self) -> None:
        from PySide6.QtWidgets import QVBoxLayout

        lay = QVBoxLayout(self.body)  # scrolls: the results below the buttons must not push them off a small screen
        # Down only: everything here fits the page's width, and a sideways bar would hide 浏览… and the messages' start.
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        row = QHBoxLayout()
        row.addWidget(QLabel("保存到：", self))
        self.folder = QLineEdit(str(self.default_dir), self)
        self.folder.setAccessibleName("导出文件夹")
        row.addWidget(self.folder, 1)
        browse = QPushButton("浏览…", self)
        browse.clicked.connect(self._browse)
        row.addWidget(browse)
        lay.addLayout(row)
        buttons = QHBoxLayout()
        self.docx_btn = QPushButton("导出Word文件", self)
        self.pdf_btn = QPushButton("导出Word和PDF", self)
        self.package_btn = QPushButton("生成报送文件夹", self)
        for b, kind in ((self.docx_btn, "docx"), (self.pdf_btn, "pdf"), (self.package_btn, "package")):
            b.setAccessibleName(b.text())
            b.clicked.connect(lambda _=False, k=kind: self.start(k))
            buttons.addWidget(b)
        lay.addLayout(buttons)
        self.packet_all = QCheckBox("打印包（PDF）中除案例信息表外，还包含实施方案和总结报告", self)
        self.packet_all.setChecked(True)
        lay.addWidget(self.packet_all)
        self.open_after = QCheckBox("完成后打开文件夹", self)
        self.open_after.setChecked(True)
        lay.addWidget(self.open_after)
        open_row = QHBoxLayout()
        self.open_docs_after = QCheckBox("完成后用Word或WPS打开导出的文档", self)
        open_row.addWidget(self.open_docs_after, 1)
        self.open_docs_btn = QPushButton("用Word/WPS打开", self)
        self.open_docs_btn.setToolTip("用系统中打开.docx文件的程序（Word或WPS）打开刚导出的三个文档")
        self.open_docs_btn.setEnabled(False)
        self.open_docs_btn.clicked.connect(self.open_documents)
        open_row.addWidget(self.open_docs_btn)
        lay.addLayout(open_row)
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName("导出进度")
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        lay.addWidget(self.progress)
        self.status = QPlainTextEdit(self)
        self.status.setMinimumHeight(120)
        self.status.setReadOnly(True)
        self.status.setAccessibleName("导出结果")
        lay.addWidget(self.status, 1)
        self.results = QWidget(self)  # after an export: a button to open each document and the folder
        self.results_grid = QGridLayout(self.results)
        self.results_grid.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.results)
        # When the system cannot open a file: its path, to copy. In the layout, under the buttons it is about
        # (outside it, it would be drawn over the page's heading and not scroll).
        self.open_failed = QWidget(self.body)
        lay.addWidget(self.open_failed)
        row = QHBoxLayout(self.open_failed)
        row.setContentsMargins(0, 0, 0, 0)
        self.failed_note = QLabel(self.open_failed)
        self.failed_note.setWordWrap(True)
        row.addWidget(self.failed_note, 1)
        self.failed_path = QLineEdit(self.open_failed)
        self.failed_path.setReadOnly(True)
        self.failed_path.setAccessibleName("无法打开的路径")
        row.addWidget(self.failed_path, 2)
        self.copy_btn = QPushButton("复制路径", self.open_failed)
        self.copy_btn.clicked.connect(self._copy_path)
        row.addWidget(self.copy_btn)
        self.open_failed.hide()

    def _browse(self) -> None:
        from app.ui.dialogs import choose_folder  # dialogs load when asked for (their Python enums cost memory)

        folder = choose_folder(self, "选择导出文件夹", self.folder.text())
        if folder:
            self.folder.setText(folder)

    def busy(self) -> bool:
        """The page cannot start another export yet: its last one's thread has not ended."""
        return self._thread is not None

    def exporting(self) -> bool:
        """An export is under way: its job has not reported yet. (A job that has reported ends its thread by
        itself; closing the window then must not ask whether to stop an export she has seen finish or fail.)"""
        return self._thread is not None and not self._reported

    def close(self, timeout_ms: int = 5000) -> None:
        """Join the export's thread before the page goes: a QThread destroyed while it runs ends the process."""
        from PySide6.QtCore import QDeadlineTimer

        if self._thread is not None:
            self._thread.wait(QDeadlineTimer(timeout_ms))

    def ask_errors(self, n_errors: int, kind: str) -> str:
        """Asked when the check finds errors before an export: "check" (show them), "go" (export anyway) or
        "cancel". Tests replace it."""
        from PySide6.QtWidgets import QMessageBox

        what = {"docx": "导出Word文件", "pdf": "导出Word和PDF", "package": "生成报送文件夹"}[kind]
        box = QMessageBox(QMessageBox.Icon.Warning, "检查发现错误",
                          f"检查发现{n_errors}个错误，报送前需要修改。\n可以先查看并修改，也可以仍然{what}（例如先给同事看）。", parent=self)
        check = box.addButton("查看错误", QMessageBox.ButtonRole.AcceptRole)
        go = box.addButton(f"仍然{what}", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(check)
        box.exec()
        clicked = box.clickedButton()
        return "check" if clicked is check else "go" if clicked is go else "cancel"

    def open_path(self, path: Path) -> bool:
        """Open a document or folder with the system; when that fails, say so and show the path to copy."""
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        ok = QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        if ok:
            self.open_failed.hide()
        else:
            kind = "文件夹" if path.is_dir() or not path.suffix else "文件"
            self.failed_note.setText(f"无法自动打开这个{kind}，请复制路径后在资源管理器中打开：")
            self.failed_path.setText(str(path))
            self.open_failed.show()
        return ok

    def _copy_path(self) -> None:
        from PySide6.QtGui import QGuiApplication

        QGuiApplication.clipboard().setText(self.failed_path.text())
        self.copy_btn.setText("已复制")

    def _show_results(self, files: list) -> None:
        while self.results_grid.count():
            w = self.results_grid.takeAt(0).widget()
            if w is not None:
                w.deleteLater()
        self.result_buttons: list[QPushButton] = []
        targets = [Path(f) for f in files if Path(f).is_file()] + [self._folder]
        for i, target in enumerate(targets):
            folder = target == self._folder
            b = ElidedButton("打开导出文件夹" if folder else result_label(target), self.results)
            b.setAccessibleName("打开导出文件夹" if folder else f"打开 {target.name}")
            b.setToolTip(str(target))
            b.clicked.connect(lambda _=False, t=target: self.open_path(t))
            self.results_grid.addWidget(b, i // 3, i % 3)
            self.result_buttons.append(b)

    def ask_edited(self, names: list[str]) -> str:
        """Files in the folder were changed after the app wrote them: "keep_copy", "overwrite" or "cancel".
        Tests replace it."""
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Question, "文件在导出后被修改过",
                          f"{'、'.join(f'“{n}”' for n in names)}在上次导出后被修改过（例如在WPS中编辑），"
                          "或不是本软件生成的文件。要怎么处理？", QMessageBox.StandardButton.NoButton, self)
        keep = box.addButton("保留修改过的文件（改名为“…（修改前）”）", QMessageBox.ButtonRole.AcceptRole)
        over = box.addButton("覆盖", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.exec()
        clicked = box.clickedButton()
        return "keep_copy" if clicked is keep else "overwrite" if clicked is over else "cancel"

    def start(self, kind: str, policy: str = "refuse", *, force: bool | None = None) -> None:
        if self.busy():
            return
        self.build()
        folder = Path(self.folder.text().strip() or ".")
        case = self.session.case.copy()  # edits made while exporting do not race with the worker
        base_dir = self.session.base_dir
        from app.render.exportset import set_id_for

        set_id = set_id_for(self.session.path)
        if force is None:  # asked once: a retry after the edited-since-export question keeps the answer
            from app.core.rules import check_case

            force = False
            errors = [f for f in check_case(case, base_dir=base_dir) if f.is_error]
            if errors:
                answer = self.ask_errors(len(errors), kind)
                if answer == "check":
                    self.check_requested.emit()
                if answer != "go":
                    return
                force = True
        converters = self.converters
        downscale = self.session.downscale_photos
        packet_all = self.packet_all.isChecked()
        try:  # what was there before, so that the result can say which files it replaced
            self._before = {p.name for p in folder.iterdir()} if folder.is_dir() else set()
        except OSError:
            self._before = set()

        def work(progress):
            from app.render.exportset import export_set

            progress(0, 0, "正在生成Word文件……")
            note = converters.path_note() if kind != "docx" else None
            if kind in ("docx", "pdf"):
                converter = converters.get() if kind == "pdf" else None
                result = export_set(case, folder, set_id=set_id, converter=converter, pdf=converter is not None,
                                    packet=True, packet_all=packet_all, policy=policy, progress=progress,
                                    fangsong_for_gb2312=converters.settings.fangsong_for_gb2312)
                notes = [f"{name}：{n}页" for name, n in result.pages.items()] + result.notes
                if kind == "pdf" and converter is None:
                    notes.append(NO_CONVERTER_MESSAGE)
                return result.files, ([note] if note else []) + notes
            from app.render.package import build_package

            result = build_package(case, folder, converters.get(), base_dir=base_dir, force=bool(force),
                                   downscale_photos=downscale, packet_all=packet_all, progress=progress,
                                   fangsong_for_gb2312=converters.settings.fangsong_for_gb2312,
                                   set_id=set_id, policy=policy)
            return result.files, ([note] if note else []) + result.notes

        for b in (self.docx_btn, self.pdf_btn, self.package_btn):
            b.setEnabled(False)
        self.open_failed.hide()
        self.progress.setRange(0, 0)  # busy until the first count arrives
        self.status.setPlainText("正在导出……")
        # Both must stay referenced until the thread ends: a collected Job would never run (or crash mid-run).
        self._thread, job = start_job(work, self)
        self._job = job
        self._reported = False
        self._retry = None
        job.progress.connect(self._on_progress)
        job.finished.connect(self._on_finished)
        job.error.connect(lambda exc: self._on_error(exc, kind, force))
        job.failed.connect(self._on_failed)
        self._thread.finished.connect(self._on_thread_done)
        self._folder = folder

    def _on_error(self, exc, kind: str, force) -> None:
        from app.render.outset import EditedSinceExport

        if isinstance(exc, EditedSinceExport):
            self._retry = (kind, force, exc.names)  # asked once the worker thread has ended

    def _on_progress(self, done: int, total: int, text: str) -> None:
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        self.status.appendPlainText(text)

    def _on_finished(self, result) -> None:
        self._reported = True
        files, notes = result
        self.last_result = files
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        lines = ["已生成："] + [f"  {Path(f).name}" for f in files]
        replaced = sum(Path(f).name in self._before for f in files)
        if replaced:
            lines.append(f"其中{replaced}个替换了这个文件夹中上次导出的同名文件。")
        if notes:
            lines += ["", "提示："] + [f"  {n}" for n in notes]
        self.status.setPlainText("\n".join(lines))
        self._show_results(files)
        if self.open_after.isChecked():
            self.open_path(self._folder)
        self.open_docs_btn.setEnabled(bool(self.documents()))
        if self.open_docs_after.isChecked():
            self.open_documents()
        self.done.emit(files)

    def documents(self) -> list[Path]:
        """The Word files of the last export that are still there."""
        return [Path(f) for f in self.last_result or [] if str(f).endswith(".docx") and Path(f).is_file()]

    def open_documents(self) -> list[Path]:
        """Each exported document in the program the system uses for .docx (Word or WPS on a school PC)."""
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        opened = [p for p in self.documents() if QDesktopServices.openUrl(QUrl.fromLocalFile(str(p)))]
        if len(opened) < len(self.documents()):
            self.status.appendPlainText("没有找到打开.docx文件的程序：请安装WPS Office或Microsoft Word，"
                                        "或在文件夹中右键选择“打开方式”。")
        return opened

    def _on_failed(self, message: str) -> None:
        self._reported = True
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        if self._retry is not None:  # the question comes next; the message for the command line names --force
            listed = "、".join(f"“{n}”" for n in self._retry[2])
            self.status.setPlainText(f"{listed}在上次导出后被修改过，或不是本软件生成的文件。还没有写入任何文件，请选择如何处理。")
            return
        self.status.setPlainText(f"导出失败：{message}\n案例内容没有受到影响。")
        self.failed.emit(message)

    def _on_thread_done(self) -> None:
        self._thread = None
        self._job = None
        for b in (self.docx_btn, self.pdf_btn, self.package_btn):
            b.setEnabled(True)
        retry, self._retry = self._retry, None
        if retry is not None:
            kind, force, names = retry
            answer = self.ask_edited(names)
            if answer == "cancel":
                self.status.setPlainText("已取消导出：没有写入任何文件，之前导出的文件保持不变。")
                self.failed.emit("cancelled")
                return
            self.start(kind, answer, force=force)
