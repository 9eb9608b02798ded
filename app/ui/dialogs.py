"""File dialogs in Chinese: the system's own on Windows and macOS, and on Linux Qt's dialog, which the app's Chinese
translations cover (a desktop's native dialog follows the desktop's language, not the app's)."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget


def _options() -> QFileDialog.Option:
    if sys.platform.startswith("linux"):
        return QFileDialog.Option.DontUseNativeDialog
    return QFileDialog.Option(0)


def existing_folder(folder: str) -> str:
    """The folder itself, or its nearest ancestor that exists. Qt's dialogs given a folder that does not exist yet
    (文档/研修案例 before the first save) open in the program's own folder, or take its name for a file name."""
    if not folder:
        return folder
    path = Path(folder)
    while not path.is_dir() and path != path.parent:
        path = path.parent
    return str(path)


def open_file(parent: QWidget, title: str, folder: str, filters: str) -> str:
    path, _ = QFileDialog.getOpenFileName(parent, title, existing_folder(folder), filters, options=_options())
    return path


def open_files(parent: QWidget, title: str, folder: str, filters: str) -> list[str]:
    paths, _ = QFileDialog.getOpenFileNames(parent, title, existing_folder(folder), filters, options=_options())
    return paths


def save_file(parent: QWidget, title: str, suggested: str, filters: str) -> str:
    """`suggested`: the file's path; the dialog opens in its folder (or the nearest one that exists) with its name."""
    if suggested:
        target = Path(suggested)
        suggested = str(Path(existing_folder(str(target.parent))) / target.name)
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters, options=_options())
    return path


def choose_folder(parent: QWidget, title: str, folder: str) -> str:
    return QFileDialog.getExistingDirectory(parent, title, existing_folder(folder),
                                            QFileDialog.Option.ShowDirsOnly | _options())
