"""Regenerate docs/screenshots/: a PNG of the start page, of every wizard page of both examples, of the page list's
states and of the 编辑 menu, as a 1366×768 school screen shows them.

    python tools/screenshots.py

Runs the app in a real X window (`yanxiu --screenshots` under `xvfb-run` at 1366×768 with Qt's xcb platform), or
offscreen when xvfb-run is missing; CJK fonts must be installed for readable text.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"

if __name__ == "__main__":
    for old in OUT.glob("*.png"):
        old.unlink()
    import os
    import shutil

    cmd = [sys.executable, "-m", "app", "--screenshots", str(OUT)]
    env = dict(os.environ)
    if shutil.which("xvfb-run"):
        cmd = ["xvfb-run", "-a", "-s", "-screen 0 1366x768x24", *cmd]
        env["QT_QPA_PLATFORM"] = "xcb"
    else:
        env.pop("QT_QPA_PLATFORM", None)
    sys.exit(subprocess.call(cmd, cwd=ROOT, env=env))
