"""The 预览 against its floors, in the same run: a refresh after one edit vs a warm conversion of that one document
by itself, rasterising vs pypdfium2 rendering the same PDF bare, and peak memory with the preview open on both
examples vs a bare window drawing the same text."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from bench.common import ROOT, Figure, best_of, print_table

PREVIEW_MEMORY = """
import sys, tempfile, time
from pathlib import Path
from app import paths
from app.ui.launch import _app
from app.ui.mainwindow import AppContext, MainWindow
from app.ui.tour import EXAMPLES
app = _app(True)
t = Path(tempfile.mkdtemp())
w = MainWindow(AppContext(t / "d", t / "s.json", t / "e"), check_drafts=False); w.resize(1366, 740); w.show()
for case_type in ("school", "studio"):
    w.open_example(paths.examples_dir() / EXAMPLES[case_type])
    c = w.current_tab.preview
    c.delay_ms = 50
    deadline = time.time() + 300
    while time.time() < deadline and not (c.docs and not c.stale and not c.busy and c.current_images()):
        app.processEvents(); time.sleep(0.01)
    assert c.current_images(), c.message
for tab in w.case_tabs:  # every document of both cases shown once
    w.tabs.setCurrentWidget(tab)
    for doc in ("info", "plan", "report"):
        tab.preview_panel.show_page(doc, 0)
        deadline = time.time() + 60
        while time.time() < deadline and (tab.preview.busy or not tab.preview.current_images()):
            app.processEvents(); time.sleep(0.01)
""" + "\n" + """
def peak_kb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
print(peak_kb())
w.converters.close()
w.lock.release()
"""


def _wait(signal, until, timeout=300.0) -> None:
    """Run the event loop, as the app's UI thread does, until `until()` holds after `signal`. (Polling here instead,
    processEvents every 2 ms, would take the GIL from the refresh's worker hundreds of times: a cost the app, idle
    in its event loop, does not have and the floor, one blocking call, does not pay.)"""
    from PySide6.QtCore import QEventLoop, QTimer

    if until():
        return
    loop = QEventLoop()
    expired = []

    def check():
        if until():
            loop.quit()

    def give_up():
        expired.append(True)
        loop.quit()

    signal.connect(check)
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(give_up)
    timer.start(int(timeout * 1000))
    try:
        loop.exec()
    finally:
        timer.stop()
        signal.disconnect(check)
    if expired and not until():
        raise TimeoutError("preview did not settle")


def _refresh_figures(repeat: int = 9) -> list[Figure]:
    from app.core.casefile import load_case
    from app.core.settings import Settings
    from app.render.docx_render import render_document
    from app.render.pdf.libreoffice import LibreOfficeConverter, find_soffice
    from app.render.pdf.select import ConverterHolder
    from app.render.preview import rasterise
    from app.ui.preview import PreviewController
    from app.ui.session import CaseSession

    soffice = find_soffice()
    if soffice is None:
        print("LibreOffice not found: preview benchmarks skipped")
        return []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        holder = ConverterHolder(Settings(pdf_backend="libreoffice"))
        conv = LibreOfficeConverter(soffice, profile_dir=tmp / "profile", keep_warm=True)
        holder._converter, holder._chosen = conv, True
        session = CaseSession(load_case(ROOT / "examples" / "school-math-graphics.json"))
        preview = PreviewController(session, holder)
        preview.width_px = 560  # the panel's fit-width at 1366×768
        preview.refresh_now()
        _wait(preview.changed, lambda: not preview.busy and preview.docs)
        conv.wait_warm(300)
        info_docx = tmp / "info.docx"
        ours, floor = [], []
        for i in range(repeat):
            # The floor: the warm converter converting the info sheet alone, from a file already written.
            info_docx.write_bytes(render_document(session.case, "info").data)
            t0 = time.perf_counter()
            conv.convert([info_docx], tmp / "floor")
            floor.append(time.perf_counter() - t0)
            # Ours: an edit of a field on the info sheet, then the refresh, until its page images are there.
            session.set("summary", session.get("summary") + "改")
            t0 = time.perf_counter()
            preview.refresh_now()
            _wait(preview.changed, lambda: not preview.busy and not preview.stale and len(preview.current_images()) > 0)
            ours.append(time.perf_counter() - t0)
        plan_pdf = preview.docs["plan"].pdf
        preview.close()
        conv.close()

    import pypdfium2 as pdfium

    def bare():
        doc = pdfium.PdfDocument(plan_pdf)
        for i in range(len(doc)):
            page = doc[i]
            page.render(scale=560 / page.get_size()[0]).close()
            page.close()
        doc.close()

    def ours_raster():
        rasterise(plan_pdf, width_px=560)

    bare()
    ours_raster()
    raster_floor, raster_ours = [], []
    for _ in range(9):  # taking turns, so drift in the machine's load falls on both
        raster_floor.append(best_of(bare, repeat=3))
        raster_ours.append(best_of(ours_raster, repeat=3))
    return [
        Figure("preview refresh after one edit vs a warm conversion of it (s)", min(ours), min(floor), "s", 1.3,
               note="ours: docxtpl, fonts, conversion, the page images; floor: the warm converter on that docx"),
        Figure("rasterising the plan's pages vs pypdfium2 bare (ms)", min(raster_ours) * 1e3,
               min(raster_floor) * 1e3, "ms", 1.2, note="ours adds the QImages; same width"),
    ]


def _memory_figure() -> list[Figure]:
    from app.render.pdf.libreoffice import find_soffice
    from bench.bench_ui import OUR_MEMORY, TEXT_FLOOR, _run

    if find_soffice() is None:
        return []
    with tempfile.TemporaryDirectory() as tmp:
        shown = Path(tmp) / "texts.json"
        _run(OUR_MEMORY, "open", str(shown))
        text_mem = int(_run(TEXT_FLOOR, str(shown)).strip().splitlines()[-1]) / 1024
    import subprocess

    from bench.bench_ui import _ENV

    env = dict(_ENV, YANXIU_PDF_BACKEND="libreoffice")
    out = subprocess.run([sys.executable, "-c", PREVIEW_MEMORY], env=env, cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    ours = int(out.strip().splitlines()[-1]) / 1024
    return [Figure("peak memory, preview open on both examples (MB)", ours, text_mem, "MB", 1.8,
                   note="floor: a bare window drawing the same text; LibreOffice runs in its own process")]


def run() -> list[Figure]:
    return _refresh_figures() + _memory_figure()


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    _app = QApplication.instance() or QApplication(sys.argv[:1])
    print_table(run())
