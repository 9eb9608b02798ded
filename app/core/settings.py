"""The teacher's preferences (LibreOffice path, PDF backend, recent cases, last folder), in the config folder."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from app import paths
from app.core.atomic import atomic_write_bytes

PDF_BACKENDS = ("auto", "word", "wps", "libreoffice", "none")
MAX_RECENT = 10


@dataclass
class Settings:
    pdf_backend: str = "auto"
    soffice_path: str = ""
    fangsong_for_gb2312: bool = True  # 仿宋_GB2312 missing: print with 仿宋 (GB/T 9704 asks only for 仿宋体)
    recent_cases: list[str] = field(default_factory=list)
    last_export_dir: str = ""
    school_system: str = "六三"
    window_geometry: dict = field(default_factory=dict)  # per screen setup: {"geometry": base64, "maximized": bool}

    def add_recent(self, path: Path | str) -> None:
        p = str(Path(path))
        self.recent_cases = [p] + [r for r in self.recent_cases if r != p]
        del self.recent_cases[MAX_RECENT:]


def settings_path() -> Path:
    return paths.user_config_dir() / "settings.json"


def load_settings(path: Path | None = None) -> Settings:
    """Never fails: a missing, damaged or foreign settings file means defaults."""
    path = path or settings_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    if not isinstance(raw, dict):
        return Settings()
    s = Settings()
    for f in fields(Settings):
        value = raw.get(f.name)
        default = getattr(s, f.name)
        if isinstance(value, type(default)) and not (isinstance(default, bool) != isinstance(value, bool)):
            setattr(s, f.name, value)
    if s.pdf_backend not in PDF_BACKENDS:
        s.pdf_backend = "auto"
    s.recent_cases = [r for r in s.recent_cases if isinstance(r, str)][:MAX_RECENT]
    return s


def save_settings(s: Settings, path: Path | None = None) -> None:
    path = path or settings_path()
    atomic_write_bytes(path, json.dumps(asdict(s), ensure_ascii=False, indent=2).encode("utf-8"))
