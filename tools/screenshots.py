"""Regenerate docs/screenshots/: a PNG of the start page and of every wizard page of both examples.

    python tools/screenshots.py

Runs the app offscreen (`yanxiu --screenshots`); CJK fonts must be installed for readable text.
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
    sys.exit(subprocess.call([sys.executable, "-m", "app", "--screenshots", str(OUT)], cwd=ROOT))
