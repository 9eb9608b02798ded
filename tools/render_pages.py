"""Regenerate docs/pages/: PNG images of every page of both examples' documents (and of a long flowchart and a long tool
category), for reviewers without Word.

    python tools/render_pages.py

The same renderer as the app's 预览 and `yanxiu preview` (docxtpl → LibreOffice → PDFium); needs LibreOffice.
"""

from __future__ import annotations

import contextlib
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.core.casefile import load_case  # noqa: E402
from app.render.diagram import ensure_gui_app  # noqa: E402
from app.render.pdf.libreoffice import LibreOfficeConverter, find_soffice  # noqa: E402
from app.render.preview import write_page_images  # noqa: E402

EXAMPLES = {"school": ROOT / "examples" / "school-math-graphics.json",
            "studio": ROOT / "examples" / "studio-chinese-reading.json"}
OUT = ROOT / "docs" / "pages"
LONG_STAGE = ("围绕“图形的运动”单元，组织教师开展课标研读、学情前测、课堂观察与课后研讨，依托国家中小学智慧教育平台的课程资源"
              "和教研群开展线上线下结合的研修活动，形成可推广的教学设计、课例视频与反思报告，并用问卷数据检验改进效果。")
DPI = 70


def long_case():
    """The school example with the form's maximum of 8 stages, ~100 字 each, long names and modes: the flowchart
    continues over pages."""
    case = load_case(EXAMPLES["school"])
    stages = [{"name": f"第{i}阶段：基于课堂观察数据的专题研讨与改进", "time": f"第{2 * i - 1}-{2 * i}周（每周三下午）",
               "mode": "线上线下混合式研修", "content": LONG_STAGE[: 95 + i],
               "tools": "教研群、问卷调查、AI课堂分析、资源库"} for i in range(1, 9)]
    case.set("process_stages", stages)
    return case


MORE_TOOLS = [f"管理功能{i:02d}" for i in range(1, 46)]


@contextlib.contextmanager
def longer_tool_list(tmp: Path):
    """The bundled resources with 45 more 管理工具 (52 rows, taller than a page), for the tools-plan-* pages: the
    category continues as "管理工具（续）" (app/render/continued.py)."""
    from app import paths
    from app.core.platform import load_platform

    resources = tmp / "resources"
    shutil.copytree(paths.resources_dir(), resources)
    platform = resources / "platform.toml"
    text = platform.read_text(encoding="utf-8")
    marker = '"学生评价", "成绩管理"] }'
    if marker not in text:
        raise SystemExit("resources/platform.toml changed: update MORE_TOOLS' anchor in tools/render_pages.py")
    platform.write_text(text.replace(marker, marker[:-3] + ", " + ", ".join(f'"{t}"' for t in MORE_TOOLS) + "] }"),
                        encoding="utf-8")
    real = paths.resources_dir
    load_platform.cache_clear()
    paths.resources_dir = lambda: resources
    try:
        yield
    finally:
        paths.resources_dir = real
        load_platform.cache_clear()


def main() -> int:
    soffice = find_soffice()
    if soffice is None:
        print("需要 LibreOffice（soffice）。", file=sys.stderr)
        return 2
    ensure_gui_app()
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        conv = LibreOfficeConverter(soffice, profile_dir=Path(tmp) / "profile")
        cases = {key: load_case(path) for key, path in EXAMPLES.items()}
        cases["long"] = long_case()
        for key, case in cases.items():
            write_page_images(case, OUT, conv, dpi=DPI, name=lambda doc, _title, n, k=key: f"{k}-{doc}-{n}.png")
        with longer_tool_list(Path(tmp)):
            for png in write_page_images(load_case(EXAMPLES["school"]), Path(tmp) / "tools", conv, dpi=DPI,
                                         name=lambda doc, _title, n: f"tools-{doc}-{n}.png"):
                if png.name.startswith("tools-plan-"):
                    shutil.move(png, OUT / png.name)
        conv.close()
    for png in sorted(OUT.glob("*.png")):
        print(png.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
