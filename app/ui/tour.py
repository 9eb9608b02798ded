"""Walk every page of both wizards: a smoke test for CI and the packaged build, and the docs' screenshots."""

from __future__ import annotations

import sys
from pathlib import Path

from app import paths

EXAMPLES = {"school": "school-math-graphics.json", "studio": "studio-chinese-reading.json"}


def _visit(window, app, case_type: str):
    window.open_example(paths.examples_dir() / EXAMPLES[case_type])
    wizard = window.wizard
    for pid in wizard.pageIds():
        wizard.go_to(pid)
        app.processEvents()
        yield pid, wizard.page(pid)


def smoke_tour(window, app) -> int:
    window.show()
    app.processEvents()
    pages = 0
    for case_type in EXAMPLES:
        for _pid, page in _visit(window, app, case_type):
            if not page.isVisible():
                print(f"页面“{page.heading}”没有显示", file=sys.stderr)
                return 1
            pages += 1
        window.session._set_dirty(False)  # nothing was typed: leave without questions
    print(f"smoke ok: main window and {pages} wizard pages")
    return 0


def screenshot_tour(window, app, out_dir: Path) -> int:
    out_dir.mkdir(parents=True, exist_ok=True)
    window.resize(1180, 820)
    window.show()
    app.processEvents()
    window.grab().save(str(out_dir / "00-start.png"))
    for case_type in EXAMPLES:
        for n, (_pid, page) in enumerate(_visit(window, app, case_type), start=1):
            name = out_dir / f"{case_type}-{n:02d}.png"
            window.grab().save(str(name))
            print(name)
        window.session._set_dirty(False)
    return 0
