"""Where bundled files are read and writable files go, from source and from a PyInstaller bundle alike."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs

from app import APP_NAME


def bundle_root() -> Path:
    """The folder holding forms/, templates_docx/ and resources/ (read-only)."""
    meipass = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and meipass:
        return Path(meipass)
    return Path(__file__).resolve().parent.parent


def forms_dir() -> Path:
    return bundle_root() / "forms"


def templates_dir() -> Path:
    return bundle_root() / "templates_docx"


def resources_dir() -> Path:
    return bundle_root() / "resources"


def examples_dir() -> Path:
    return bundle_root() / "examples"


def user_data_dir() -> Path:
    """Autosaves and recent-case lists: personal data stays here, never in the bundle."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def user_config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def user_cache_dir() -> Path:
    """The LibreOffice profile and temporary renders."""
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def user_log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def user_packs_dir() -> Path:
    """Form packs a teacher imported (文件 → 导入表单包…), one folder each."""
    return user_data_dir() / "packs"
