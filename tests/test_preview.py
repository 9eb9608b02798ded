"""The 预览 beside the wizard, printing the 打印包 and `yanxiu preview`: real widgets (offscreen), real LibreOffice
conversions, PDFs read back with pypdf and PDFium."""

import threading
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

from app.core.casefile import load_case
from app.core.settings import Settings
from app.render.docx_render import export_docx
from app.render.pdf.select import ConverterHolder
from app.ui.mainwindow import AppContext, MainWindow
from app.ui.preview import MISSING_CONVERTER
from tests.conftest import SCHOOL_EXAMPLE, STUDIO_EXAMPLE, run_cli

pytestmark = pytest.mark.libreoffice
SETTLE_MS = 180_000


class CountingHolder(ConverterHolder):
    """The app's converter holder, recording every conversion and the thread it ran on."""

    def __init__(self):
        super().__init__(Settings(pdf_backend="libreoffice"))
        self.calls: list[tuple[tuple[str, ...], threading.Thread]] = []

    def get(self):
        converter = super().get()
        if converter is not None and not getattr(converter, "_counted", False):
            real = converter.convert

            def convert(files, out_dir, progress=None, **kwargs):  # e.g. `ready` (app/render/pdf/base.py)
                self.calls.append((tuple(Path(f).stem for f in files), threading.current_thread()))
                return real(files, out_dir, progress, **kwargs)

            converter.convert = convert
            converter._counted = True
        return converter


@pytest.fixture(scope="module")
def holder(soffice):
    h = CountingHolder()
    yield h
    h.close()


@pytest.fixture
def window(qtbot, tmp_path, holder, monkeypatch):
    monkeypatch.setenv("YANXIU_PDF_BACKEND", "libreoffice")
    made = []

    def make(example=SCHOOL_EXAMPLE, converters=holder):
        w = MainWindow(AppContext(tmp_path / "data", tmp_path / "settings.json", tmp_path / "export"),
                       check_drafts=False)
        w._converters = converters  # one warm LibreOffice for the module, as one app session keeps one
        w.ask_unsaved = lambda: "discard"
        qtbot.addWidget(w)
        w.resize(1366, 740)
        w.show()
        w.open_example(example)
        made.append(w)
        return w

    yield make
    for w in made:
        for tab in w.case_tabs:
            tab.close_session()
        w._converters = None  # the module's converter outlives each window
        w.lock.release()


def settle(qtbot, tab):
    c = tab.preview
    qtbot.waitUntil(lambda: not c.stale and not c.busy and bool(c.docs or c.message), timeout=SETTLE_MS)
    return c


def pdf_pages(case, holder, tmp_path) -> dict[str, int]:
    """Page counts the export itself produces: docx written, converted, counted by pypdf."""
    docx = export_docx(case, tmp_path / "independent")
    pdfs = holder.get().convert(docx, tmp_path / "independent" / "pdf")
    return {key: len(PdfReader(str(p)).pages) for key, p in zip(("info", "plan", "report"), pdfs)}


@pytest.mark.parametrize("example", [SCHOOL_EXAMPLE, STUDIO_EXAMPLE])
def test_the_preview_shows_each_documents_pages(window, qtbot, holder, tmp_path, example):
    w = window(example)
    tab = w.current_tab
    c = settle(qtbot, tab)
    assert c.message == ""
    expected = pdf_pages(load_case(example), holder, tmp_path)
    form = w.session.case.form
    labels = [tab.preview_panel.docs_bar.tabText(i) for i in range(3)]
    assert labels == [f"{form.document(d).file_stem} {expected[d]}页" for d in ("info", "plan", "report")]
    qtbot.waitUntil(lambda: sorted(c.current_images()) == c.wanted_pages(), timeout=30_000)
    assert c.wanted_pages()[0] == 0 and len(c.wanted_pages()) == min(2, expected[c.shown_doc])  # all that is in view
    first = c.current_images()[0]
    assert first.width() >= 100 and abs(first.height() / first.width() - 297 / 210) < 0.02  # an A4 page
    assert not first.isNull() and first.pixelColor(first.width() // 2, 3).lightness() > 240  # paper, not a blank
    # The page images are those of the converted PDF: the info sheet's title is on its first page.
    assert form.document("info").title in c.docs["info"].texts[0]


def test_an_edit_re_renders_only_its_document(window, qtbot, holder):
    w = window()
    tab = w.current_tab
    c = settle(qtbot, tab)
    before = dict(c.docs)
    started = []
    c.refresh_started.connect(started.append)
    c.delay_ms = 200
    w.session.set("summary", w.session.get("summary") + "补充一句。")  # printed on the info sheet only
    settle(qtbot, tab)
    assert started == [("info",)]
    assert c.docs["plan"] is before["plan"] and c.docs["report"] is before["report"]
    assert c.docs["info"] is not before["info"]
    assert "补充一句" in "".join(c.docs["info"].texts)
    w.session.set("report_improvement", w.session.get("report_improvement") + "再改进。")  # the report only
    settle(qtbot, tab)
    assert started == [("info",), ("report",)]
    assert c.docs["plan"] is before["plan"]


def test_a_burst_of_edits_is_one_refresh_and_typing_never_converts(window, qtbot, holder):
    w = window()
    tab = w.current_tab
    c = settle(qtbot, tab)
    editor = w.wizard.editor("summary")
    w.wizard.go_to_field("summary")
    calls_before = len(holder.calls)
    started = []
    c.refresh_started.connect(started.append)
    text = w.session.get("summary")
    for i in range(20):  # faster than the 1.5 s pause the preview waits for
        editor.box.setPlainText(text + "加" * (i + 1))
        qtbot.wait(30)
        assert len(holder.calls) == calls_before  # the typing path never reaches the converter
        assert c.stale
    assert started == []
    settle(qtbot, tab)
    assert len(started) == 1
    assert len(holder.calls) == calls_before + 1
    assert all(thread is not threading.main_thread() for _docs, thread in holder.calls[calls_before:])
    assert "加" * 20 in "".join(c.docs["info"].texts)


def test_a_background_tab_waits_and_holds_no_pixels_until_it_is_current_again(window, qtbot):
    w = window(SCHOOL_EXAMPLE)
    school = w.current_tab
    settle(qtbot, school)
    qtbot.waitUntil(lambda: bool(school.preview.current_images()), timeout=30_000)
    w.open_example(STUDIO_EXAMPLE)
    studio = w.current_tab
    assert studio is not school
    assert school.preview.images == {}  # off screen: its page images are released
    started = []
    school.preview.refresh_started.connect(started.append)
    school.preview.delay_ms = 50
    school.session.set("summary", school.session.get("summary") + "后台补一句。")
    settle(qtbot, studio)
    qtbot.wait(300)
    assert started == [] and school.preview.stale  # edited while hidden: nothing rendered for a tab not shown
    w.tabs.setCurrentWidget(school)
    assert studio.preview.images == {}
    c = school.preview
    # Until the new pages come, the last ones are there again, under the veil that says they are older.
    qtbot.waitUntil(lambda: bool(c.current_images()), timeout=30_000)
    assert c.stale and "后台补一句" not in "".join(c.docs["info"].texts)
    settle(qtbot, school)
    assert started == [("info",)]
    assert "后台补一句" in "".join(c.docs["info"].texts)
    qtbot.waitUntil(lambda: sorted(c.current_images()) == c.wanted_pages() != [], timeout=30_000)
    w.tabs.setCurrentWidget(studio)  # back to a tab whose pages did not change: drawn again without converting
    qtbot.waitUntil(lambda: sorted(studio.preview.current_images()) == studio.preview.wanted_pages() != [],
                    timeout=30_000)
    assert not studio.preview.stale


def test_pages_are_drawn_as_they_come_near_the_view(window, qtbot):
    w = window(SCHOOL_EXAMPLE)
    tab = w.current_tab
    c = settle(qtbot, tab)
    panel = tab.preview_panel
    panel.show_page("report", 0)
    count = c.docs["report"].count
    view = panel.scroll.viewport().height()
    rects = panel.canvas.page_rects()
    assert rects[-1].top() > 2 * view  # the report reaches beyond a view's height below the view
    qtbot.waitUntil(lambda: bool(c.current_images()) and not c.busy, timeout=30_000)
    drawn = sorted(c.current_images())
    assert drawn == [i for i, r in enumerate(rects) if r.top() <= 2 * view] and count - 1 not in drawn
    panel.show_page("report", count - 1)  # scrolled to the last page: it is drawn, the first let go
    qtbot.waitUntil(lambda: count - 1 in c.current_images() and not c.busy, timeout=30_000)
    last = c.current_images()[count - 1]
    assert abs(last.width() - c.width_px) <= 2 and not last.isNull()  # the panel's width (set_width's tolerance)
    assert 0 not in c.current_images()
    # What she sees there is that page's image, not the placeholder.
    panel.canvas.repaint()
    shot = panel.canvas.grab(rects[count - 1].toRect()).toImage().scaled(last.size())
    grid = [(last.width() * x // 20, last.height() * y // 20) for x in range(1, 20) for y in range(1, 20)]
    assert any(last.pixelColor(x, y).lightness() < 200 for x, y in grid)  # the page has print on it
    same = sum(abs(shot.pixelColor(x, y).lightness() - last.pixelColor(x, y).lightness()) < 40 for x, y in grid)
    assert same >= 0.95 * len(grid)


def test_the_flowchart_is_drawn_on_the_ui_thread(window, qtbot, monkeypatch):
    """A worker drawing it would map the CJK font files a second time (Qt's font engines are per thread)."""
    import app.render.diagram as diagram

    threads = []
    real = diagram.flowchart_parts

    def recording(*args, **kwargs):
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(diagram, "flowchart_parts", recording)
    diagram._document_parts.cache_clear()
    w = window(STUDIO_EXAMPLE)
    c = settle(qtbot, w.current_tab)
    assert c.message == "" and c.docs["plan"].count >= 1
    assert threads and all(t is threading.main_thread() for t in threads)


def test_without_a_converter_the_preview_says_what_to_install(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("YANXIU_PDF_BACKEND", "none")
    w = MainWindow(AppContext(tmp_path / "data", tmp_path / "settings.json", tmp_path / "export"), check_drafts=False)
    qtbot.addWidget(w)
    w.show()
    w.open_example(SCHOOL_EXAMPLE)
    tab = w.current_tab
    tab.preview.delay_ms = 50
    qtbot.waitUntil(lambda: tab.preview.message != "", timeout=10_000)
    panel = tab.preview_panel
    assert panel.message.isVisible() and panel.message.text() == MISSING_CONVERTER
    assert "LibreOffice" in panel.message.text() and "WPS" in panel.message.text()
    assert panel.retry_btn.isVisible()
    assert panel.docs_bar.tabText(0).startswith("案例信息表 约") and panel.docs_bar.tabText(0).endswith("页")
    failures = []
    tab.print_failed = failures.append
    tab.printing.failed.disconnect()
    tab.printing.failed.connect(tab.print_failed)
    assert not tab.print_packet()  # printing says what to install too
    assert failures and "LibreOffice" in failures[0]
    tab.close_session()
    w.lock.release()


def test_the_wheel_over_the_zoom_box_leaves_the_zoom_alone_until_she_clicks_it(qtbot, tmp_path, monkeypatch):
    """Scrolling the preview with the wheel passes over its zoom box: unfocused, it must not change (as on the
    pages); clicked, it takes the wheel as a combo box does."""
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    monkeypatch.setenv("YANXIU_PDF_BACKEND", "none")
    w = MainWindow(AppContext(tmp_path / "data", tmp_path / "settings.json", tmp_path / "export"), check_drafts=False)
    qtbot.addWidget(w)
    w.show()
    w.open_example(SCHOOL_EXAMPLE)
    box = w.current_tab.preview_panel.zoom_box
    qtbot.waitExposed(box)

    def wheel():
        pos = QPointF(box.rect().center())
        event = QWheelEvent(pos, QPointF(box.mapToGlobal(pos.toPoint())), QPoint(0, 0), QPoint(0, -120),
                            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
                            False)
        QApplication.sendEvent(box, event)

    before = box.currentIndex()
    wheel()
    wheel()
    assert box.currentIndex() == before and w.current_tab.preview_panel.zoom == "fit_width"
    box.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.waitUntil(box.hasFocus, timeout=2000)
    wheel()
    assert box.currentIndex() != before
    w.current_tab.close_session()
    w.lock.release()


def test_a_library_the_preview_cannot_load_is_said_in_the_panel_not_a_crash(window, qtbot, monkeypatch):
    """A damaged installation (a rendering library missing): the preview says so and the wizard goes on."""
    import app.ui.preview as preview_ui

    monkeypatch.setattr(preview_ui, "LIBRARIES", ("yanxiu_no_such_library",))
    w = window()
    c = w.current_tab.preview
    c.refresh_now()
    qtbot.waitUntil(lambda: c.message != "", timeout=10_000)
    assert c.message.startswith("预览没有更新：") and "yanxiu_no_such_library" in c.message and "重新安装" in c.message
    assert not c.busy and not c.docs
    assert w.current_tab.preview_panel.message.text() == c.message
    w.wizard.editor("theme").edit.setText("改一下")  # the case is still edited as before
    assert w.session.get("theme") == "改一下"


def test_following_the_field_and_a_check_finding(window, qtbot):
    w = window()
    tab = w.current_tab
    c = settle(qtbot, tab)
    w.wizard.go_to_field("report_improvement")  # the last section of the report
    qtbot.waitUntil(lambda: c.shown_doc == "report", timeout=5000)
    page = c.locate("report_improvement")[1]
    assert page is not None and page >= 2
    qtbot.waitUntil(lambda: tab.preview_panel.visible_page() == page, timeout=5000)
    w.wizard.go_to_field("needs")
    qtbot.waitUntil(lambda: c.shown_doc == "plan", timeout=5000)
    # A finding on 检查 shows the page its field lands on.
    w.session.set("keywords", [])
    check = w.wizard.check_page
    w.wizard.go_to(w.wizard.pageIds()[w.wizard.all_pages.index(check)])
    item = next(check.tree.topLevelItem(i).child(j) for i in range(check.tree.topLevelItemCount())
                for j in range(check.tree.topLevelItem(i).childCount())
                if check.tree.topLevelItem(i).child(j).data(0, 256) == "keywords")
    check.tree.setCurrentItem(item)
    assert c.shown_doc == "info"


def _page_image(pdf, index):
    """A page's layout in grey levels: drawn at 150 dpi, then averaged down to 60 × 85 (resampling of thin lines
    then no longer matters, the layout does)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    from app.render.preview import rasterise

    image = rasterise(pdf, dpi=150, pages=[index])[0].scaled(
        60, 85, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation)
    image = image.convertToFormat(QImage.Format.Format_Grayscale8)
    return [[image.pixelColor(x, y).value() for x in range(image.width())] for y in range(image.height())]


def _differs(a, b) -> float:
    return sum(abs(a[y][x] - b[y][x]) for y in range(len(a)) for x in range(len(a[0]))) / (len(a) * len(a[0]))


@pytest.mark.parametrize("packet_all", [True, False])
def test_printing_to_a_pdf_printer_gives_the_packet_info_sheet_first(window, qtbot, tmp_path, packet_all):
    from PySide6.QtPrintSupport import QPrinter

    w = window()
    tab = w.current_tab
    c = settle(qtbot, tab)
    tab.preview_panel.packet_all.setChecked(packet_all)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setResolution(150)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    with qtbot.waitSignal(tab.printing.printed, timeout=SETTLE_MS) as blocker:
        assert tab.print_packet(printer)
    counts = {d: c.docs[d].count for d in ("info", "plan", "report")}
    expected = sum(counts.values()) if packet_all else counts["info"]
    assert blocker.args == [expected]
    reader = PdfReader(str(out))
    assert len(reader.pages) == expected
    assert all(abs(float(p.mediabox.width) - 595) < 3 for p in reader.pages)  # A4, as the documents
    assert reader.pages[0]["/Resources"]["/XObject"]  # drawn from PDFium's page images
    printed_first = _page_image(str(out), 0)
    info_first = _page_image(c.docs["info"].pdf, 0)
    plan_first = _page_image(c.docs["plan"].pdf, 0)
    assert _differs(printed_first, info_first) < 0.2 * _differs(printed_first, plan_first)  # the info sheet first
    if packet_all:  # then the plan
        assert _differs(_page_image(str(out), counts["info"]), plan_first) < 0.2 * _differs(printed_first, plan_first)


def test_save_the_print_packet(window, qtbot, tmp_path):
    w = window(STUDIO_EXAMPLE)
    tab = w.current_tab
    target = tmp_path / "打印包.pdf"
    with qtbot.waitSignal(tab.printing.saved, timeout=SETTLE_MS):
        assert tab.save_packet(target)
    reader = PdfReader(str(target))
    form = w.session.case.form
    assert form.document("info").title in "".join(reader.pages[0].extract_text().split())
    assert len(reader.pages) >= 3


def test_yanxiu_preview_writes_a_png_per_page(tmp_path, holder):
    for example in (SCHOOL_EXAMPLE, STUDIO_EXAMPLE):
        out = tmp_path / example.stem
        result = run_cli("preview", str(example), "--out", str(out), "--dpi", "40")
        assert result.returncode == 0, result.stderr.decode()
        case = load_case(example)
        expected = pdf_pages(case, holder, tmp_path / example.stem)
        for key, n in expected.items():
            stem = case.form.document(key).file_stem
            pngs = sorted(out.glob(f"{stem}-*.png"))
            assert len(pngs) == n
            assert pngs[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert len(list(out.glob("*.png"))) == sum(expected.values())
        assert [Path(line).name for line in result.stdout.decode().split()] == \
            [p.name for p in sorted(out.glob("*.png"), key=lambda p: result.stdout.decode().index(p.name))]


def test_yanxiu_preview_without_a_converter_exits_4(tmp_path, monkeypatch):
    monkeypatch.setenv("YANXIU_PDF_BACKEND", "none")
    result = run_cli("preview", str(SCHOOL_EXAMPLE), "--out", str(tmp_path / "out"))
    assert result.returncode == 4
    err = result.stderr.decode()
    assert "LibreOffice" in err and "约" in err
    assert not (tmp_path / "out").exists()


def test_exported_documents_open_in_the_docx_program(qtbot, tmp_path, monkeypatch):
    from PySide6.QtGui import QDesktopServices

    monkeypatch.setenv("YANXIU_PDF_BACKEND", "none")
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    w = MainWindow(AppContext(tmp_path / "data", tmp_path / "settings.json", tmp_path / "export"), check_drafts=False)
    qtbot.addWidget(w)
    w.show()
    w.open_example(STUDIO_EXAMPLE)
    page = w.wizard.export_page
    w.wizard.go_to(w.wizard.pageIds()[w.wizard.all_pages.index(page)])
    page.folder.setText(str(tmp_path / "out"))
    page.open_after.setChecked(False)
    page.open_docs_after.setChecked(True)
    assert not page.open_docs_btn.isEnabled()  # nothing exported yet
    with qtbot.waitSignal(page.done, timeout=60_000):
        page.docx_btn.click()
    assert sorted(Path(p).name for p in opened) == sorted(p.name for p in (tmp_path / "out").glob("*.docx"))
    assert len(opened) == 3
    opened.clear()
    page.open_docs_btn.click()  # again, by the button
    assert len(opened) == 3 and all(p.endswith(".docx") for p in opened)
    for tab in w.case_tabs:
        tab.close_session()
    w.lock.release()
