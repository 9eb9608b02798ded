"""File dialogs in Chinese: the system's own on Windows and macOS, and on Linux Qt's dialog, which the app's Chinese
translations cover (a desktop's native dialog follows the desktop's language, not the app's)."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QFileDialog, QWidget


def _options() -> QFileDialog.Option:
    if sys.platform.startswith("linux"):
        return QFileDialog.Option.DontUseNativeDialog
    return QFileDialog.Option(0)


def open_file(parent: QWidget, title: str, folder: str, filters: str) -> str:
    path, _ = QFileDialog.getOpenFileName(parent, title, folder, filters, options=_options())
    return path


def open_files(parent: QWidget, title: str, folder: str, filters: str) -> list[str]:
    paths, _ = QFileDialog.getOpenFileNames(parent, title, folder, filters, options=_options())
    return paths


def save_file(parent: QWidget, title: str, suggested: str, filters: str) -> str:
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters, options=_options())
    return path


def choose_folder(parent: QWidget, title: str, folder: str) -> str:
    return QFileDialog.getExistingDirectory(parent, title, folder, QFileDialog.Option.ShowDirsOnly | _options())
