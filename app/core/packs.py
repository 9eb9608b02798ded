"""Form packs: one notice year's definitions, templates, resources and facts as a folder with a manifest.

The built-in pack is the bundle itself (pack.toml beside forms/); packs a teacher imports live in the user data
folder, one folder each, and are only ever moved there whole after a full check (see app.core.packtool).
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from app import paths
from app.core.digest import sha256_file
from app.core.defdata import DefinitionError, Reader, load_toml

if TYPE_CHECKING:
    from app.core.sealcache import SealMemory

MANIFEST = "pack.toml"
FORMAT = "yanxiu-pack"
FORMAT_VERSION = 1
HEX_DIGITS = frozenset("0123456789abcdef")  # of a sha256 in [files], lower case as `pack seal` writes it
# What a pack holds besides its manifest, as folder → the ending of its files (None: every file, in subfolders
# too); every file there is listed with its checksum in [files].
PACK_FOLDERS = {"forms": ".toml", "templates_docx": ".docx", "resources": ".toml", "examples": None}


class PackError(Exception):
    """A pack is missing, malformed or does not check; str() is a Chinese message naming file and key."""


@dataclass(frozen=True)
class Notice:
    """The facts of the notice a pack implements."""

    year: int
    title: str
    submission_start: dt.date
    submission_end: dt.date
    address: str

    def window_text(self) -> str:
        s, e = self.submission_start, self.submission_end
        tail = f"{e.month}月{e.day}日" if e.year == s.year else f"{e.year}年{e.month}月{e.day}日"
        return f"{s.year}年{s.month}月{s.day}日至{tail}"

    def window_passed(self, today: dt.date) -> bool:
        return today > self.submission_end

    def passed_note(self, today: dt.date) -> str:
        """Plain words when the window is over: she should not prepare an upload nobody will take."""
        if not self.window_passed(today):
            return ""
        return (f"注意：{self.title}的报送时间（{self.window_text()}）已经结束。"
                f"如已发布新一年的通知，请导入新的表单包（文件 → 导入表单包…）后再填写。")


@dataclass(frozen=True)
class Pack:
    id: str
    version: int
    notice: Notice
    forms: tuple[str, ...]
    examples: tuple[tuple[str, str], ...]  # form key → example case path inside the pack
    files: tuple[tuple[str, str], ...]  # relative path → sha256 (the seal; the built-in pack's too)
    root: Path
    builtin: bool = False

    @property
    def year(self) -> int:
        return self.notice.year

    @property
    def title(self) -> str:
        return self.notice.title

    @property
    def label(self) -> str:
        """How the start page, window title and 报送清单 name it."""
        return f"{self.notice.title}（表单包 {self.id} 第{self.version}版）"

    @property
    def forms_dir(self) -> Path:
        return self.root / "forms"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates_docx"

    def example(self, key: str) -> Path | None:
        rel = dict(self.examples).get(key)
        return self.root / rel if rel else None

    def form(self, key: str):
        """The pack's definition of one form (cached per pack folder)."""
        from app.core.forms import load_form

        if key not in self.forms:
            raise PackError(f"表单包“{self.id}”第{self.version}版中没有表单“{key}”。")
        return load_form(key) if self.builtin else load_form(key, self.forms_dir)


def read_manifest(root: Path, *, builtin: bool = False, require_files: bool | None = None) -> Pack:
    """Parse ROOT/pack.toml; a DefinitionError names the file and key. [files] is required of an imported pack."""
    path = Path(root) / MANIFEST
    if not path.is_file():
        raise DefinitionError(path, "(file)", "缺少表单包清单文件 pack.toml")
    top = Reader(path, "", load_toml(path, FORMAT))
    top.str("format")
    if top.int("format_version", required=True) != FORMAT_VERSION:
        raise top.error("format_version", f"本软件只能读取格式版本为 {FORMAT_VERSION} 的表单包，请升级软件")
    pack_id = top.str("id", required=True)
    if not all(c.isascii() and (c.isalnum() or c in "-_.") for c in pack_id):
        raise top.error("id", "只能使用字母、数字和 - _ .（它用作文件夹名）")
    version = top.int("version", required=True)
    if version < 1:
        raise top.error("version", "应为 1 或更大的整数")
    year = top.int("year", required=True)
    title = top.str("title", required=True)
    forms = top.list("forms", required=True)
    if not forms or not all(isinstance(k, str) and k for k in forms) or len(set(forms)) != len(forms):
        raise top.error("forms", "应列出各表单的键，每个只出现一次")
    rn = top.child("notice", top.table_("notice", required=True))
    start, end = rn.raw("submission_start"), rn.raw("submission_end")
    if not isinstance(start, dt.date) or isinstance(start, dt.datetime):
        raise rn.error("submission_start", "应为日期，如 2025-09-15")
    if not isinstance(end, dt.date) or isinstance(end, dt.datetime) or end < start:
        raise rn.error("submission_end", "应为日期，如 2025-09-30，且不早于 submission_start")
    notice = Notice(year, title, start, end, rn.str("address", required=True))
    rn.finish()
    re_ = top.child("examples", top.table_("examples"))
    examples = tuple((k, re_.str(k, required=True)) for k in forms if re_.raw(k) is not None)
    re_.finish(also=frozenset(forms))
    rf = top.child("files", top.table_("files", required=not builtin if require_files is None else require_files))
    files = []
    for rel in sorted(rf.table):
        digest = rf.str(rel, required=True)
        if len(digest) != 64 or not set(digest) <= HEX_DIGITS:
            raise rf.error(rel, "应为该文件的 sha256 校验值（十六进制）")
        files.append((rel, digest))
    top.finish()
    return Pack(pack_id, version, notice, tuple(forms), examples, tuple(files), Path(root), builtin)


def pack_files(root: Path) -> list[str]:
    """Every file the pack consists of (besides pack.toml), as POSIX paths relative to ROOT: not hidden files,
    nor anything in __pycache__. Listed with os.scandir rather than Path.glob, which compiles a pattern per call
    and costs the start page's seal check ~1 ms."""
    out = []
    for folder, ending in PACK_FOLDERS.items():
        if ending is not None:
            try:
                with os.scandir(os.path.join(root, folder)) as entries:
                    out += [f"{folder}/{e.name}" for e in entries
                            if e.name.endswith(ending) and not e.name.startswith(".") and e.is_file()]
            except OSError:  # no such folder
                continue
            continue
        # Symbolic links to folders are not followed, as Path.glob("**") did not.
        for top, dirs, files in os.walk(os.path.join(root, folder)):
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            rel = Path(top).relative_to(root).as_posix()
            out += [f"{rel}/{name}" for name in files
                    if not name.startswith(".") and os.path.isfile(os.path.join(top, name))]
    return sorted(out)


def integrity_problems(pack: Pack, memory: "SealMemory | None" = None) -> list[str]:
    """Each file of the pack that is missing, changed since `pack seal` or not listed in [files], as a Chinese
    sentence naming the file and what to do; empty when the pack is as it was sealed. With MEMORY (the start
    page's), a file unchanged since it last matched its checksum is not read again; `pack check` reads all."""
    root, listed = pack.root, dict(pack.files)
    if pack.builtin:
        whose, fix = f"内置表单包“{pack.id}”", ("如果不是有意修改的，请重新安装本软件；如果是有意修改的（开发者），"
                                                "请在软件目录运行 yanxiu pack seal . 重新记录校验值。")
    else:
        whose = f"表单包“{pack.id}”第{pack.version}版"
        fix = "请重新导入该表单包；如果是有意修改的，请运行 yanxiu pack seal 重新记录校验值。"
    if not listed:
        return [f"{whose}的 pack.toml 中没有记录文件校验值（files 表），无法确认文件完好。{fix}"]
    out = []
    for rel, digest in listed.items():
        f = root / rel
        try:
            st = f.stat()
        except OSError:
            st = None
        if st is None or not stat.S_ISREG(st.st_mode):
            out.append(f"{whose}缺少文件“{rel}”（pack.toml 的 files 中列出了它）。{fix}")
        elif memory is not None and memory.unchanged(root, rel, st, digest):
            continue
        elif sha256_file(f) != digest:
            out.append(f"{whose}中的文件“{rel}”与 pack.toml 中记录的校验值不符，可能已损坏或被改动，"
                       f"表单、字数要求或模板可能与通知不一致。{fix}")
            if memory is not None:
                memory.forget(root, rel)
        elif memory is not None:
            memory.remember(root, rel, st, digest)
    for rel in pack_files(root):
        if rel not in listed:
            out.append(f"{whose}中的文件“{rel}”没有列在 pack.toml 的 files 中。{fix}")
    return out


@cache
def _builtin(root: Path) -> Pack:
    try:
        return read_manifest(root, builtin=True)
    except DefinitionError as exc:
        raise PackError(f"内置表单包有误：{exc}。安装可能不完整，请重新安装本软件。") from exc


def builtin_pack() -> Pack:
    return _builtin(paths.bundle_root())


def notice_for_forms_dir(forms_dir: Path):
    """The notice of the pack a forms/ folder belongs to (read by the definition loader)."""
    root = Path(forms_dir).parent
    if root.resolve() == paths.bundle_root().resolve():
        return builtin_pack()
    return read_manifest(root, require_files=False)


def installed_packs(directory: Path | None = None) -> list[Pack]:
    """Packs imported into the user data folder; a damaged one is skipped (pack list names it)."""
    base = directory or paths.user_packs_dir()
    out = []
    if base.is_dir():
        for sub in sorted(base.iterdir()):
            if sub.is_dir() and not sub.name.startswith(".") and (sub / MANIFEST).is_file():
                try:
                    out.append(read_manifest(sub))
                except DefinitionError:
                    continue
    return out


def all_packs() -> list[Pack]:
    """The built-in pack and every installed one, oldest first."""
    packs = [builtin_pack(), *installed_packs()]
    return sorted(packs, key=lambda p: (p.year, p.version, not p.builtin))


def newest_pack(form_key: str) -> Pack:
    """New cases use the newest notice that has this form."""
    having = [p for p in all_packs() if form_key in p.forms]
    if not having:
        raise PackError(f"没有任何表单包包含表单“{form_key}”。")
    return having[-1]


def find_pack(pack_id: str, version: int) -> Pack | None:
    for p in all_packs():
        if p.id == pack_id and p.version == version:
            return p
    return None


def pack_of(form) -> Pack:
    """The pack a loaded form definition came from."""
    found = find_pack(form.pack_id, form.pack_version)
    return found or builtin_pack()
