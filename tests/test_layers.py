"""The core runs without Qt, and rendering never touches Qt widgets: the layers stay visible and testable."""

import ast
import json
import subprocess
import sys

from tests.conftest import ROOT


def _imports(folder):
    for path in (ROOT / "app" / folder).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                yield path, [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                yield path, [node.module]


def test_core_never_imports_qt():
    offenders = [(p.name, m) for p, mods in _imports("core") for m in mods if m.split(".")[0] in ("PySide6", "shiboken6")]
    assert offenders == []


def test_core_and_rendering_do_not_import_the_ui():
    for folder in ("core", "render"):
        offenders = [(p.name, m) for p, mods in _imports(folder) for m in mods
                     if m.startswith("app.ui") or m.startswith("PySide6.QtWidgets")]
        assert offenders == [], folder


def _loaded_after(code: str, packages: tuple[str, ...]) -> list[str]:
    """Which of PACKAGES (or their submodules) a fresh interpreter has loaded after running CODE."""
    code += (f"\nimport json, sys; print(json.dumps(sorted(m for m in sys.modules"
             f" if any(m == p or m.startswith(p + '.') for p in {packages!r}))))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_importing_and_running_the_core_loads_no_qt():
    code = (
        "import pkgutil, importlib, app.core as c\n"
        "for m in pkgutil.iter_modules(c.__path__): importlib.import_module('app.core.' + m.name)\n"
        "from app.core.casefile import load_case; from app.core.rules import check_case\n"
        "check_case(load_case('examples/school-math-graphics.json'))\n"
    )
    assert _loaded_after(code, ("PySide6", "shiboken6")) == []


def test_resources_are_read_through_the_case_s_pack():
    """A pack's own curriculum, catalogue and review data serve its cases: code outside app/core/resources.py
    never asks a loader for "the" curriculum, which would quietly be the built-in one."""
    loaders = {"load_curriculum", "load_platform", "load_review"}
    offenders = []
    for folder in ("core", "render", "ui"):
        for path in (ROOT / "app" / folder).rglob("*.py"):
            if path.name == "resources.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in loaders:
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_rendering_for_the_preview_loads_neither_pypdf_nor_a_network_stack():
    """The preview renders all three documents on every edit pause: pypdf (with fontTools and cryptography) loads
    only for an export, and nothing on the way pulls in ssl, http.client or urllib.request (xml.sax.saxutils would:
    ~1 MB of memory for code an offline app never runs)."""
    code = (
        "from app.core.casefile import load_case\n"
        "from app.render.docx_render import render_case\n"
        "render_case(load_case('examples/school-math-graphics.json'))\n"
        "render_case(load_case('examples/studio-chinese-reading.json'))\n"
    )
    assert _loaded_after(code, ("pypdf", "ssl", "http.client", "urllib.request", "xml.sax")) == []


def test_the_start_window_is_up_before_the_qt_namespace_s_enums_are_made():
    """Start-up: PySide6 makes all 93 Python enums of the Qt namespace (~30 ms) at the first use of any of them, so
    the start window sets its few by name and they wait until a case opens. The window still shows its labels
    centred and as plain text, and maximised on a screen smaller than its comfortable size. (PySide6 adds `Qt` to
    QtCore's namespace only when it makes it: if an upgrade changes that, this test says so.)"""
    code = (
        "import tempfile\nfrom pathlib import Path\nfrom app.ui.launch import _app\n"
        "from app.ui.mainwindow import AppContext, MainWindow\nimport PySide6.QtCore as core\n"
        "app = _app(True); t = Path(tempfile.mkdtemp())\n"
        "w = MainWindow(AppContext(t / 'd', t / 's.json', t / 'e'), check_drafts=False); w.show(); app.processEvents()\n"
        "made = 'Qt' in core.__dict__\n"
        "from PySide6.QtCore import Qt\n"
        "n = w.start.notice\n"
        "print(json.dumps([made, w.isMaximized(), n.alignment() == Qt.AlignmentFlag.AlignCenter,"
        " n.textFormat() == Qt.TextFormat.PlainText, w.undo_act.shortcutContext() == Qt.ShortcutContext.WindowShortcut]))\n"
        "w.lock.release()\n"
    )
    out = subprocess.run([sys.executable, "-c", "import json\n" + code], capture_output=True, text=True, cwd=ROOT,
                         check=True, env=dict(__import__("os").environ)).stdout
    made, maximized, centred, plain, window_wide = json.loads(out.strip().splitlines()[-1])
    assert not made
    assert maximized  # the offscreen screen (800×600) is smaller than the comfortable size
    assert centred and plain and window_wide


def test_the_sources_pyside6_reads_are_forgotten_once_the_window_and_the_preview_are_up(soffice):  # noqa: ARG001
    """Memory: PySide6 reads the source of each module imported after it, and linecache would keep the lines for
    good (app/sources.py). Once the window is up, a case open and its preview refreshed, none of them is kept:
    neither ours nor python-docx's, Jinja's, lxml's or PDFium's. And the preview shows the pages all the same."""
    code = (
        "import json, linecache, sys, tempfile, time\nfrom pathlib import Path\nfrom app import paths\n"
        "from app.ui.launch import _app\nfrom app.ui.mainwindow import AppContext, MainWindow\n"
        "app = _app(True); t = Path(tempfile.mkdtemp())\n"
        "w = MainWindow(AppContext(t / 'd', t / 's.json', t / 'e'), check_drafts=False); w.show(); app.processEvents()\n"
        "kept = {'start': sorted(linecache.cache)}\n"
        "w.open_example(paths.examples_dir() / 'school-math-graphics.json')\n"
        "kept['case open'] = sorted(linecache.cache)\n"
        "c = w.current_tab.preview; c.delay_ms = 50\n"
        "deadline = time.time() + 240\n"
        "while time.time() < deadline and not (c.docs and not c.busy and c.current_images()):\n"
        "    app.processEvents(); time.sleep(0.01)\n"
        "kept['preview'] = sorted(linecache.cache)\n"
        "print(json.dumps([kept, sorted(c.docs), 'docx' in sys.modules]))\n"
        "w.converters.close(); w.lock.release()\n"
    )
    env = {**__import__("os").environ, "YANXIU_PDF_BACKEND": "libreoffice"}  # the suite's 1366×768 screen
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True,
                         env=env, timeout=300).stdout
    kept, docs, rendered = json.loads(out.strip().splitlines()[-1])
    assert kept == {"start": [], "case open": [], "preview": []}
    assert docs == ["info", "plan", "report"] and rendered
