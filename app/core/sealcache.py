"""Which pack files were last found matching their seal, by size and times, so the start page need not re-hash
an unchanged pack at every start (nor load OpenSSL to do it).

The memory is a convenience in the user cache folder: missing, damaged or foreign, it is ignored and the files are
hashed. Only a file whose checksum matched the seal is remembered, with the checksum it matched; an edit changes
its modification time (and on POSIX its change time, which no program can set back), so it is hashed again and
reported. A file changed within the last seconds is not remembered: a coarse file-system clock could give an
edit made in the same tick the same time stamp (git's "racy" files).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

FILE_NAME = "pack-seals.json"
FORMAT = 1
RACY_NS = 3_000_000_000  # FAT keeps 2-second modification times


def _stamp(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns]


class SealMemory:
    """What was verified, per pack folder: relative path → [size, mtime_ns, ctime_ns, sha256]."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._packs: dict[str, dict[str, list]] = {}
        self._changed = False
        self._keys: dict[Path, str] = {}
        if path is None:
            return
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(raw, dict) and raw.get("format") == FORMAT and isinstance(raw.get("packs"), dict):
            self._packs = {k: v for k, v in raw["packs"].items() if isinstance(v, dict)}

    @classmethod
    def for_user(cls) -> "SealMemory":
        from app import paths

        return cls(paths.user_cache_dir() / FILE_NAME)

    def _key(self, root: Path) -> str:
        """The pack folder as an absolute path, worked out once per folder (it is asked once per file)."""
        key = self._keys.get(root)
        if key is None:
            key = self._keys[root] = str(Path(root).resolve())
        return key

    def unchanged(self, root: Path, rel: str, st: os.stat_result, digest: str) -> bool:
        """True when the file is as it was when it last matched DIGEST."""
        entry = self._packs.get(self._key(root), {}).get(rel)
        return isinstance(entry, list) and entry == [*_stamp(st), digest]

    def remember(self, root: Path, rel: str, st: os.stat_result, digest: str) -> None:
        """The file (stat ST, taken before it was hashed) matched DIGEST."""
        if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) < RACY_NS:
            return
        entries = self._packs.setdefault(self._key(root), {})
        entry = [*_stamp(st), digest]
        if entries.get(rel) != entry:
            entries[rel] = entry
            self._changed = True

    def forget(self, root: Path, rel: str) -> None:
        entries = self._packs.get(self._key(root), {})
        if entries.pop(rel, None) is not None:
            self._changed = True

    def save(self) -> None:
        """Write what was learnt; a cache folder that cannot be written only means hashing again next time."""
        if not self._changed or self.path is None:
            return
        from app.core.atomic import atomic_write_bytes

        # A pack removed, or an install moved, leaves nothing behind here.
        self._packs = {k: v for k, v in self._packs.items() if os.path.isfile(os.path.join(k, "pack.toml"))}
        data = json.dumps({"format": FORMAT, "packs": self._packs}, ensure_ascii=False, indent=0)
        try:
            atomic_write_bytes(self.path, data.encode("utf-8"))
        except OSError:
            return
        self._changed = False
