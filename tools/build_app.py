"""Build the onedir bundle, then prove it works: the frozen `yanxiu --smoke`, a frozen `yanxiu export` of both
examples (with --pdf where LibreOffice is present), and the size against a bare PySide6 window built by the same
spec. Writes build/build-report.json.

    python tools/build_app.py            # everything
    python tools/build_app.py --no-bare  # skip the size floor
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
DIST = BUILD / "dist"
EXAMPLES = ("school-math-graphics.json", "studio-chinese-reading.json")
SIZE_TARGET = 1.3


def _pyinstaller(target: str) -> float:
    env = dict(os.environ, YANXIU_BUILD_TARGET=target)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN", "--distpath",
                    str(DIST), "--workpath", str(BUILD / f"work-{target}"), str(ROOT / "build.spec")],
                   cwd=ROOT, env=env, check=True)
    return time.perf_counter() - t0


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def exe(name: str) -> Path:
    return DIST / name / (name + (".exe" if os.name == "nt" else ""))


def check_frozen(report: dict) -> None:
    app = exe("yanxiu")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    smoke = subprocess.run([str(app), "--smoke"], env=env, capture_output=True, text=True, timeout=300)
    # Judged by the exit code: a windowed Windows build has no stdout to read.
    report["smoke"] = {"returncode": smoke.returncode, "stdout": smoke.stdout.strip()}
    if smoke.returncode != 0:
        raise SystemExit(f"frozen smoke test failed:\n{smoke.stdout}\n{smoke.stderr}")
    # The bundled built-in pack is the sealed one: `pack list` names any bundled file that differs from its seal.
    listed = subprocess.run([str(app), "pack", "list"], env=env, capture_output=True, text=True, timeout=300)
    report["pack_list"] = {"returncode": listed.returncode, "stdout": listed.stdout.strip()}
    if listed.returncode != 0 or "注意：" in listed.stdout:
        raise SystemExit(f"frozen pack list failed or found a changed built-in file:\n{listed.stdout}\n{listed.stderr}")
    pdf = shutil.which("soffice") is not None or shutil.which("libreoffice") is not None
    report["exports"] = []
    with tempfile.TemporaryDirectory(prefix="yanxiu-frozen-") as tmp:
        for example in EXAMPLES:
            out = Path(tmp) / example
            args = [str(app), "export", str(ROOT / "examples" / example), "--out", str(out)] + (["--pdf"] if pdf else [])
            run = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)
            # The documents; the hidden manifest of what the export wrote (.yanxiu-manifest.json) is not one of them.
            files = sorted(p.name for p in out.glob("*") if not p.name.startswith(".")) if out.exists() else []
            report["exports"].append({"example": example, "returncode": run.returncode, "files": files})
            wanted = 6 if pdf else 3
            if run.returncode != 0 or len(files) != wanted:
                raise SystemExit(f"frozen export of {example} failed ({run.returncode}):\n{run.stdout}\n{run.stderr}")
        if pdf:  # the preview's renderer, frozen: PDFium found inside the bundle
            out = Path(tmp) / "pages"
            run = subprocess.run([str(app), "preview", str(ROOT / "examples" / EXAMPLES[0]), "--out", str(out),
                                  "--dpi", "30"], env=env, capture_output=True, text=True, timeout=300)
            pngs = sorted(p.name for p in out.glob("*.png")) if out.exists() else []
            report["preview"] = {"example": EXAMPLES[0], "returncode": run.returncode, "pngs": pngs}
            if run.returncode != 0 or not pngs:
                raise SystemExit(f"frozen preview failed ({run.returncode}):\n{run.stdout}\n{run.stderr}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-bare", action="store_true", help="skip the bare-window size floor")
    args = parser.parse_args()
    report: dict = {"platform": sys.platform}
    report["build_seconds"] = round(_pyinstaller("app"), 1)
    check_frozen(report)
    report["size_bytes"] = folder_size(DIST / "yanxiu")
    if not args.no_bare:
        _pyinstaller("bare")
        floor = folder_size(DIST / "bare-window")
        report["floor_size_bytes"] = floor
        report["size_ratio"] = round(report["size_bytes"] / floor, 3)
        report["size_target"] = SIZE_TARGET
    BUILD.mkdir(exist_ok=True)
    (BUILD / "build-report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    size_mb = report["size_bytes"] / 1024 / 1024
    line = f"bundle {size_mb:.0f} MB"
    if "size_ratio" in report:
        line += f", {report['size_ratio']:.2f}× the bare PySide6 window (target ≤ {SIZE_TARGET}×)"
    print(f"frozen smoke and exports passed; {line}; report in build/build-report.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
