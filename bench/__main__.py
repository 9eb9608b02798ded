"""`python -m bench`: every benchmark of the project in one run — a table (figure, ours, floor, ratio, target) and
JSON in build/bench-results.json. Each figure is measured against its floor in the same run.

    python -m bench             # all figures (builds the bundle for the size budget unless a report exists)
    python -m bench --rebuild   # rebuild the bundle first
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time

from bench.common import ROOT, Figure, print_table


def size_figures(rebuild: bool) -> list[Figure]:
    report_path = ROOT / "build" / "build-report.json"
    if rebuild or not report_path.is_file():
        subprocess.run([sys.executable, str(ROOT / "tools" / "build_app.py")], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    report = json.loads(report_path.read_text(encoding="utf-8"))
    if "floor_size_bytes" not in report:
        return []
    mb = 1024 * 1024
    return [Figure("bundle size vs a bare PySide6 QMainWindow bundle (MB)", report["size_bytes"] / mb,
                   report["floor_size_bytes"] / mb, "MB", report.get("size_target", 1.3), note="tools/build_app.py")]


def main() -> int:
    parser = argparse.ArgumentParser(description="Run every benchmark and compare each figure with its floor.")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the PyInstaller bundle for the size figure")
    args = parser.parse_args()
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    # Widgets need a QApplication; rendering would otherwise create a bare QGuiApplication first.
    app = QApplication.instance() or QApplication(sys.argv[:1])  # noqa: F841 - kept alive for the whole run
    from bench import bench_core, bench_pdf, bench_preview, bench_render, bench_review, bench_ui

    t0 = time.perf_counter()
    figures: list[Figure] = []
    for module in (bench_core, bench_review, bench_render, bench_pdf, bench_preview, bench_ui):
        figures += module.run()
    figures += size_figures(args.rebuild)
    elapsed = time.perf_counter() - t0
    print_table(figures)
    missed = [f.name for f in figures if not f.ok]
    print(f"\n{len(figures)} figures in {elapsed:.0f} s; {len(figures) - len(missed)} within target"
          + (f", missed: {'; '.join(missed)}" if missed else ""))
    out = ROOT / "build" / "bench-results.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"machine": platform.platform(), "python": platform.python_version(),
                               "seconds": round(elapsed, 1), "figures": [f.as_dict() for f in figures]},
                              ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"JSON: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
