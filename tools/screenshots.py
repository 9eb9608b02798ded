"""Regenerate docs/screenshots/: a PNG of the start page, of every wizard page of both examples, of the preview
beside the 研修模式与流程 page, of the 导入Word文档 dialog, of the page list's states and of the 编辑 menu, as a
1366×768 school screen shows them, each once the preview shows the case's pages.

    python tools/screenshots.py

Runs the app in a real X window (`yanxiu --screenshots` under `xvfb-run` at 1366×768 with Qt's xcb platform), or
offscreen when xvfb-run is missing; CJK fonts must be installed for readable text. The shots are taken into a
folder of their own and then replace their namesakes in docs/screenshots/; other files there are left alone, and
a failed run changes nothing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
# Wizard pages the tour once wrote and no longer does (a page removed from a form) go with the next run.
PAGE_SHOT = re.compile(r"(school|studio)-\d\d\.png")


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="yanxiu-shots-") as tmp:
        fresh = Path(tmp)
        cmd = [sys.executable, "-m", "app", "--screenshots", str(fresh)]
        env = dict(os.environ)
        if shutil.which("xvfb-run"):
            cmd = ["xvfb-run", "-a", "-s", "-screen 0 1366x768x24", *cmd]
            env["QT_QPA_PLATFORM"] = "xcb"
        else:
            env.pop("QT_QPA_PLATFORM", None)
        code = subprocess.call(cmd, cwd=ROOT, env=env)
        made = sorted(p.name for p in fresh.glob("*.png"))
        if code != 0 or not made:
            print(f"截图没有完成（退出码 {code}）：docs/screenshots/ 未改动", file=sys.stderr)
            return code or 1
        OUT.mkdir(parents=True, exist_ok=True)
        for name in made:
            shutil.copyfile(fresh / name, OUT / f".{name}.tmp")
            os.replace(OUT / f".{name}.tmp", OUT / name)
        for old in OUT.glob("*.png"):
            if PAGE_SHOT.fullmatch(old.name) and old.name not in made:
                old.unlink()
    print(f"{len(made)} screenshots in {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
