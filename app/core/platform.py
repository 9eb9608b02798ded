"""The smartedu.cn catalogue: 所属频道 and 资源名称 suggestions, and the official tool checklists."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from app import paths
from app.core.defdata import DefinitionError, Reader, load_toml


@dataclass(frozen=True)
class ToolCategory:
    name: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class ToolChecklist:
    columns: tuple[str, str, str]  # 类别 / 具体 / 是否应用（填写是，否则为空）
    categories: tuple[ToolCategory, ...]
    applied: str  # written in the 是否应用 column for a tool in use

    def category(self, name: str) -> ToolCategory | None:
        return next((c for c in self.categories if c.name == name), None)

    @property
    def rows(self) -> tuple[tuple[str, str], ...]:
        return tuple((c.name, item) for c in self.categories for item in c.items)


@dataclass(frozen=True)
class ResourceSeed:
    name: str
    channel: str


CONTINUED = "（续）"  # what goes on past a page break: "管理工具（续）" (app/render/continued.py), a flowchart part


@dataclass(frozen=True)
class Platform:
    channels: tuple[str, ...]
    resources: tuple[ResourceSeed, ...]
    tools: dict[str, ToolChecklist]  # "school" / "studio"


def _load(path: Path) -> Platform:
    data = load_toml(path, "yanxiu-platform")
    top = Reader(path, "", data)
    top.str("format"), top.int("version", required=True)
    channels = tuple(top.list("channels", required=True))
    if not all(isinstance(c, str) and c.strip() for c in channels) or len(set(channels)) != len(channels):
        raise DefinitionError(path, "channels", "应为各不相同、非空的文字")
    resources = []
    for i, raw in enumerate(top.list("resources")):
        r = top.child(f"resources[{i}]", raw)
        resources.append(ResourceSeed(r.str("name", required=True), r.str("channel", required=True)))
        r.finish()
    tools = {}
    for key, raw in top.table_("tools", required=True).items():
        r = top.child(f"tools.{key}", raw)
        columns = tuple(r.list("columns", required=True))
        if len(columns) != 3:
            raise r.error("columns", "应恰好写三个列名（类别、具体、是否应用）")
        cats = []
        for j, raw_cat in enumerate(r.list("categories", required=True)):
            rc = r.child(f"categories[{j}]", raw_cat)
            items = tuple(rc.list("items", required=True))
            if not items or len(set(items)) != len(items):
                raise rc.error("items", "应为不重复、非空的列表")
            cats.append(ToolCategory(rc.str("name", required=True), items))
            rc.finish()
        tools[key] = ToolChecklist(columns, tuple(cats), r.str("applied", required=True))  # type: ignore[arg-type]
        r.finish()
    top.finish()
    return Platform(channels, tuple(resources), tools)


@cache
def load_platform(path: Path | None = None) -> Platform:
    return _load(path or paths.resources_dir() / "platform.toml")
