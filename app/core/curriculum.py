"""The 2022 curriculum as data plus the pure cascade 科目 → 课程内容 → 学段 → 年级 that suggests but never blocks."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from app import paths
from app.core.defdata import DefinitionError, Reader, load_toml, parse_grades

MARKS = {
    "notice": "征集通知原表",
    "verified": "已核实",
    "partial": "部分核实",
    "unverified": "未核实",
}
GRADE_LABELS = tuple(f"{g}年级" for g in range(1, 10))  # the official form's 年级 options, 1年级 … 9年级


def grade_label(grade: int) -> str:
    return GRADE_LABELS[grade - 1]


def grade_numbers(labels) -> list[int]:
    """The grades behind 年级 labels, in order; labels that are not grades (typed in an old file) are skipped."""
    return sorted(GRADE_LABELS.index(label) + 1 for label in labels if label in GRADE_LABELS)


@dataclass(frozen=True)
class Stage:
    key: str  # 一 二 三 四
    label: str  # 第一学段（1-2年级）
    grades: tuple[int, ...]


@dataclass(frozen=True)
class ContentItem:
    name: str  # "图形与几何-图形的位置与运动"
    grades: tuple[int, ...]
    mark: str
    note: str = ""
    standard: str = ""  # overrides the subject's standard (日语, 俄语)
    basis: str = ""  # overrides the composed quotation part of 课程内容依据

    @property
    def parts(self) -> tuple[str, ...]:
        return tuple(self.name.split("-", 1))

    @property
    def leaf(self) -> str:
        return self.parts[-1]


@dataclass(frozen=True)
class Subject:
    name: str
    standard: str
    grades: tuple[int, ...]  # grades the subject is usually taught in (六三学制)
    grades_note: str
    part_word: str
    leaf_word: str
    items: tuple[ContentItem, ...]

    def item(self, name: str) -> ContentItem | None:
        name = name.strip()
        return next((i for i in self.items if i.name == name), None)


@dataclass(frozen=True)
class Suggestion:
    """What the cascade proposes for a subject and content items; the teacher may override all of it."""

    stages: tuple[str, ...]  # stage labels allowed by the content
    grades: tuple[int, ...]  # grades to pre-tick: content grades ∩ taught grades
    allowed_grades: tuple[int, ...]  # every grade the content applies to
    basis: str


@dataclass(frozen=True)
class Curriculum:
    stages: tuple[Stage, ...]
    subjects: tuple[Subject, ...]
    systems: dict[str, tuple[tuple[int, ...], tuple[int, ...]]]  # 学制 → (primary grades, junior grades)

    # ---- lookups
    @property
    def subject_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.subjects)

    @property
    def stage_labels(self) -> tuple[str, ...]:
        return tuple(s.label for s in self.stages)

    def subject(self, name: str) -> Subject | None:
        return next((s for s in self.subjects if s.name == name), None)

    def stage_of_grade(self, grade: int) -> Stage:
        return next(s for s in self.stages if grade in s.grades)

    def stage_by_label(self, label: str) -> Stage | None:
        return next((s for s in self.stages if s.label == label), None)

    def stages_for_grades(self, grades: tuple[int, ...] | list[int]) -> tuple[str, ...]:
        keys = {self.stage_of_grade(g).key for g in grades}
        return tuple(s.label for s in self.stages if s.key in keys)

    # ---- the cascade
    def content_items(self, subject: str) -> tuple[ContentItem, ...]:
        s = self.subject(subject)
        return s.items if s else ()

    def suggest(self, subject: str, item_names: list[str] | tuple[str, ...]) -> Suggestion:
        """Allowed 学段 and 年级 for the chosen content; unknown items (typed freely) allow every grade."""
        s = self.subject(subject)
        if s is None:
            return Suggestion(self.stage_labels, (), tuple(range(1, 10)), "")
        items = [s.item(n) for n in item_names if n.strip()]
        known = [i for i in items if i is not None]
        if known and len(known) == len(items):
            allowed = tuple(sorted({g for i in known for g in i.grades}))
        else:
            allowed = tuple(range(1, 10))
        pre = tuple(g for g in allowed if g in s.grades) if known else ()
        if known and not pre:
            pre = allowed
        return Suggestion(self.stages_for_grades(allowed), pre, allowed, self.compose_basis(subject, item_names))

    def compose_basis(self, subject: str, item_names: list[str] | tuple[str, ...]) -> str:
        """《义务教育数学课程标准（2022年版）》“图形与几何”领域“图形的位置与运动”."""
        s = self.subject(subject)
        names = [n.strip() for n in item_names if n.strip()]
        if s is None or not names:
            return ""
        by_standard: dict[str, list[str]] = {}
        for name in names:
            item = s.item(name)
            standard = (item.standard if item and item.standard else s.standard)
            by_standard.setdefault(standard, []).append(self._quote(s, item, name))
        return "；".join(f"《{std}》{'、'.join(quotes)}" for std, quotes in by_standard.items())

    @staticmethod
    def _quote(s: Subject, item: ContentItem | None, name: str) -> str:
        if item is not None and item.basis:
            return item.basis
        if item is not None and item.standard:
            return ""  # the whole standard is the basis (日语, 俄语)
        parts = name.split("-", 1)
        if len(parts) == 2:
            return f"“{parts[0]}”{s.part_word}“{parts[1]}”{s.leaf_word}"
        return f"“{name}”{s.part_word}"

    def theme_prefix(self, subject: str, grades: list[int] | tuple[int, ...], item_names=(), system: str = "六三") -> str:
        """小学数学图形的位置与运动: school level + subject + the content leaf, for a 研修主题 suggestion."""
        primary, junior = self.systems.get(system, self.systems["六三"])
        grades = set(grades)
        if grades and grades <= set(primary):
            level = "小学"
        elif grades and grades <= set(junior):
            level = "初中"
        elif grades:
            level = "中小学"
        else:
            level = ""
        s = self.subject(subject)
        subject_word = subject
        if subject == "外语":
            subject_word = "英语"
        names = [n for n in item_names if n.strip()]
        leaf = ""
        if s is not None and len(names) == 1:
            item = s.item(names[0])
            leaf = (item.leaf if item else names[0].split("-")[-1]).split("（")[0].replace("跨学科主题：", "")
            if item is not None and item.standard:
                subject_word, leaf = item.name, ""
        return f"{level}{subject_word}{leaf}"


def _load(path: Path) -> Curriculum:
    data = load_toml(path, "yanxiu-curriculum")
    top = Reader(path, "", data)
    top.str("format"), top.int("version", required=True)
    stages = []
    for i, raw in enumerate(top.list("stages", required=True)):
        r = top.child(f"stages[{i}]", raw)
        stages.append(Stage(r.str("key", required=True), r.str("label", required=True),
                            parse_grades(r.str("grades", required=True), path=path, key=f"stages[{i}].grades")))
        r.finish()
    covered = sorted(g for s in stages for g in s.grades)
    if covered != list(range(1, 10)):
        raise DefinitionError(path, "stages", "各学段合起来应恰好覆盖 1-9 年级，每个年级只属于一个学段")
    systems = {}
    for name, raw in top.table_("systems", required=True).items():
        r = top.child(f"systems.{name}", raw)
        systems[name] = (parse_grades(r.str("primary", required=True), path=path, key=f"systems.{name}.primary"),
                         parse_grades(r.str("junior", required=True), path=path, key=f"systems.{name}.junior"))
        r.finish()
    if "六三" not in systems:
        raise DefinitionError(path, "systems", "应定义“六三”学制（[systems.六三]）")
    subjects = []
    seen: set[str] = set()
    for i, raw in enumerate(top.list("subjects", required=True)):
        r = top.child(f"subjects[{i}]", raw)
        name = r.unique("name", seen, "科目“{}”重复，每个科目只能写一次")
        items, item_names = [], set()
        for j, raw_item in enumerate(r.list("items", required=True)):
            ri = r.child(f"items[{j}]", raw_item)
            item_name = ri.unique("name", item_names, "课程内容“{}”重复，同一科目中每项只能写一次")
            mark = ri.choice("mark", tuple(MARKS), what="来源标记")
            items.append(ContentItem(item_name, parse_grades(ri.str("grades", required=True), path=path,
                                                             key=f"{ri.where}.grades"),
                                     mark, ri.str("note"), ri.str("standard"), ri.str("basis")))
            ri.finish()
        subjects.append(Subject(name, r.str("standard", required=True),
                                parse_grades(r.str("grades", required=True), path=path, key=f"{r.where}.grades"),
                                r.str("grades_note"), r.str("part_word"), r.str("leaf_word"), tuple(items)))
        r.finish()
    top.finish()
    return Curriculum(tuple(stages), tuple(subjects), systems)


@cache
def load_curriculum(path: Path | None = None) -> Curriculum:
    return _load(path or paths.resources_dir() / "curriculum.toml")
