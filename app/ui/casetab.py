"""One open case as a tab of the main window: its session, its wizard with the page list, and its autosave."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QScrollArea, QSplitter, QVBoxLayout, QWidget

from app.render.pdf.select import ConverterHolder
from app.ui.autosave import Autosaver
from app.ui.session import CaseSession
from app.ui.wizard import CaseWizard, WizardArea


PREVIEW_MIN_WIDTH = 300  # narrower than this the pages are too small to read: the preview steps aside


class CaseTab(QWidget):
    preview_shown = Signal(bool)  # the preview was hidden or shown again for lack of room (the 视图 menu follows)

    def __init__(self, session: CaseSession, converters: ConverterHolder, export_dir: Path, autosave_dir: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.autosaver = Autosaver(session, autosave_dir, self)
        self.wizard = CaseWizard(session, converters, export_dir)
        self.area = WizardArea(self.wizard, self)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self._build_preview(converters)
        lay.addWidget(self.splitter)
        self.wizard.currentIdChanged.connect(lambda _id: self.autosaver.save_now())
        self.wizard.currentIdChanged.connect(lambda _id: QTimer.singleShot(0, self.fit_form))
        self.wizard.restart()

    @property
    def label(self) -> str:
        """The tab's text: the case's name, with a mark while it has unsaved edits."""
        return self.session.display_name + (" *" if self.session.dirty else "")

    def _build_preview(self, converters: ConverterHolder) -> None:
        """The 预览 beside the wizard (a splitter the teacher can drag, or hide from the 视图 menu)."""
        from app.ui.preview import PreviewController, PreviewPanel, PrintFlow

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.area)
        self.preview = PreviewController(self.session, converters, self)
        self.preview_panel = PreviewPanel(self.preview, self.splitter)
        self.splitter.addWidget(self.preview_panel)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([900, 460])
        self.splitter.setCollapsible(0, False)
        self._preview_chosen = False  # turned on by hand (视图 → 预览): it stays, narrow window or not
        self._squeezed_at: int | None = None  # the tab's width when the preview stepped aside for the form
        self._watched: list[QScrollArea] = []  # the pages' scroll areas whose sideways range fit_form follows
        self.printing = PrintFlow(self.session, converters, self)
        self.preview_panel.print_btn.clicked.connect(lambda: self.print_packet())
        self.printing.status.connect(self.preview_panel.state.setText)
        self.printing.failed.connect(self.print_failed)
        self.wizard.check_page.finding_selected.connect(self._follow_field)
        self.wizard.check_page.jump_requested.connect(self._follow_field)
        self.wizard.currentIdChanged.connect(lambda _id: self._follow_page())
        QApplication.instance().focusChanged.connect(self._focus_changed)
        self._focus_hooked = True
        self.preview.converted.connect(self._follow_again)
        self._followed: str | None = None

    def set_preview_wanted(self, on: bool) -> None:
        """视图 → 预览 (F8): her choice; shown now even where it squeezes the form."""
        self._preview_chosen = on
        self._squeezed_at = None
        self.preview_panel.setVisible(on)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        if self._squeezed_at is not None and event.size().width() > self._squeezed_at:
            self._squeezed_at = None  # more room than when it stepped aside: try again
            self.preview_panel.show()
            self.preview_shown.emit(True)
        QTimer.singleShot(0, self.fit_form)

    def fit_form(self) -> None:
        """Give the page on screen the width its inputs need, so that nothing is cut at its right edge behind a
        sideways scroll bar: taken from the preview while it keeps a readable width, else the preview steps aside
        until the window is wider again (at 150 % on a 1366×768 screen there is room for the form alone)."""
        scroll = getattr(self.wizard.currentPage(), "scroll", None)  # a form page's scroll area
        panel = self.preview_panel
        if not isinstance(scroll, QScrollArea) or scroll.widget() is None:
            return
        if scroll not in self._watched:  # asked again whenever the page would need a sideways scroll bar
            self._watched.append(scroll)
            scroll.horizontalScrollBar().rangeChanged.connect(
                lambda _low, high: high > 0 and QTimer.singleShot(0, self.fit_form))
        if panel.isHidden() or not self.isVisible():
            return
        short = scroll.widget().minimumSizeHint().width() - scroll.viewport().width()
        if short <= 0:
            return
        form, preview = self.splitter.sizes()
        if preview - short >= max(PREVIEW_MIN_WIDTH, panel.minimumSizeHint().width()):
            self.splitter.setSizes([form + short, preview - short])
        elif not self._preview_chosen:  # a hidden preview returned above, so she has not turned it off
            self._squeezed_at = self.width()
            panel.hide()
            self.preview_shown.emit(False)

    def _focus_changed(self, _old, new) -> None:
        from app.ui.preview import field_of

        if new is not None and self.isAncestorOf(new) and not self.preview_panel.isAncestorOf(new):
            key = field_of(new)
            if key and key != self._followed:
                self._follow_field(key)

    def _follow_page(self) -> None:
        """A wizard page shows its own document: the one most of its fields land in first (the 案例信息表 page the
        info sheet, though its 研修主题 is printed in all three and the preview was showing the plan)."""
        page = self.wizard.currentPage()
        keys = getattr(page, "field_keys", ())
        if keys:
            form = self.session.case.form
            firsts = [form.field(k).documents[0] for k in keys if form.field(k).documents]
            self._follow_field(keys[0], prefer=max(firsts, key=firsts.count) if firsts else None)

    def _follow_field(self, key: str, prefer: str | None = None) -> None:
        """Show the page where a field lands: its document, and its page once the converter has told."""
        self._followed = key
        where = self.preview.locate(key, prefer) if key else None
        if where is not None:
            self.preview_panel.show_page(*where)

    def _follow_again(self) -> None:
        if self._followed and not self.preview.stale:
            where = self.preview.locate(self._followed)
            if where is not None and where[1] is not None and where[0] == self.preview.shown_doc:
                self.preview_panel.show_page(*where)

    def print_failed(self, message: str) -> None:
        """Tests replace it; the case and any earlier files are untouched by a failed print."""
        from PySide6.QtWidgets import QMessageBox

        self.preview_panel.state.setText("打印包没有生成")
        QMessageBox.warning(self, "打印包没有生成", f"{message}\n案例内容和已导出的文件都没有改动。")

    def print_packet(self, printer=None) -> bool:
        return self.printing.print_packet(self.preview_panel.packet_all.isChecked(), printer)

    def save_packet(self, target: Path | None = None) -> bool:
        if target is None:
            from PySide6.QtWidgets import QFileDialog

            from app.render.docx_render import safe_filename

            folder = Path(self.wizard.export_page.default_dir)
            suggested = folder / (safe_filename("打印包", self.session.case.name_text) + ".pdf")
            path, _ = QFileDialog.getSaveFileName(self, "另存打印包", str(suggested), "PDF文件 (*.pdf)")
            if not path:
                return False
            target = Path(path if path.lower().endswith(".pdf") else path + ".pdf")
        return self.printing.save_packet(target, self.preview_panel.packet_all.isChecked())

    def busy(self) -> bool:
        """An export of this case is under way (what closing the tab or the window must ask about)."""
        return self.wizard.export_page.exporting()

    def close_session(self, *, discard_draft: bool = True) -> None:
        """Stop autosaving; the draft goes unless the case is kept for a later restore."""
        self.autosaver.stop()
        self.preview.close()
        self.printing.close()
        self.wizard.export_page.close()
        if self._focus_hooked:  # the application outlives the tab
            QApplication.instance().focusChanged.disconnect(self._focus_changed)
            self._focus_hooked = False
        if discard_draft:
            self.autosaver.discard()
