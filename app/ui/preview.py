"""The 预览 beside the wizard: the three documents' pages as they will be exported, refreshed in the background after
edits pause, following the field being edited; printing and saving the 打印包 from the app."""

from __future__ import annotations

import math
import sys
import tempfile
import threading
from pathlib import Path

from PySide6.QtCore import QObject, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import (QCheckBox, QComboBox, QHBoxLayout, QLabel, QPushButton, QScrollArea, QSizePolicy,
                               QTabBar, QVBoxLayout, QWidget)

from app import sources
from app.render.pdf.select import ConverterHolder
from app.render.preview import LIBRARIES, PreviewCancelled, doc_keys, content_keys, estimate_pages, page_of
from app.ui.counter import show_status
from app.ui.heap import release_freed
from app.ui.inputs import InputGuard
from app.ui.pausetimer import PauseTimer
from app.ui.session import CaseSession
from app.ui.worker import start_job

REFRESH_DELAY_MS = 1500
PAGE_GAP = 12
MISSING_CONVERTER = ("预览需要一个能生成PDF的软件，这台电脑上没有找到Microsoft Word、WPS Office或LibreOffice。"
                     "请安装WPS Office或LibreOffice（免费），然后点“重新查找”。下面的页数是按字数估计的。")
ZOOMS = (("fit_width", "适合宽度"), ("fit_page", "整页"), ("actual", "100%"))


def _draw_flowcharts(case, docs) -> None:
    """The flowchart pictures of the documents about to be rendered, drawn here on the UI thread into the diagram's
    memo, where the worker's rendering finds them. Qt keeps font engines per thread: drawn on the worker, its text
    would map and read the CJK font files a second time (8 MB of the peak, measured), dropped only when the thread
    ends; the UI thread has them loaded for the wizard's text already. Drawing takes ~25 ms, only when the stages
    changed (the memo answers otherwise); the stages editor already draws the same pictures here when she pauses."""
    from app.render.diagram import document_parts

    for f in case.form.fields:
        if f.kind == "stages" and set(f.documents) & set(docs):
            stages = case.get(f.key)
            if stages:
                document_parts(stages)


class PreviewController(QObject):
    """The pages of one case's documents, kept current off the UI thread. An edit only marks the pages stale and
    restarts a timer (typing never waits); when the timer fires, the documents whose printed content changed are
    converted in one call of the export's converter, and the shown document is rasterised."""

    changed = Signal()  # page counts, images, the stale mark or the message changed
    refresh_started = Signal(tuple)  # the documents being converted
    converted = Signal()  # new pages arrived

    def __init__(self, session: CaseSession, converters: ConverterHolder, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session, self.converters = session, converters
        self.docs: dict = {}  # doc key → DocPages of the last conversion
        # doc key → (content key, width px, {page index: image}): the shown document's pages near the view only
        self.images: dict[str, tuple[str, int, dict[int, QImage]]] = {}
        self.wanted: range | None = None  # the pages the view wants drawn (None: every page)
        self.message = ""
        self.notes: list[str] = []
        self.stale = True
        self.refreshes = 0
        self.shown_doc = "info"
        self.width_px = 600  # the width the view wants its pages drawn at (device pixels)
        self.active = lambda: True  # the panel says whether it is on screen; hidden previews wait
        self._timer = PauseTimer(self, REFRESH_DELAY_MS, self.refresh_now)
        self._thread = self._job = None
        self._cancel: threading.Event | None = None
        self._again = False
        self._closed = False  # no job may start once the tab has closed: its thread would outlive the tab
        session.watch(None, self._edited, self)

    @property
    def delay_ms(self) -> int:
        return self._timer.interval()

    @delay_ms.setter
    def delay_ms(self, ms: int) -> None:
        self._timer.setInterval(ms)

    @property
    def busy(self) -> bool:
        return self._thread is not None

    def _edited(self, _key: str) -> None:
        """The typing path: no rendering, no converter, no hashing — a flag and a timer."""
        if self._cancel is not None:
            self._cancel.set()  # a refresh still rendering Word files for an older state stops before converting
        if not self.stale:
            self.stale = True
            self.changed.emit()
        self._timer.start()

    def schedule(self) -> None:
        self._timer.start()

    def refresh_now(self) -> None:
        if self._closed:
            return
        self._timer.stop()
        if self.busy:
            self._again = True
            return
        if not self.active():
            return  # stays stale; the panel asks again when it is shown
        converter = self.converters.get()
        if converter is None:  # asked first: without a converter nothing of the rendering needs to load
            self.message = MISSING_CONVERTER
            self._settle()
            return
        case = self.session.case.copy()
        keys = content_keys(case)
        todo = tuple(d for d in doc_keys(case.form) if d not in self.docs or self.docs[d].content_key != keys[d])
        if not todo:
            self._settle()
            self.want_images()
            return
        if not self._libraries_loaded():
            return
        self.message = ""
        _draw_flowcharts(case, todo)
        shown, width = self.shown_doc, self.width_px
        pages = None if self.wanted is None else list(self.wanted)
        fangsong = self.converters.settings.fangsong_for_gb2312
        cancel = self._cancel = threading.Event()

        def work(_progress):
            from app.render.preview import convert_documents

            try:  # the shown document's pages are drawn while its PDF is open for its page texts
                conv = convert_documents(case, todo, converter, fangsong_for_gb2312=fangsong, keys=keys,
                                         cancelled=cancel.is_set, images_of=shown, width_px=width,
                                         image_pages=pages)
            except PreviewCancelled:
                return None
            finally:
                release_freed()  # the Word files, their XML trees and PDFium's buffers are freed by now
            doc, imgs = conv.docs.get(shown), conv.images.get(shown)
            return conv, (None if doc is None or imgs is None else (shown, doc.content_key, width, imgs))

        self.refreshes += 1
        self.refresh_started.emit(todo)
        self._run(work, self._converted)

    def _libraries_loaded(self) -> bool:
        """True once the rendering's libraries are imported; else imports the next one and comes back to refresh in
        the next turn of the event loop. Here on the UI thread, one library a turn (docx, the largest, takes ~70 ms),
        each followed by forgetting the sources PySide6 read from it (app/sources.py): forgotten on the worker, the
        lines could vanish under an import on this thread, and forgotten only after all of them, the lines pile up
        first and leave ~4 MB of holes in Python's memory (measured, the preview open on both examples)."""
        missing = [name for name in LIBRARIES if name not in sys.modules]
        if not missing:
            return True
        try:
            sources.import_forgetting(missing[0])
        except (ImportError, OSError) as exc:  # a damaged installation: said in the panel, as a failed refresh is
            self.message = f"预览没有更新：预览所需的组件“{missing[0]}”无法加载（{exc}）。请重新安装本软件。"
            self._settle()
            return False
        QTimer.singleShot(0, self, self.refresh_now)
        return False

    def _run(self, work, on_done) -> None:
        if self._closed:
            return
        # Bound methods of this object, not lambdas: a slot that is not a method of a QObject of the UI thread would
        # run on the worker thread.
        self._on_done = on_done
        self._thread, self._job = start_job(work, self)
        self._job.finished.connect(self._finished)
        self._job.failed.connect(self._failed)
        self._thread.finished.connect(self._job_done)

    def _finished(self, result) -> None:
        self._on_done(result)

    def _converted(self, result) -> None:
        if result is None:
            return
        conv, images = result
        self.docs.update(conv.docs)  # right for the case they were made from; a newer edit re-renders its document
        self.notes = conv.font_notes
        if images is not None and self.active():  # hidden meanwhile: drawn again when shown
            doc, key, width, imgs = images
            self.images = {doc: (key, width, {i: img for i, img in enumerate(imgs) if img is not None})}
        self.converted.emit()

    def _failed(self, message: str) -> None:
        self.message = f"预览没有更新：{message}"

    def _job_done(self) -> None:
        sources.forget()  # what the rendering imported on first use
        self._thread = self._job = None
        self._cancel = None
        if self._again or self._timer.isActive():
            self._again = False
            if not self._timer.isActive():
                self.refresh_now()
        else:
            self._settle()
        self.want_images()
        self.changed.emit()

    def _settle(self) -> None:
        self.stale = self._timer.isActive() or self.busy
        self.changed.emit()

    # ---------------------------------------------------------------- images of the shown document
    def show_doc(self, doc_key: str) -> None:
        if doc_key != self.shown_doc:
            self.shown_doc = doc_key
            self.images = {}  # the other document's pages are no longer shown: not kept while these are drawn
            self.want_images()
            self.changed.emit()

    def set_width(self, width_px: int) -> None:
        width_px = max(100, int(width_px))
        if abs(width_px - self.width_px) > 2:
            self.width_px = width_px
            self.want_images()

    def release_images(self) -> None:
        """The panel is off screen (another case's tab, or 预览 turned off): its page images go (2 MB per document
        at the panel's width), and are drawn again, in ~40 ms, when it is shown."""
        if self.images:
            self.images = {}
            release_freed()

    def set_wanted(self, pages: range) -> None:
        """The view scrolled or was laid out again: these pages are in or near it."""
        if pages != self.wanted:
            self.wanted = pages
            self.want_images()

    def wanted_pages(self) -> list[int]:
        doc = self.docs.get(self.shown_doc)
        if doc is None:
            return []
        return [i for i in (range(doc.count) if self.wanted is None else self.wanted) if 0 <= i < doc.count]

    def current_images(self) -> dict[int, QImage]:
        """The shown document's page images by page index (0-based): those near the view, as PDF viewers draw."""
        doc = self.docs.get(self.shown_doc)
        entry = self.images.get(self.shown_doc)
        if doc is None or entry is None or entry[0] != doc.content_key:
            return {}
        return entry[2]

    def want_images(self) -> None:
        """Draw the shown document's pages near the view at the wanted width, those not drawn yet; pages scrolled
        far away are let go. Only one document's pages are kept, and only those: a tab holds a few pages of pixels
        (0.5 to 5 MB each, by the panel's width and the screen's scale), not a whole long document's."""
        doc = self.docs.get(self.shown_doc)
        if doc is None or self.busy or not self.active():
            return
        wanted = self.wanted_pages()
        entry = self.images.get(self.shown_doc)
        same = entry is not None and entry[0] == doc.content_key and entry[1] == self.width_px
        have = entry[2] if same else {}
        if same and any(i not in wanted for i in have):
            self.images = {self.shown_doc: (entry[0], entry[1], {i: have[i] for i in wanted if i in have})}
        missing = [i for i in wanted if i not in have]
        if not missing:
            return
        key, width, pdf, shown = doc.content_key, self.width_px, doc.pdf, self.shown_doc

        def work(_progress):
            from app.render.preview import rasterise

            try:
                return shown, key, width, dict(zip(missing, rasterise(pdf, width_px=width, pages=missing)))
            finally:
                release_freed()  # the images it replaces are freed on the UI thread; PDFium's page buffers here

        def done(result):
            doc_key, key, width, imgs = result
            if not self.active():
                return  # hidden meanwhile: drawn again when shown
            entry = self.images.get(doc_key)
            if entry is not None and entry[:2] == (key, width):
                imgs = {**entry[2], **imgs}
            self.images = {doc_key: (key, width, imgs)}

        self._run(work, done)

    # ---------------------------------------------------------------- what the panel shows
    def page_label(self, doc_key: str) -> str:
        title = self.session.case.form.document(doc_key).file_stem  # 案例信息表: the full title is too wide
        if doc_key in self.docs:
            return f"{title} {self.docs[doc_key].count}页"
        if self.message == MISSING_CONVERTER:
            return f"{title} 约{estimate_pages(self.session.case, doc_key)}页"
        return f"{title} …"

    def locate(self, key: str, prefer: str | None = None) -> tuple[str, int | None] | None:
        """The document and page where a field lands: `prefer`, else the shown document, if the field is printed
        there."""
        if not key:
            return None
        f = self.session.case.form.field(key)
        if not f.documents:
            return None
        doc_key = next(d for d in (prefer, self.shown_doc, f.documents[0]) if d in f.documents)
        doc = self.docs.get(doc_key)
        return doc_key, (page_of(doc, self.session.case, key) if doc is not None else None)

    def retry_converter(self) -> None:
        if self.converters.get() is None:
            self.converters.close()  # look for Word, WPS or LibreOffice again
        self.message = ""
        self.refresh_now()

    def close(self) -> None:
        """Stop refreshing; a conversion under way is let finish (LibreOffice stays usable), then dropped."""
        self._closed = True
        self._timer.stop()
        self._again = False
        if self._cancel is not None:
            self._cancel.set()
        if self._thread is not None:
            self._thread.wait()


class PageCanvas(QWidget):
    """Pages stacked top to bottom on grey, each drawn from its image (scaled until the sharp one arrives)."""

    def __init__(self, panel: "PreviewPanel") -> None:
        super().__init__(panel)
        self.panel = panel
        self.scale = 1.0  # logical pixels per PDF point
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizes(self) -> tuple:
        doc = self.panel.controller.docs.get(self.panel.controller.shown_doc)
        return doc.sizes if doc is not None else ()

    def page_rects(self) -> list[QRectF]:
        rects, y = [], PAGE_GAP
        width = self.width()
        for w_pt, h_pt in self.sizes():
            w, h = w_pt * self.scale, h_pt * self.scale
            rects.append(QRectF(max(PAGE_GAP, (width - w) / 2), y, w, h))
            y += h + PAGE_GAP
        return rects

    def sizeHint(self) -> QSize:  # noqa: N802
        rects = self.page_rects()
        if not rects:
            return QSize(200, 200)
        return QSize(int(max(r.width() for r in rects) + 2 * PAGE_GAP), int(rects[-1].bottom() + PAGE_GAP))

    def paintEvent(self, _event) -> None:  # noqa: N802
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#8a8f96"))
        images = self.panel.controller.current_images()
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        visible = QRectF(self.visibleRegion().boundingRect())
        for i, r in enumerate(self.page_rects()):
            if not r.intersects(visible):
                continue
            p.fillRect(r.translated(2, 2), QColor(0, 0, 0, 60))
            p.fillRect(r, Qt.GlobalColor.white)
            if i in images:
                p.drawImage(r, images[i])
            else:
                p.setPen(QColor("#888"))
                p.drawText(r, Qt.AlignmentFlag.AlignCenter, "正在生成……")
        if self.panel.controller.stale and images:
            p.fillRect(self.rect(), QColor(255, 255, 255, 70))  # a veil: what is shown is older than the case
        p.end()


class PreviewPanel(QWidget):
    """Document tabs with page counts, zoom, the stale mark, and the pages."""

    def __init__(self, controller: PreviewController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        controller.active = lambda: self.isVisible()
        self.zoom = "fit_width"
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 0, 0, 0)
        top = QHBoxLayout()
        self.docs_bar = QTabBar(self)
        self.docs_bar.setAccessibleName("预览的文档")
        self.docs_bar.setExpanding(False)
        self.docs_bar.setDrawBase(False)
        self.doc_keys = doc_keys(controller.session.case.form)
        for d in self.doc_keys:
            self.docs_bar.addTab(controller.page_label(d))
        self.docs_bar.currentChanged.connect(lambda i: controller.show_doc(self.doc_keys[i]))
        top.addWidget(self.docs_bar, 1)
        lay.addLayout(top)
        row = QHBoxLayout()
        self.zoom_box = QComboBox(self)
        self.zoom_box.setAccessibleName("预览缩放")
        for key, text in ZOOMS:
            self.zoom_box.addItem(text, key)
        self.zoom_box.currentIndexChanged.connect(lambda _i: self.set_zoom(self.zoom_box.currentData()))
        row.addWidget(self.zoom_box)
        self.state = QLabel(self)
        self.state.setAccessibleName("预览状态")
        # It takes what the row leaves (cut when narrow) rather than widen the panel: the form beside it needs the room.
        self.state.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        row.addWidget(self.state, 1)
        self.packet_all = QCheckBox("打印包含实施方案和总结报告", self)
        self.packet_all.setChecked(True)
        self.packet_all.setToolTip("不勾选时只打印案例信息表（签字盖章用）")
        row.addWidget(self.packet_all)
        self.print_btn = QPushButton("打印…", self)
        self.print_btn.setToolTip("打印：案例信息表在前，以便签字盖章（Ctrl+P）")
        row.addWidget(self.print_btn)
        lay.addLayout(row)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("预览提示")
        self.message.hide()
        self.retry_btn = QPushButton("重新查找", self)
        self.retry_btn.clicked.connect(controller.retry_converter)
        self.retry_btn.hide()
        msg_row = QHBoxLayout()
        msg_row.addWidget(self.message, 1)
        msg_row.addWidget(self.retry_btn, 0, Qt.AlignmentFlag.AlignTop)
        lay.addLayout(msg_row)
        self.scroll = QScrollArea(self)
        self.scroll.setAccessibleName("预览页面")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.canvas = PageCanvas(self)
        self.scroll.setWidget(self.canvas)
        self.scroll.verticalScrollBar().valueChanged.connect(lambda _v: self._update_wanted())
        lay.addWidget(self.scroll, 1)
        controller.changed.connect(self.update_view)
        # The wheel over the zoom box while she scrolls the preview must not change the zoom (as on the pages).
        self.input_guard = InputGuard(self)
        self.input_guard.guard(self)
        self.update_view()

    def set_zoom(self, zoom: str) -> None:
        self.zoom = zoom
        self.zoom_box.setCurrentIndex([k for k, _ in ZOOMS].index(zoom))
        self._layout_pages()

    def _layout_pages(self) -> None:
        sizes = self.canvas.sizes() or ((595.3, 841.9),)
        w_pt, h_pt = max(s[0] for s in sizes), max(s[1] for s in sizes)
        vp = self.scroll.viewport().size()
        # Room for the vertical scroll bar whether or not it shows yet: fitting the width must not make it appear
        # and then need a horizontal one.
        width = self.scroll.width() - self.scroll.verticalScrollBar().sizeHint().width() - 2 * self.scroll.frameWidth()
        fit_w = max(0.1, (width - 2 * PAGE_GAP) / w_pt)
        if self.zoom == "fit_width":
            scale = fit_w
        elif self.zoom == "fit_page":
            scale = min(fit_w, max(0.1, (vp.height() - 2 * PAGE_GAP) / h_pt))
        else:
            scale = 96 / 72  # 100 %: a page as large as on paper, at the screen's nominal 96 dpi
        self.canvas.scale = scale
        self.scroll.setWidgetResizable(self.zoom != "actual")
        self.canvas.setMinimumSize(self.canvas.sizeHint())
        if self.zoom == "actual":
            self.canvas.resize(self.canvas.sizeHint())
        self.canvas.updateGeometry()
        self.controller.set_width(round(w_pt * scale * self.devicePixelRatioF()))
        self._update_wanted()
        self.canvas.update()

    def _update_wanted(self) -> None:
        """The pages in the view and a view's height above and below it: drawn before she scrolls to them."""
        top, height = self.scroll.verticalScrollBar().value(), self.scroll.viewport().height()
        lo, hi = top - height, top + 2 * height
        rects = self.canvas.page_rects()
        if rects:
            near = [i for i, r in enumerate(rects) if r.bottom() >= lo and r.top() <= hi]
            pages = range(near[0], near[-1] + 1) if near else range(0)
        else:  # not converted yet: as many A4 pages as reach that far
            pages = range(max(1, math.ceil(hi / (841.9 * self.canvas.scale + PAGE_GAP))))
        self.controller.set_wanted(pages)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        QTimer.singleShot(0, self._layout_pages)

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        c = self.controller
        stale, busy = c.stale, c.busy
        c.want_images()  # released while hidden: the last pages again, veiled if edits wait, until new ones come
        if stale and not busy:
            if c.docs or c.message:
                c.schedule()  # shown again after edits made while hidden: as after any edit
            else:
                QTimer.singleShot(0, c.refresh_now)  # a case just opened: its pages as soon as they can be made

    def hideEvent(self, event) -> None:  # noqa: N802
        super().hideEvent(event)
        if not self.isVisible():
            self.controller.release_images()

    def update_view(self) -> None:
        c = self.controller
        for i, d in enumerate(self.doc_keys):
            self.docs_bar.setTabText(i, c.page_label(d))
        if self.docs_bar.currentIndex() != self.doc_keys.index(c.shown_doc):
            self.docs_bar.blockSignals(True)
            self.docs_bar.setCurrentIndex(self.doc_keys.index(c.shown_doc))
            self.docs_bar.blockSignals(False)
        if c.message:
            self.state.setText("")
        elif c.stale:
            self.state.setText("● 正在更新……")
            show_status(self.state, "near")
        else:
            self.state.setText("已是最新")
            show_status(self.state, None)
        self.message.setText(c.message)
        self.message.setVisible(bool(c.message))
        self.retry_btn.setVisible(c.message.startswith("预览需要"))
        self._layout_pages()

    def show_page(self, doc_key: str, page: int | None) -> None:
        """Bring a document (and its page, 0-based, when known) into view."""
        switched = doc_key != self.controller.shown_doc
        self.controller.show_doc(doc_key)
        self.update_view()
        if page is None and not switched:
            return
        # The scroll range follows the new layout only after Qt has laid the canvas out.
        QTimer.singleShot(0, lambda: self._scroll_to(page or 0))

    def _scroll_to(self, page: int) -> None:
        rects = self.canvas.page_rects()
        if 0 <= page < len(rects):
            self.scroll.verticalScrollBar().setValue(int(rects[page].top() - PAGE_GAP))

    def visible_page(self) -> int:
        """The page she is looking at: the one that fills most of the view (the topmost of equals). Scrolled to the
        end, that is the last page even though its top cannot reach the top of the view."""
        rects = self.canvas.page_rects()
        top = self.scroll.verticalScrollBar().value()
        bottom = top + self.scroll.viewport().height()
        best, shown = 0, 0.0
        for i, r in enumerate(rects):
            seen = min(r.bottom(), bottom) - max(r.top(), top)
            if seen > shown + 0.5:
                best, shown = i, seen
        return best


def field_of(widget: QWidget | None) -> str | None:
    """The key of the field editor a focused widget belongs to."""
    from app.ui.editors_text import FieldEditor

    while widget is not None:
        if isinstance(widget, FieldEditor):
            return widget.field.key
        widget = widget.parentWidget()
    return None


class PrintFlow(QObject):
    """打印 and 另存打印包: the packet rendered fresh off the UI thread, then the print dialog and the pages drawn at
    the printer's resolution (also off the UI thread: QPainter may paint a QPrinter from a worker)."""

    status = Signal(str)
    printed = Signal(int)  # pages sent to the printer
    saved = Signal(object)  # the path written
    failed = Signal(str)

    def __init__(self, session: CaseSession, converters: ConverterHolder, parent: QWidget) -> None:
        super().__init__(parent)
        self.session, self.converters, self.window = session, converters, parent
        self._thread = self._job = None
        self._tmp = None
        self._closed = False

    @property
    def busy(self) -> bool:
        return self._thread is not None

    def close(self) -> None:
        self._closed = True
        if self._thread is not None:
            self._thread.wait()

    def _start(self, work, on_done) -> None:
        if self._closed:
            return
        self._on_done = on_done  # called from _finished, a method: it runs on the UI thread
        self._thread, self._job = start_job(work, self)
        self._job.finished.connect(self._finished)
        self._job.failed.connect(self._failed)
        self._thread.finished.connect(self._done)

    def _finished(self, result) -> None:
        self._on_done(result)

    def _failed(self, message: str) -> None:
        self.failed.emit(message)

    def _done(self) -> None:
        self._thread = self._job = None

    def _packet(self, target: Path, packet_all: bool, on_done) -> bool:
        from app.render.preview import packet_pdf

        if self.busy:
            return False
        converter = self.converters.get()
        if converter is None:
            self.failed.emit(MISSING_CONVERTER.split("下面")[0])
            return False
        case = self.session.case.copy()
        fangsong = self.converters.settings.fangsong_for_gb2312
        self.status.emit("正在准备打印包……")
        self._start(lambda _p: packet_pdf(case, converter, target, packet_all=packet_all,
                                          fangsong_for_gb2312=fangsong), on_done)
        return True

    def print_packet(self, packet_all: bool = True, printer=None) -> bool:
        """With `printer` given (tests: a PDF QPrinter) the dialog is skipped."""
        self._tmp = tempfile.TemporaryDirectory(prefix="yanxiu-print-")
        target = Path(self._tmp.name) / "打印包.pdf"
        return self._packet(target, packet_all, lambda result: self._ready(result, printer))

    def ask_printer(self, pages: int):
        """The system print dialog, with the page range of the packet; None when cancelled."""
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(f"打印包-{self.session.display_name}")
        printer.setFromTo(1, pages)
        dialog = QPrintDialog(printer, self.window)
        dialog.setWindowTitle("打印")
        dialog.setMinMax(1, pages)
        dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
        dialog.setOption(QPrintDialog.PrintDialogOption.PrintCollateCopies, True)
        return printer if dialog.exec() == QPrintDialog.DialogCode.Accepted else None

    def _ready(self, result, printer) -> None:
        path, counts = result
        total = sum(counts)
        # The thread that made the packet ends after this slot: the print job starts when it is gone.
        QTimer.singleShot(0, lambda: self._print(path, total, printer))

    def _print(self, path: Path, total: int, printer) -> None:
        if self.busy:
            QTimer.singleShot(20, lambda: self._print(path, total, printer))
            return
        if printer is None:
            self.status.emit("")
            printer = self.ask_printer(total)
            if printer is None:
                self.status.emit("已取消打印。")
                return
        printer.setFullPage(True)  # the PDF pages carry their own margins
        first, last = printer.fromPage(), printer.toPage()
        if first == 0:
            first, last = 1, total
        copies = 1 if printer.supportsMultipleCopies() else printer.copyCount()
        pages = [n for _ in range(max(1, copies)) for n in range(first, last + 1)]
        self.status.emit("正在打印……")

        def work(_p):
            from app.render.preview import paint_pdf

            return paint_pdf(path, printer, pages=pages)

        self._printer = printer  # kept alive until the job ends
        self._start(work, self._sent)

    def _sent(self, pages: int) -> None:
        self.status.emit(f"已发送到打印机：{pages}页。")
        self.printed.emit(pages)

    def save_packet(self, target: Path, packet_all: bool = True) -> bool:
        from app.core.atomic import is_locked

        if is_locked(target):
            self.failed.emit(f"文件“{target.name}”正被其他程序打开，请关闭后重试。")
            return False

        def done(result):
            path, _counts = result
            self.status.emit(f"已保存打印包：{path}")
            self.saved.emit(path)

        return self._packet(target, packet_all, done)


__all__ = ["PreviewController", "PreviewPanel", "PrintFlow", "field_of"]
