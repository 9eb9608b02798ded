"""Start the desktop app (the wizards arrive with the Qt work; until then the command line is the way in)."""

from __future__ import annotations

import sys


def main_gui(args) -> int:
    print("图形界面尚在开发中。目前可用命令：yanxiu check 案例.json、yanxiu count 文本.txt、yanxiu export 案例.json --out 文件夹。",
          file=sys.stderr)
    return 2
