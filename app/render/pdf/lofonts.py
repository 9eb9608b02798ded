"""LibreOffice's font replacement table in the app's private profile: the Chinese font names of the documents
drawn with installed Simplified Chinese faces (serif for 宋体/仿宋, sans for 黑体), never the Japanese member of a
pan-CJK collection that LibreOffice's own fallback picks (TECH-NOTES §8.2)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from app.render.pdf.loprofile import prop, q, settings_path, update

SUBSTITUTION = "/org.openoffice.Office.Common/Font/Substitution"

# Requested name → the kind of face that stands in for it. The names are those Word and WPS write (Chinese and
# English, GB2312 variants included).
KINDS = {
    "宋体": "serif", "SimSun": "serif", "新宋体": "serif", "NSimSun": "serif",
    "仿宋": "serif", "仿宋_GB2312": "serif", "FangSong": "serif", "FangSong_GB2312": "serif",
    "楷体": "serif", "楷体_GB2312": "serif", "KaiTi": "serif", "KaiTi_GB2312": "serif",
    "黑体": "sans", "SimHei": "sans", "微软雅黑": "sans", "Microsoft YaHei": "sans",
    "Times New Roman": "latin-serif",
}
# Installed faces in order of preference for each kind: Simplified Chinese (SC/CN) members only.
FACES = {
    "serif": ("Noto Serif CJK SC", "Noto Serif SC", "Source Han Serif SC", "Source Han Serif CN", "AR PL UMing CN",
              "FandolSong"),
    "sans": ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Micro Hei",
             "WenQuanYi Zen Hei"),
    "latin-serif": ("Liberation Serif", "Tinos", "TeX Gyre Termes", "DejaVu Serif"),  # the first two share its metrics
}


def replacement_table(installed: set[str], standalone: dict[str, str] | None = None) -> dict[str, str]:
    """For each font the documents may ask for and this machine lacks, the installed face that draws it; a kind
    in `standalone` (kind → family, app/render/pdf/scfaces.py) is drawn with the app's own SC face."""
    standalone = standalone or {}
    table = {}
    for name, kind in KINDS.items():
        if name in installed:
            continue
        face = standalone.get(kind) or next((f for f in FACES[kind] if f in installed), None)
        if face:
            table[name] = face
    return table


def write_replacements(profile_dir: Path, table: dict[str, str]) -> None:
    """Put the table into the profile's registrymodifications.xcu, keeping every other setting there. Call it
    while no LibreOffice runs on the profile: LibreOffice reads the file at start and writes it back at exit."""

    def add(root) -> None:
        enabled = ET.SubElement(root, "item", {q("path"): SUBSTITUTION})
        prop(enabled, "Replacement", "true" if table else "false")
        for i, (name, face) in enumerate(sorted(table.items())):
            item = ET.SubElement(root, "item", {q("path"): SUBSTITUTION + "/FontPairs"})
            node = ET.SubElement(item, "node", {q("name"): f"yanxiu{i}", q("op"): "replace"})
            # The table lists only fonts this machine lacks, so "always" changes nothing there; it keeps LibreOffice
            # from deciding by itself that a name fontconfig merely matches (宋体 → DejaVu Sans) is installed.
            prop(node, "Always", "true")
            prop(node, "OnScreenOnly", "false")  # and in the PDF, not only on screen
            prop(node, "ReplaceFont", name)
            prop(node, "SubstituteFont", face)

    update(profile_dir, (SUBSTITUTION,), add)


def read_replacements(profile_dir: Path) -> dict[str, str]:
    """The table a profile carries (for tests and the font note)."""
    path = settings_path(profile_dir)
    if not path.is_file():
        return {}
    out = {}
    for item in ET.parse(path).getroot():
        if item.get(q("path")) != SUBSTITUTION + "/FontPairs":
            continue
        for node in item:
            values = {p.get(q("name")): (p.findtext("value") or "") for p in node}
            out[values.get("ReplaceFont", "")] = values.get("SubstituteFont", "")
    return out
