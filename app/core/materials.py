"""Supporting materials (研修照片、过程材料、成果代表): adding files, sizes against the budget, safe names to copy."""

from __future__ import annotations

import re
from pathlib import Path

from app.core.model import Case, Material
from app.core.textclean import clean_text

PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".webp"}
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


class MaterialError(ValueError):
    """A supporting file cannot be added; str() says why in Chinese."""


def add_material(case: Case, path: Path, title: str = "", *, base_dir: Path | None = None) -> Material:
    """Add a file; stored relative to the case file's folder when it lies inside it (the pair travels together)."""
    path = Path(path)
    if not path.is_file():
        raise MaterialError(f"找不到文件“{path}”。")
    m = case.form.materials
    if len(case.materials) >= m.max_files:
        raise MaterialError(f"{m.label}最多{m.max_files}件，已经有{len(case.materials)}件。请先删去一件。")
    stored = str(path.resolve())
    if base_dir is not None:
        try:
            stored = str(path.resolve().relative_to(Path(base_dir).resolve()))
        except ValueError:
            pass
    material = Material(stored, clean_text(title or path.stem, multiline=False), path.stat().st_size)
    case.materials.append(material)
    return material


def resolve(material: Material, base_dir: Path | None) -> Path:
    p = Path(material.path)
    return p if p.is_absolute() or base_dir is None else Path(base_dir) / p


def safe_is_file(path: Path) -> bool:
    """is_file that answers False, instead of raising, for a path the OS cannot even look up (too long, NUL)."""
    try:
        return Path(path).is_file()
    except (OSError, ValueError):
        return False


def total_size(case: Case, base_dir: Path | None) -> int:
    total = 0
    for m in case.materials:
        p = resolve(m, base_dir)
        try:
            total += p.stat().st_size if p.is_file() else m.size
        except (OSError, ValueError):
            total += m.size
    return total


def package_names(case: Case) -> list[str]:
    """01-课例研讨现场照片.jpg …: numbered in the teacher's order, titles made safe for Windows."""
    names = []
    for i, m in enumerate(case.materials, start=1):
        title = _UNSAFE.sub("", m.title).strip(" .")[:40] or Path(m.path).stem
        names.append(f"{i:02d}-{title}{Path(m.path).suffix.lower()}")
    return names


def is_photo(path: Path) -> bool:
    return Path(path).suffix.lower() in PHOTO_SUFFIXES


def format_size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f}MB"
    return f"{round(n / 1024)}KB" if n == 0 or n >= 512 else "1KB"
