"""Output folders the app owns, files it does not: every export or package is staged beside its target and moved
into place only when complete, and a manifest records what the app wrote so it replaces or removes only those files,
and only while they are unchanged."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from app.core.digest import sha256_file
from app.core.oserrors import explain, writable_problem

MANIFEST = ".yanxiu-manifest.json"
STAGING_PREFIX = ".yanxiu-staging-"
FORMAT = "yanxiu-output"
POLICIES = ("refuse", "overwrite", "keep_copy")
KEEP_SUFFIX = "（修改前）"
UNCHANGED_NOTE = "之前导出的文件保持不变。"
OWNER = ".owner"  # the pid of the process staging there: a live one's staging folder is never cleaned up
_COMMIT_LOCK = threading.Lock()  # two tabs exporting into one folder commit (and update its manifest) in turn


class OutputSetError(Exception):
    """Writing the set failed; str() is a Chinese message, and nothing in the target folder was changed."""


class EditedSinceExport(OutputSetError):
    """Files in the target were changed after the app wrote them (or were never written by it)."""

    def __init__(self, folder: Path, names: list[str]) -> None:
        self.folder = Path(folder)
        self.names = names
        listed = "、".join(f"“{n}”" for n in names)
        super().__init__(f"{listed}在上次导出后被修改过，或不是本软件生成的文件。为了不覆盖这些修改，本次没有写入任何文件，"
                         f"{UNCHANGED_NOTE}请先另存或移走这些文件，或选择覆盖（命令行：--force）。")


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


# ---------------------------------------------------------------- the manifest

def read_manifest(folder: Path) -> dict:
    """The folder's manifest; a missing or damaged one is empty (then no existing file counts as ours)."""
    try:
        doc = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"format": FORMAT, "version": 1, "sets": {}}
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or not isinstance(doc.get("sets"), dict):
        return {"format": FORMAT, "version": 1, "sets": {}}
    sets = {}
    for key, entry in doc["sets"].items():
        if isinstance(entry, dict) and isinstance(entry.get("files"), dict):
            files = {rel: f for rel, f in entry["files"].items()
                     if isinstance(rel, str) and isinstance(f, dict) and isinstance(f.get("sha256"), str)}
            sets[key] = {**entry, "files": files}
    doc["sets"] = sets
    return doc


def owned_hashes(manifest: dict) -> dict[str, set[str]]:
    """relative path → the hashes of what the app wrote there (any set)."""
    out: dict[str, set[str]] = {}
    for entry in manifest["sets"].values():
        for rel, f in entry["files"].items():
            out.setdefault(rel, set()).add(f["sha256"])
    return out


def file_state(folder: Path, rel: str, manifest: dict) -> str:
    """'absent', 'ours' (written by the app and unchanged), 'changed' (edited since, or never ours) or 'folder'
    (a folder of that name is in the way: reported by the commit as such)."""
    target = Path(folder) / rel
    try:
        if not target.exists():
            return "absent"
        if target.is_dir():
            return "folder"
        digest = sha256_file(target)
    except OSError:
        return "changed"
    return "ours" if digest in owned_hashes(manifest).get(rel, set()) else "changed"


def keep_copy_name(target: Path) -> Path:
    """案例信息表-X（修改前）.docx, numbered when that name is taken too."""
    for i in range(1, 1000):
        mark = KEEP_SUFFIX if i == 1 else f"（修改前{i}）"
        candidate = target.with_name(f"{target.stem}{mark}{target.suffix}")
        if not candidate.exists():
            return candidate
    raise OutputSetError(f"无法为“{target.name}”保留修改前的副本（同名副本太多）。{UNCHANGED_NOTE}")


# ---------------------------------------------------------------- staging and commit

@dataclass
class _Entry:
    owned: bool  # written by the app in this set (False: the teacher's own file, already in place)
    version_code: str | None


@dataclass
class StagedSet:
    """Files of one export or package, written into a hidden folder inside the target, then moved into place.

    Use as a context manager: leaving with an exception removes the staging folder and touches nothing else."""

    folder: Path
    set_id: str
    version_code: str
    kind: str = "export"
    policy: str = "refuse"
    entries: dict[str, _Entry] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.policy not in POLICIES:
            raise ValueError(self.policy)
        self.folder = Path(self.folder)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            reason = explain(exc)
            todo = "" if "请" in reason else "请换一个文件夹。"  # say what to do when the reason does not
            raise OutputSetError(f"无法创建输出文件夹“{self.folder}”：{reason}。{todo}") from exc
        if not self.folder.is_dir():
            raise OutputSetError(f"“{self.folder}”不是文件夹，请换一个输出位置。")
        recover_staging(self.folder)
        try:
            self.dir = Path(tempfile.mkdtemp(dir=self.folder, prefix=STAGING_PREFIX))
        except OSError as exc:
            raise OutputSetError(f"无法在“{self.folder}”中写入：{explain(exc)}。{UNCHANGED_NOTE}") from exc
        _hide(self.dir)
        try:
            (self.dir / OWNER).write_text(str(os.getpid()), encoding="ascii")
        except OSError as exc:
            self.discard()
            raise OutputSetError(f"无法在“{self.folder}”中写入：{explain(exc)}。{UNCHANGED_NOTE}") from exc

    def __enter__(self) -> "StagedSet":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self.discard()

    # ----- filling the set
    def path(self, rel: str, *, version_code: str | None = "case") -> Path:
        """Where to write `rel` (a path relative to the folder, with / as separator) in the staging folder."""
        rel = _check_rel(rel)
        self.entries[rel] = _Entry(True, self.version_code if version_code == "case" else version_code)
        staged = self.dir / rel
        staged.parent.mkdir(parents=True, exist_ok=True)
        return staged

    def write_bytes(self, rel: str, data: bytes, *, version_code: str | None = "case") -> Path:
        staged = self.path(rel, version_code=version_code)
        with open(staged, "wb") as fh:
            fh.write(data)
        return staged

    def copy_in(self, rel: str, src: Path) -> Path:
        """Copy the teacher's file into the set. When the target *is* that file (a package inside the case folder),
        nothing is copied: the original stays where it is, untouched and not claimed as ours."""
        rel = _check_rel(rel)
        target = self.folder / rel
        try:
            same = target.exists() and os.path.samefile(src, target)
        except OSError:
            same = False
        if same:
            self.entries[rel] = _Entry(False, None)
            return target
        staged = self.path(rel, version_code=None)
        shutil.copyfile(src, staged)
        return staged

    def staged(self, rel: str) -> Path:
        """The file as it is now: in the staging folder, or (for a file in place) in the target folder."""
        entry = self.entries[rel]
        return (self.dir / rel) if entry.owned else (self.folder / rel)

    def final(self, rel: str) -> Path:
        return self.folder / rel

    # ----- checks
    def _stale(self, manifest: dict) -> list[str]:
        old = manifest["sets"].get(self.set_id, {}).get("files", {})
        return [rel for rel in old if rel not in self.entries]

    def conflicts(self, rels: list[str] | None = None) -> list[str]:
        """Targets this set would replace that the app did not write or that were changed since, and files of the
        previous set this one would remove that were changed since."""
        manifest = read_manifest(self.folder)
        owned = [r for r, e in self.entries.items() if e.owned] if rels is None else rels
        out = [r for r in owned if file_state(self.folder, r, manifest) == "changed"]
        out += [r for r in self._stale(manifest) if r not in out and file_state(self.folder, r, manifest) == "changed"]
        return out

    def expect(self, rels: list[str]) -> None:
        """Refuse early, before slow work (PDF conversion), when the files named would meet a conflict."""
        if self.policy == "refuse":
            found = self.conflicts([_check_rel(r) for r in rels])
            if found:
                raise EditedSinceExport(self.folder, found)

    def _blocked(self) -> list[str]:
        problems = []
        for rel, e in self.entries.items():
            if e.owned:
                why = writable_problem(self.folder / rel)
                if why:
                    problems.append(f"“{rel}”{why}")
        return problems

    # ----- commit
    def commit(self) -> list[Path]:
        """Move every staged file into place, or nothing; returns the final paths in the order they were added."""
        try:
            with _COMMIT_LOCK:
                return self._commit()
        finally:
            self.discard()

    def _commit(self) -> list[Path]:
        manifest = read_manifest(self.folder)
        conflicts = self.conflicts()
        if conflicts and self.policy == "refuse":
            raise EditedSinceExport(self.folder, conflicts)
        blocked = self._blocked()
        if blocked:
            raise OutputSetError(f"{'；'.join(blocked)}。本次没有写入任何文件，{UNCHANGED_NOTE}")
        stale = self._stale(manifest)
        new_manifest = self._manifest(manifest)
        staged_manifest = self.dir / MANIFEST
        try:
            with open(staged_manifest, "wb") as fh:
                fh.write(json.dumps(new_manifest, ensure_ascii=False, indent=1).encode("utf-8"))
                fh.flush()
                os.fsync(fh.fileno())
            for rel, e in self.entries.items():
                if e.owned:
                    _fsync_file(self.dir / rel)
        except OSError as exc:
            raise OutputSetError(f"无法写入“{self.folder}”：{explain(exc)}。本次没有写入任何文件，{UNCHANGED_NOTE}") from exc

        old_dir = self.dir / ".old"
        done: list[tuple[Path, Path]] = []  # renames, undone in reverse on failure
        made_dirs: list[Path] = []

        def move(src: Path, dst: Path) -> None:
            if not dst.parent.exists():
                for parent in reversed([p for p in [dst.parent, *dst.parent.parents] if not p.exists()]):
                    parent.mkdir()
                    made_dirs.append(parent)
            os.replace(src, dst)
            done.append((src, dst))

        kept: list[str] = []
        try:
            for rel in conflicts:
                target = self.folder / rel
                if self.policy == "keep_copy" or rel in stale:  # an edited file is never thrown away
                    copy = keep_copy_name(target)
                    move(target, copy)
                    kept.append(copy.name)
            for rel, e in self.entries.items():
                target = self.folder / rel
                if e.owned and target.exists():
                    move(target, old_dir / rel)
            for rel in stale:
                target = self.folder / rel
                if target.exists():
                    move(target, old_dir / rel)
            for rel, e in self.entries.items():
                if e.owned:
                    move(self.dir / rel, self.folder / rel)
            if (self.folder / MANIFEST).exists():
                move(self.folder / MANIFEST, old_dir / MANIFEST)
            move(staged_manifest, self.folder / MANIFEST)
        except OSError as exc:
            for src, dst in reversed(done):
                try:
                    os.replace(dst, src)
                except OSError:
                    pass
            for d in reversed(made_dirs):
                try:
                    d.rmdir()
                except OSError:
                    pass
            raise OutputSetError(f"无法把文件放到“{self.folder}”：{explain(exc)}。已全部撤回，本次没有写入任何文件，"
                                 f"{UNCHANGED_NOTE}") from exc
        _hide(self.folder / MANIFEST)
        _fsync_dir(self.folder)
        for rel in stale:  # folders the previous set made and that are empty now (支撑材料/)
            parent = (self.folder / rel).parent
            while parent != self.folder and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent
        if kept:
            self.notes.append(f"已把修改过的文件另存为{'、'.join(f'“{k}”' for k in kept)}。")
        return [self.folder / rel for rel in self.entries]

    def _manifest(self, manifest: dict) -> dict:
        from app import __version__

        files = {}
        for rel, e in self.entries.items():
            if e.owned:
                staged = self.dir / rel
                files[rel] = {"sha256": sha256_file(staged), "size": staged.stat().st_size,
                              "version_code": e.version_code}
        in_place = [rel for rel, e in self.entries.items() if not e.owned]
        sets = {k: v for k, v in manifest["sets"].items() if k != self.set_id}
        for other in sets.values():  # a file now written by this set is no longer the other set's
            other["files"] = {r: f for r, f in other["files"].items() if r not in files}
        sets = {k: v for k, v in sets.items() if v["files"]}
        sets[self.set_id] = {"kind": self.kind, "version_code": self.version_code, "app_version": __version__,
                             "written_at": _now(), "files": files, "in_place": in_place}
        return {"format": FORMAT, "version": 1,
                "note": "由研修案例填报助手写入：记录本软件在此文件夹中生成的文件，请勿修改。", "sets": sets}

    def discard(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


def recover_staging(folder: Path) -> None:
    """Remove staging folders an interrupted export left behind; a commit cut off half-way is rolled back first."""
    try:
        leftovers = [p for p in Path(folder).iterdir() if p.name.startswith(STAGING_PREFIX) and p.is_dir()]
    except OSError:
        return
    for stage in leftovers:
        if _owner_alive(stage):
            continue  # another export is under way there (another tab, or a command line run)
        old = stage / ".old"
        if old.is_dir():
            manifest_done = not (stage / MANIFEST).exists() and (Path(folder) / MANIFEST).exists()
            if not manifest_done:  # the new set was not complete: put the previous files back
                for src in sorted(p for p in old.rglob("*") if p.is_file()):
                    rel = src.relative_to(old)
                    target = Path(folder) / rel
                    staged_twin = stage / rel
                    try:
                        if target.exists() and not staged_twin.exists():
                            os.replace(target, staged_twin)  # a new file already moved in: take it out again
                        target.parent.mkdir(parents=True, exist_ok=True)
                        os.replace(src, target)
                    except OSError:
                        pass
        shutil.rmtree(stage, ignore_errors=True)


def _owner_alive(stage: Path) -> bool:
    try:
        pid = int((stage / OWNER).read_text(encoding="ascii"))
    except (OSError, ValueError):
        return False
    if pid == os.getpid():
        return True  # this process's own export in another thread; a dead export's folder is gone already
    if os.name == "nt":  # no safe liveness probe without extra modules: trust the folder for an hour
        try:
            return time.time() - stage.stat().st_mtime < 3600
        except OSError:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, as another user's process
    return True


def _check_rel(rel: str) -> str:
    rel = rel.replace("\\", "/")
    parts = rel.split("/")
    if not rel or rel.startswith("/") or any(p in ("", ".", "..") for p in parts) or parts[0] == MANIFEST:
        raise ValueError(f"not a relative file name: {rel!r}")
    return rel


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":
        return
    try:
        dfd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)


def _hide(path: Path) -> None:
    """Dot-names are hidden on Linux and macOS; Windows needs the hidden attribute."""
    if os.name != "nt":
        return
    try:
        import ctypes

        ctypes.windll.kernel32.SetFileAttributesW(str(path), 0x2)  # FILE_ATTRIBUTE_HIDDEN
    except (OSError, AttributeError):
        pass

