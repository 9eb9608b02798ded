"""Standalone Simplified Chinese faces for LibreOffice, cut once from a pan-CJK font collection into the app's cache.

Why: Debian's and Ubuntu's fonts-noto-cjk install Noto Serif/Sans CJK as collections (.ttc) whose members (JP, KR,
SC, TC, HK) share one CFF table named after the JP member, so a PDF drawn with the SC member embeds a font named
"NotoSerifCJKjp-…" — a Chinese document that claims Japanese faces. The SC member is copied here into an OTF of its
own: the CFF table renamed to the member's own PostScript name (NotoSerifCJKsc-Regular) and the family given a name
of its own (FAMILY_SUFFIX), so that LibreOffice, which reads fonts from <profile>/user/fonts, can be told to use
exactly this file. The system's fonts are only read; nothing is installed for other programs.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

FAMILY_SUFFIX = "Yanxiu"  # "Noto Serif CJK SC Yanxiu": distinct from the collection's member, so never confused
FORMAT = 1  # bump when the extraction changes: cached files of an older format are made again
SOURCES = {  # per kind, the SC members of the collections we know, in order of preference
    "serif": ("Noto Serif CJK SC", "Source Han Serif SC"),
    "sans": ("Noto Sans CJK SC", "Source Han Sans SC"),
}
STYLES = ("Regular", "Bold")  # what the documents use; LibreOffice would otherwise embolden the regular face
PREFIX = "yanxiu-"  # our files in a profile's user/fonts folder (we remove only those)


@dataclass(frozen=True)
class Member:
    file: Path
    index: int
    family: str
    style: str
    psname: str


def collection_members(fc_list: str | None = None) -> list[Member]:
    """The SC members of installed collections, as fontconfig lists them (Linux; elsewhere none)."""
    exe = fc_list or shutil.which("fc-list")
    if not exe:
        return []
    try:
        out = subprocess.run([exe, "-f", "%{file}|%{index}|%{family[0]}|%{style[0]}|%{postscriptname}\n"],
                             capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    wanted = {f for families in SOURCES.values() for f in families}
    members = []
    for line in out.splitlines():
        parts = line.split("|")
        if len(parts) != 5:
            continue
        file, index, family, style, psname = parts
        if family in wanted and style in STYLES and file.lower().endswith((".ttc", ".otc")) and index.isdigit():
            members.append(Member(Path(file), int(index), family, style, psname))
    return sorted(members, key=lambda m: (str(m.file), m.index))


def _index_data(data: bytes, pos: int) -> tuple[int, int]:
    """(start, end) of the data of the CFF INDEX at pos (CFF spec, §5); end is where the next structure begins."""
    count = int.from_bytes(data[pos:pos + 2], "big")
    if count == 0:
        return pos + 2, pos + 2
    off_size = data[pos + 2]
    offsets = pos + 3
    last = int.from_bytes(data[offsets + count * off_size:offsets + (count + 1) * off_size], "big")
    start = offsets + (count + 1) * off_size
    return start, start + last - 1


def renamed_cff(raw: bytes, old: str, new: str) -> bytes | None:
    """The CFF table with its font name (Name INDEX) and the names of its CID font dicts (String INDEX) changed
    from old to new. Only a rename of the same length keeps every offset of the table valid; otherwise None
    (rewriting a 65 535-glyph CFF takes minutes on a school PC)."""
    if len(old.encode("ascii")) != len(new.encode("ascii")):
        return None
    out = bytearray(raw)
    name = _index_data(raw, raw[2])  # the header's hdrSize points at the Name INDEX
    top = _index_data(raw, name[1])
    strings = _index_data(raw, top[1])
    for start, end in (name, strings):
        out[start:end] = raw[start:end].replace(old.encode("ascii"), new.encode("ascii"))
    return bytes(out)


def _cff_names(font, data: bytes) -> list[str]:
    import io

    from fontTools.cffLib import CFFFontSet

    cff = CFFFontSet()
    cff.decompile(io.BytesIO(data), font)
    top = cff.topDictIndex[0]
    names = list(cff.fontNames)
    if hasattr(top, "FDArray"):
        names += [fd.FontName for fd in top.FDArray if hasattr(fd, "FontName")]
    return names


def extract(member: Member, family: str, dst: Path) -> None:
    """Write member as a standalone OTF named family, with a CFF named after the member's PostScript name."""
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.tables.DefaultTable import DefaultTable

    font = TTFont(str(member.file), fontNumber=member.index, lazy=True, recalcBBoxes=False, recalcTimestamp=False)
    try:
        if "CFF " in font.reader:
            raw = font.reader["CFF "]
            old = _cff_names(font, raw)[0]
            new = member.psname
            if old != new:
                patched = renamed_cff(raw, old, new)
                if patched is not None and all(old not in n for n in _cff_names(font, patched)):
                    table = DefaultTable("CFF ")
                    table.data = patched
                    font["CFF "] = table
                else:  # another layout: let fontTools rewrite the table (slow, but right)
                    cff = font["CFF "].cff
                    cff.fontNames = [new]
                    for fd in getattr(cff.topDictIndex[0], "FDArray", []):
                        fd.FontName = fd.FontName.replace(old, new)
        names = font["name"]
        for rec in names.names:
            if rec.nameID in (1, 4, 16):  # family, full name, typographic family
                text = rec.toUnicode()
                if text.startswith(member.family):
                    rec.string = family + text[len(member.family):]
            elif rec.nameID == 3:  # unique ID
                rec.string = rec.toUnicode() + ";" + FAMILY_SUFFIX
        dst.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=dst.parent, prefix=".font-", suffix=".otf")
        os.close(fd)
        try:
            font.save(tmp)
            os.replace(tmp, dst)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    finally:
        font.close()


def _stamp(member: Member) -> dict:
    st = member.file.stat()
    return {"format": FORMAT, "file": str(member.file), "index": member.index, "size": st.st_size,
            "mtime_ns": st.st_mtime_ns}


def prepare(cache_dir: Path, members: list[Member] | None = None) -> dict[str, tuple[str, list[Path]]]:
    """kind → (family, files): the standalone faces in cache_dir, made when missing or when their collection
    changed (a few seconds, once); a kind without an installed collection, or whose extraction failed, is left out
    and LibreOffice draws it with the collection's own member."""
    members = collection_members() if members is None else members
    cache_dir = Path(cache_dir)
    _drop_stale_temporaries(cache_dir)
    out: dict[str, tuple[str, list[Path]]] = {}
    for kind, families in SOURCES.items():
        source = next((f for f in families if any(m.family == f for m in members)), None)
        if source is None:
            continue
        family = f"{source} {FAMILY_SUFFIX}"
        files = []
        try:
            for m in (m for m in members if m.family == source):
                dst = cache_dir / f"{PREFIX}{m.psname}.otf"
                stamp_file = dst.with_suffix(".json")
                stamp = _stamp(m)
                try:
                    fresh = dst.is_file() and json.loads(stamp_file.read_text(encoding="utf-8")) == stamp
                except (OSError, ValueError):
                    fresh = False
                if not fresh:
                    extract(m, family, dst)
                    stamp_file.write_text(json.dumps(stamp), encoding="utf-8")
                files.append(dst)
        except Exception as exc:  # noqa: BLE001 - a font we cannot cut must not stop the export
            log.warning("could not extract %s from its collection: %s", source, exc)
            continue
        if any(f.name.endswith("-Regular.otf") for f in files):
            out[kind] = (family, files)
    return out


def _drop_stale_temporaries(cache_dir: Path, age_s: float = 3600.0) -> None:
    """A cut the app was closed in the middle of leaves its temporary file (the face itself is renamed into place
    only when whole); an hour later no cut of ours is still writing it."""
    import time

    for tmp in cache_dir.glob(".font-*.otf"):
        try:
            if time.time() - tmp.stat().st_mtime > age_s:
                tmp.unlink()
        except OSError:
            pass


def install(profile_dir: Path, files: list[Path]) -> None:
    """Put files into the LibreOffice profile's user/fonts folder (a hard link where the file system allows, else a
    copy), and take out the files of ours no longer wanted. Call while no LibreOffice runs on the profile."""
    folder = Path(profile_dir) / "user" / "fonts"
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {f.name: f for f in files}
    for old in folder.glob(PREFIX + "*"):
        if old.name not in wanted:
            old.unlink(missing_ok=True)
    for name, src in wanted.items():
        dst = folder / name
        try:
            if dst.is_file() and os.path.samefile(dst, src):
                continue
            if dst.is_file() and dst.stat().st_size == src.stat().st_size and dst.stat().st_mtime_ns >= src.stat().st_mtime_ns:
                continue
        except OSError:
            pass
        tmp = folder / f".{name}.tmp"
        tmp.unlink(missing_ok=True)
        try:
            os.link(src, tmp)
        except OSError:
            shutil.copyfile(src, tmp)
        os.replace(tmp, dst)


def describe(face: str) -> str:
    """How the font note names a face: ours says where it came from."""
    if face.endswith(" " + FAMILY_SUFFIX):
        return f"{face[:-len(FAMILY_SUFFIX) - 1]}（本机字体集中的简体中文字形，由本软件单独取出）"
    return face
