"""The 导出 page: Word, Word and PDF, or the submission folder, produced on a worker thread with a progress bar."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QProgressBar, QPushButton

from app.core.forms import FormDef
from app.render.pdf.select import NO_CONVERTER_MESSAGE, ConverterHolder
from app.ui.pages import HeadedPage
from app.ui.session import CaseSession
from app.ui.worker import start_job


class ExportPage(HeadedPage):
    done = Signal(object)  # list of written paths
    failed = Signal(str)

    def __init__(self, form: FormDef, session: CaseSession, converters: ConverterHolder, default_dir: Path,
                 parent=None) -> None:
        super().__init__("导出", "生成Word文件、PDF文件或完整的报送文件夹。导出在后台进行，可以继续查看和修改。", parent)
        self.form, self.session, self.converters = form, session, converters
        self.default_dir = default_dir
        self._thread = None
        self._job = None
        self.last_result = None

    def build_content(self) -> None:
        lay = self.content
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
        self.status.setReadOnly(True)
        self.status.setAccessibleName("导出结果")
        lay.addWidget(self.status, 1)

    def _browse(self) -> None:
        from PySide6.QtWidgets import QFileDialog  # dialogs load when asked for (their Python enums cost memory)

        folder = QFileDialog.getExistingDirectory(self, "选择导出文件夹", self.folder.text())
        if folder:
            self.folder.setText(folder)

    def busy(self) -> bool:
        return self._thread is not None

    def confirm_force(self, n_errors: int) -> bool:
        """Asked when the check finds errors; tests replace it."""
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.question(self, "检查发现错误", f"检查发现{n_errors}个错误，报送前需要修改。仍要生成报送文件夹吗？")
        return answer == QMessageBox.StandardButton.Yes

    def start(self, kind: str) -> None:
        if self.busy():
            return
        self.build()
        folder = Path(self.folder.text().strip() or ".")
        case = self.session.case.copy()  # edits made while exporting do not race with the worker
        base_dir = self.session.base_dir
        force = False
        if kind == "package":
            from app.core.rules import check_case

            errors = [f for f in check_case(case, base_dir=base_dir) if f.is_error]
            if errors:
                if not self.confirm_force(len(errors)):
                    return
                force = True
        converters = self.converters
        downscale = self.session.downscale_photos
        packet_all = self.packet_all.isChecked()

        def work(progress):
            from app.render.docx_render import export_docx

            progress(0, 0, "正在生成Word文件……")
            if kind == "docx":
                return export_docx(case, folder), []
            if kind == "pdf":
                from app.render.pdf.export import export_pdfs

                docx = export_docx(case, folder)
                converter = converters.get()
                if converter is None:
                    return docx, [NO_CONVERTER_MESSAGE]
                result = export_pdfs(case, docx, folder, converter, packet=True, packet_all=packet_all, progress=progress,
                                     fangsong_for_gb2312=converters.settings.fangsong_for_gb2312)
                files = docx + result.pdfs + ([result.packet] if result.packet else [])
                counts = [f"{name}：{n}页" for name, n in result.pages.items()]
                return files, counts + [n.message for n in result.font_notes] + result.warnings
            from app.render.package import build_package

            result = build_package(case, folder, converters.get(), base_dir=base_dir, force=force,
                                   downscale_photos=downscale, packet_all=packet_all, progress=progress,
                                   fangsong_for_gb2312=converters.settings.fangsong_for_gb2312)
            return result.files, result.notes

        for b in (self.docx_btn, self.pdf_btn, self.package_btn):
            b.setEnabled(False)
        self.progress.setRange(0, 0)  # busy until the first count arrives
        self.status.setPlainText("正在导出……")
        # Both must stay referenced until the thread ends: a collected Job would never run (or crash mid-run).
        self._thread, job = start_job(work, self)
        self._job = job
        job.progress.connect(self._on_progress)
        job.finished.connect(self._on_finished)
        job.failed.connect(self._on_failed)
        self._thread.finished.connect(self._on_thread_done)
        self._folder = folder

    def _on_progress(self, done: int, total: int, text: str) -> None:
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        self.status.appendPlainText(text)

    def _on_finished(self, result) -> None:
        files, notes = result
        self.last_result = files
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        lines = ["已生成："] + [f"  {Path(f).name}" for f in files]
        if notes:
            lines += ["", "提示："] + [f"  {n}" for n in notes]
        self.status.setPlainText("\n".join(lines))
        if self.open_after.isChecked():
            from PySide6.QtCore import QUrl
            from PySide6.QtGui import QDesktopServices

            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._folder)))
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
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status.setPlainText(f"导出失败：{message}\n案例内容没有受到影响。")
        self.failed.emit(message)

    def _on_thread_done(self) -> None:
        self._thread = None
        self._job = None
        for b in (self.docx_btn, self.pdf_btn, self.package_btn):
            b.setEnabled(True)
