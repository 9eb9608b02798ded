"""Editors for fixed options: checkbox grids (科目, 学段, 年级) and the official tool checklist."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QVBoxLayout, QWidget

from app.core.forms import Field
from app.ui.counter import show_status
from app.ui.editors_text import FieldEditor
from app.ui.flowgrid import FlowGrid
from app.ui.notes import NoteLabel
from app.ui.style import heading_font
from app.ui.session import CaseSession

PER_ROW = {"curriculum.subjects": 6, "curriculum.stages": 2, "curriculum.grades": 9}


class MultiEditor(FieldEditor):
    """Every option as a checkbox, as on the official form; the cascade may mark some as outside the content."""

    def __init__(self, field: Field, session: CaseSession, parent=None) -> None:
        super().__init__(field, session, parent)
        self.options = session.case.form.options(field.options_from)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.grid = FlowGrid(self, PER_ROW.get(field.options_from, 4))  # as many to a row as the form, or fewer
        lay.addWidget(self.grid)
        self.boxes: dict[str, QCheckBox] = {}
        for option in self.options:
            box = QCheckBox(option, self)
            box.setAccessibleName(f"{field.label}：{option}")
            box.setToolTip(field.hint)
            box.toggled.connect(self._changed)
            self.grid.add(box)
            self.boxes[option] = box
        self.note: NoteLabel | None = None  # only where the cascade writes notes (reserve_note)
        self.setAccessibleName(field.display_label)

    def load(self) -> None:
        self._loading = True
        try:
            chosen = set(self.session.get(self.field.key))
            for option, box in self.boxes.items():
                box.setChecked(option in chosen)
        finally:
            self._loading = False

    def chosen(self) -> list[str]:
        return [o for o, b in self.boxes.items() if b.isChecked()]

    def _changed(self, _checked: bool) -> None:
        # Values outside the options (typed in an older file) are kept, not dropped.
        extra = [v for v in self.session.get(self.field.key) if v not in self.boxes]
        self.write(self.chosen() + extra, f"勾选“{self.field.label}”")

    def mark_allowed(self, allowed: set[str] | None) -> None:
        """Grey out (but never disable) options outside the chosen content: suggestions never block."""
        for option, box in self.boxes.items():
            outside = allowed is not None and option not in allowed
            show_status(box, "muted" if outside else None)
            box.setToolTip("课程标准中所选课程内容不在此范围；如确有安排仍可勾选。" if outside else self.field.hint)

    def reserve_note(self) -> None:
        """A note under the boxes whose room is kept while it is empty, so nothing below moves as it changes."""
        if self.note is None:
            self.note = NoteLabel(2, "near", self)
            self.layout().addWidget(self.note)

    def show_note(self, text: str) -> None:
        self.reserve_note()
        self.note.set_message(text)

    def focus_widget(self) -> QWidget:
        return next(iter(self.boxes.values()))


class ChecklistEditor(FieldEditor):
    """The official tool table: one checkbox per 具体, grouped under its 类别, in the notice's order."""

    def __init__(self, field: Field, session: CaseSession, parent=None) -> None:
        super().__init__(field, session, parent)
        self.checklist = session.case.form.checklist(field)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[tuple[str, str], QCheckBox] = {}
        for cat in self.checklist.categories:
            title = QLabel(cat.name, self)
            title.setFont(heading_font(title, 1.05))
            lay.addWidget(title)
            grid = QGridLayout()
            grid.setContentsMargins(12, 0, 0, 4)
            for i, item in enumerate(cat.items):
                box = QCheckBox(item, self)
                box.setAccessibleName(f"{cat.name}/{item}")
                box.toggled.connect(self._changed)
                grid.addWidget(box, i // 4, i % 4)
                self.boxes[(cat.name, item)] = box
            lay.addLayout(grid)
        self.setAccessibleName(field.display_label)

    def load(self) -> None:
        self._loading = True
        try:
            chosen = self.session.get(self.field.key)
            for (cat, item), box in self.boxes.items():
                box.setChecked(item in chosen.get(cat, []))
        finally:
            self._loading = False

    def _changed(self, _checked: bool) -> None:
        value: dict[str, list[str]] = {}
        for (cat, item), box in self.boxes.items():
            if box.isChecked():
                value.setdefault(cat, []).append(item)
        self.write(value, f"勾选“{self.field.label}”")

    def focus_widget(self) -> QWidget:
        return next(iter(self.boxes.values()))
