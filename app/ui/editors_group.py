"""Editors for a field's named parts: numbers and dates (参与教师, 持续时间, 直播与研修周期, 相关统计) with live sums,
and the notice's numbered texts (研修目标, 考核评价 with each dimension's weight beside it) with one 字数 counter."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import (QDateEdit, QDoubleSpinBox, QGridLayout, QLabel, QSizePolicy, QSpinBox, QVBoxLayout,
                               QWidget)

from app.core.forms import Field, Part
from app.core.rules import field_word_count
from app.core.wordcount import count_words
from app.ui.counter import CountLabel, show_status
from app.ui.editors_text import FieldEditor, PlainTextBox, show_plain_text
from app.ui.flowgrid import FlowGrid
from app.ui.session import CaseSession

UNSET = "未填写"


class _Unset:
    """Spin boxes whose minimum means 未填写: focusing one that shows 未填写 selects it, so the first digit typed
    (0 included) replaces the text instead of being rejected inside it."""

    def focusInEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().focusInEvent(event)
        if self.value() == self.minimum():
            QTimer.singleShot(0, self.selectAll)

    def validate(self, text: str, pos: int):
        """A digit typed into the 未填写 text (the cursor was placed inside it) starts the number."""
        if text != UNSET and any(c in text for c in UNSET):
            digits = "".join(c for c in text if c.isdigit() or c == ".")
            if digits:
                text = self.prefix() + digits + self.suffix()
                pos = len(self.prefix()) + len(digits)
        return super().validate(text, pos)


class CountBox(_Unset, QSpinBox):
    pass


class DecimalBox(_Unset, QDoubleSpinBox):
    pass


_DATE_UNSET = QDate(2000, 1, 1)


class GroupEditor(FieldEditor):
    def __init__(self, field: Field, session: CaseSession, parent=None) -> None:
        super().__init__(field, session, parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        if field.text_parts:  # the boxes take the width; labels and a weight beside a box only what they need
            # and no more height than the boxes want: spare room on the page stays below the field
            self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
            for col in (1, 3) if any(p.weight for p in field.parts) else (1, 3, 5):
                grid.setColumnStretch(col, 1)
        self.inputs: dict[str, QWidget] = {}
        self.part_counts: dict[str, QLabel] = {}
        weights = {p.weight for p in field.parts if p.weight}
        row = 0
        pairs: FlowGrid | None = None  # the numbers and dates since the last text part: three pairs to a row, or fewer
        for part in field.parts:
            if part.key in weights:
                continue  # beside its text part
            if part.kind == "text":
                pairs = None
                self._text_row(grid, row, part, field.text_parts.index(part) + 1 if field.numbered else 0)
                row += 1
                continue
            if pairs is None:
                pairs = FlowGrid(self, 3)
                grid.addWidget(pairs, row, 0, 1, 6)
                row += 1
            pairs.add(*self._number_or_date(part))
        self.counter = CountLabel(field.limit, self) if field.limit else None
        self.summary = QLabel(self)
        bottom = grid.rowCount()
        grid.addWidget(self.summary, bottom, 0, 1, 5)
        if self.counter:
            grid.addWidget(self.counter, bottom, 5)
        self.setAccessibleName(field.display_label)

    def _text_row(self, grid: QGridLayout, row: int, part: Part, number: int) -> None:
        """A text part on its own row: "1.教师发展目标" and the notice's note as placeholder; a weight beside it."""
        label = QLabel(f"{number}.{part.label}" if number else part.label, self)
        box = PlainTextBox(self, self.session.undo_stack)
        box.setPlaceholderText(part.hint or self.field.hint)  # the notice's own note, brackets and all
        box.setToolTip(f"{part.label}{part.hint}" if part.hint else self.field.hint)
        box.setAccessibleName(f"{self.field.label}：{part.label}")
        box.setTabChangesFocus(True)
        box.setMinimumHeight(56)
        box.setMaximumHeight(96)  # three or four lines: a goal is one or two sentences
        box.textChanged.connect(self._changed)
        label.setBuddy(box)
        count = QLabel(self)  # this goal's own 字数; the field's counter below holds the notice's 300 for all
        show_status(count, "ok")
        cell = QVBoxLayout()
        cell.addWidget(label)
        cell.addWidget(count)
        grid.addLayout(cell, row, 0, Qt.AlignmentFlag.AlignTop)
        self.part_counts[part.key] = count
        self.inputs[part.key] = box
        if part.weight:
            grid.addWidget(box, row, 1, 1, 3)
            wlabel, w = self._number_or_date(self.field.part(part.weight), caption="权重")
            grid.addWidget(wlabel, row, 4)
            grid.addWidget(w, row, 5)
        else:
            grid.addWidget(box, row, 1, 1, 5)

    def _number_or_date(self, part: Part, caption: str = "") -> tuple[QLabel, QWidget]:
        field = self.field
        label = QLabel(caption or part.label, self)
        if part.kind == "date":
            w = QDateEdit(self)
            w.setCalendarPopup(True)
            w.setDisplayFormat("yyyy年M月d日")
            w.setMinimumDate(_DATE_UNSET)
            w.setSpecialValueText(UNSET)
            w.setDate(_DATE_UNSET)
            w.dateChanged.connect(self._changed)
        else:
            decimals = part.unit == "%" and field.sum is None
            w = DecimalBox(self) if decimals else CountBox(self)
            if decimals:
                w.setDecimals(1)
            w.setMinimum(-1)  # -1 shows as 未填写: an empty figure is not a zero
            w.setMaximum(int(part.max) if part.max is not None else 1_000_000)
            w.setSpecialValueText(UNSET)
            w.setValue(-1)
            w.setSuffix(f" {part.unit}" if part.unit else "")
            w.valueChanged.connect(self._changed)
        w.setAccessibleName(f"{field.label}：{part.label}")
        w.setToolTip(field.hint)
        label.setBuddy(w)
        self.inputs[part.key] = w
        return label, w

    def value(self) -> dict:
        out = {}
        for part in self.field.parts:
            w = self.inputs[part.key]
            if part.kind == "text":
                out[part.key] = w.toPlainText()
            elif part.kind == "date":
                d = w.date()
                out[part.key] = "" if d == _DATE_UNSET else d.toString("yyyy-MM-dd")
            else:
                v = w.value()
                out[part.key] = None if v < 0 else v
        return out

    def load(self) -> None:
        self._loading = True
        try:
            value = self.session.get(self.field.key)
            for part in self.field.parts:
                w = self.inputs[part.key]
                v = value.get(part.key)
                if part.kind == "text":
                    if w.toPlainText() != v:
                        show_plain_text(w, v, self.shown)
                elif part.kind == "date":
                    w.setDate(QDate.fromString(v, "yyyy-MM-dd") if v else _DATE_UNSET)
                else:
                    w.setValue(-1 if v is None else v)
        finally:
            self._loading = False
            self.shown = True
        self._update_summary(self.value())

    def _changed(self, *_args) -> None:
        value = self.value()
        self._update_summary(value)
        self.write(value)

    def _update_summary(self, value: dict) -> None:
        f = self.field
        if self.counter:
            self.counter.show_count(field_word_count(f, value))
        for key, label in self.part_counts.items():
            label.setText(f"{count_words(value.get(key) or '')} 字")
        numbers = {p.key: value.get(p.key) for p in f.parts if p.kind == "number"}
        if f.sum is not None:
            total = sum(v for v in numbers.values() if v is not None)
            ok = abs(total - f.sum) < 1e-9
            self.summary.setText(f"合计 {total:g}%" + ("" if ok else f"（应为 {f.sum:g}%）"))
            show_status(self.summary, "good" if ok else "over")
        elif f.total:
            parts = [p for p in f.parts if p.in_total and p.key != f.total]
            if not parts:
                self.summary.setText("")
                return
            partial = sum(numbers[p.key] or 0 for p in parts)
            total = numbers.get(f.total)
            over = total is not None and partial > total
            names = "、".join(p.label for p in parts)
            complete = all(numbers[p.key] is not None for p in parts)
            short = total is not None and complete and partial < total
            unit = f.part(f.total).unit
            text = f"{names}合计 {partial:g} {unit}"
            if over:
                text += f"，超过共计 {total:g} {unit}"
            elif short:
                text += f"，与共计 {total:g} {unit}相差 {total - partial:g} {unit}，请核对"
            self.summary.setText(text)
            show_status(self.summary, "over" if over else "near" if short else "ok")

    def focus_widget(self) -> QWidget:
        return next(iter(self.inputs.values()))
