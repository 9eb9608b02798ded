"""The settings file of the app's private LibreOffice profile (registrymodifications.xcu): our items written into it
before LibreOffice starts, every other setting kept; and the settings a conversion wants there."""

from __future__ import annotations

import os
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Callable

OOR = "http://openoffice.org/2001/registry"
XS = "http://www.w3.org/2001/XMLSchema"
XSI = "http://www.w3.org/2001/XMLSchema-instance"

# Writer's word completion collects the words of every open document for its suggestions, in LibreOffice's idle
# time, that is while a document converts: a profile that only ever converts has no use for it (measured: 6 % of
# LibreOffice's CPU in a warm export of the three documents, docs/performance.md).
WORD_COMPLETION = "/org.openoffice.Office.Writer/AutoFunction/Completion"
CONVERSION_SETTINGS = {WORD_COMPLETION: {"Enable": "false", "CollectWords": "false"}}


def q(name: str) -> str:
    return f"{{{OOR}}}{name}"


def prop(parent: ET.Element, name: str, value: str) -> None:
    element = ET.SubElement(parent, "prop", {q("name"): name, q("op"): "fuse"})
    ET.SubElement(element, "value").text = value


def settings_path(profile_dir: Path) -> Path:
    return Path(profile_dir) / "user" / "registrymodifications.xcu"


def update(profile_dir: Path, owned: tuple[str, ...], add: Callable[[ET.Element], None]) -> None:
    """Replace the items whose path starts with one of `owned` by those `add(root)` appends, keeping every other
    setting. Call it while no LibreOffice runs on the profile: LibreOffice reads the file at start and writes it back
    at exit."""
    ET.register_namespace("oor", OOR)
    ET.register_namespace("xs", XS)
    ET.register_namespace("xsi", XSI)
    path = settings_path(profile_dir)
    root = None
    if path.is_file():
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError:
            root = None  # a profile LibreOffice left half-written: start its settings afresh
    if root is None:
        root = ET.Element(q("items"))
    for item in list(root):
        if item.get(q("path"), "").startswith(owned):
            root.remove(item)
    add(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = _declare_value_prefixes(ET.tostring(root, encoding="utf-8", xml_declaration=True))
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".xcu-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_conversion_settings(profile_dir: Path) -> None:
    """CONVERSION_SETTINGS into the profile."""

    def add(root: ET.Element) -> None:
        for path, values in CONVERSION_SETTINGS.items():
            item = ET.SubElement(root, "item", {q("path"): path})
            for name, value in values.items():
                prop(item, name, value)

    update(profile_dir, tuple(CONVERSION_SETTINGS), add)


def read_setting(profile_dir: Path, path: str, name: str) -> str | None:
    """The value a profile gives a setting (for tests)."""
    file = settings_path(profile_dir)
    if not file.is_file():
        return None
    value = None
    for item in ET.parse(file).getroot():
        if item.get(q("path")) == path:
            for p in item.findall("prop"):
                if p.get(q("name")) == name:
                    value = p.findtext("value")
    return value


def _declare_value_prefixes(data: bytes) -> bytes:
    """LibreOffice's settings name types in attribute values (oor:type="xs:string"), which ElementTree does not see
    as uses of the prefix, so it drops the declaration; without it LibreOffice rejects the whole file (our items and
    every other setting) and writes a fresh one. Declare xs and xsi on the root as LibreOffice does."""
    head, sep, rest = data.partition(b"<oor:items")
    if not sep:
        return data
    tag_end = rest.index(b">")
    tag = rest[:tag_end]
    for prefix, uri in ((b"xs", XS), (b"xsi", XSI)):
        if b"xmlns:" + prefix + b"=" not in tag:
            tag += b' xmlns:' + prefix + b'="' + uri.encode() + b'"'
    return head + sep + tag + rest[tag_end:]
