"""Uncaught exceptions: written to the log folder, the open case saved to its draft, a Chinese message shown —
never a silent exit that loses typing."""

from __future__ import annotations

import logging
import sys
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path

log = logging.getLogger("yanxiu")


def setup_logging(folder: Path) -> Path | None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "yanxiu.log"
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        return None  # a read-only profile must not stop the app from starting
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    return path


def install_excepthook(window_getter, log_path: Path | None) -> None:
    def hook(exc_type, exc, tb) -> None:
        log.error("uncaught exception:\n%s", "".join(traceback.format_exception(exc_type, exc, tb)))
        window = window_getter()
        saved = False
        if window is not None:
            try:
                saved = window.save_drafts()
            except Exception:  # noqa: BLE001 - the hook must never raise
                pass
        try:
            from PySide6.QtWidgets import QMessageBox

            where = f"\n详细信息已记录在：{log_path}" if log_path else ""
            keep = "当前内容已自动保存，重新打开软件时可以恢复。" if saved else ""
            QMessageBox.critical(window, "程序出错", f"程序遇到了一个错误（{exc_type.__name__}）。{keep}{where}")
        except Exception:  # noqa: BLE001
            sys.__excepthook__(exc_type, exc, tb)

    sys.excepthook = hook
