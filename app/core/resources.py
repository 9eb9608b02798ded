"""Which curriculum, platform catalogue and review data a form uses: its own pack's, else the built-in files.

A new year's notice may change the 课程内容 or the platform's channel names, so a pack that ships
resources/curriculum.toml (or platform.toml, review.toml) has it used for every case of that pack; a pack that
ships none of them falls back, file by file, to the ones bundled with the app.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app import paths

CURRICULUM, PLATFORM, REVIEW = "curriculum.toml", "platform.toml", "review.toml"
RESOURCE_FILES = (CURRICULUM, PLATFORM, REVIEW)


def resource_file(folder: Path | None, name: str) -> Path:
    """FOLDER/NAME when the pack ships it, else the built-in file."""
    if folder is not None and (Path(folder) / name).is_file():
        return Path(folder) / name
    return paths.resources_dir() / name


@dataclass(frozen=True)
class ResourceFiles:
    """The three data files one form reads, resolved once when its definition loads."""

    curriculum: Path
    platform: Path
    review: Path

    @classmethod
    def of(cls, folder: Path | None) -> "ResourceFiles":
        return cls(*(resource_file(folder, name) for name in RESOURCE_FILES))

    @classmethod
    def builtin(cls) -> "ResourceFiles":
        return cls.of(None)

    def read_curriculum(self):
        from app.core.curriculum import load_curriculum

        return load_curriculum(self.curriculum)

    def read_platform(self):
        from app.core.platform import load_platform

        return load_platform(self.platform)

    def read_review(self):
        from app.core.review.data import load_review

        return load_review(self.review)


def clear_caches() -> None:
    """Forget loaded resources: a pack folder being edited (pack check) must be read afresh."""
    from app.core.curriculum import load_curriculum
    from app.core.platform import load_platform
    from app.core.review.data import load_review

    for fn in (load_curriculum, load_platform, load_review):
        fn.cache_clear()
