"""Editors for named numbers and dates (参与教师, 持续时间, 三维评价权重, 直播与研修周期) with live sums."""

from __future__ import annotations

from PySide6.QtCore import QDate, QTimer
from PySide6.QtWidgets import QDateEdit, QDoubleSpinBox, QGridLayout, QLabel, QSpinBox, QWidget

from app.core.forms import Field
from app.ui.counter import color_style
from app.ui.editors_text import FieldEditor
from app.ui.session import CaseSession

UNSET = "未填写"
_DATE_UNSET = QDate(2000, 1, 1)


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


class GroupEditor(FieldEditor):
    def __init__(self, field: Field, session: CaseSession, parent=None) -> None:
        super().__init__(field, session, parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.inputs: dict[str, QWidget] = {}
        for i, part in enumerate(field.parts):
            label = QLabel(part.label, self)
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
            row, col = divmod(i, 3)
            grid.addWidget(label, row, col * 2)
            grid.addWidget(w, row, col * 2 + 1)
            self.inputs[part.key] = w
        self.summary = QLabel(self)
        grid.addWidget(self.summary, grid.rowCount(), 0, 1, 6)
        self.setAccessibleName(field.display_label)

    def value(self) -> dict:
        out = {}
        for part in self.field.parts:
            w = self.inputs[part.key]
            if part.kind == "date":
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
                if part.kind == "date":
                    w.setDate(QDate.fromString(v, "yyyy-MM-dd") if v else _DATE_UNSET)
                else:
                    w.setValue(-1 if v is None else v)
        finally:
            self._loading = False
        self._update_summary(self.value())

    def _changed(self, *_args) -> None:
        value = self.value()
        self._update_summary(value)
        self.write(value)

    def _update_summary(self, value: dict) -> None:
        f = self.field
        numbers = {p.key: value.get(p.key) for p in f.parts if p.kind == "number"}
        if f.sum is not None:
            total = sum(v for v in numbers.values() if v is not None)
            ok = abs(total - f.sum) < 1e-9
            self.summary.setText(f"合计 {total:g}%" + ("" if ok else f"（应为 {f.sum:g}%）"))
            self.summary.setStyleSheet(color_style("good" if ok else "over"))
        elif f.total:
            parts = [p for p in f.parts if p.in_total and p.key != f.total]
            if not parts:
                self.summary.setText("")
                return
            partial = sum(numbers[p.key] or 0 for p in parts)
            total = numbers.get(f.total)
            over = total is not None and partial > total
            complete = all(numbers[p.key] is not None for p in parts)
            short = total is not None and complete and partial < total
            names = "、".join(p.label for p in parts)
            unit = f.part(f.total).unit
            text = f"{names}合计 {partial:g} {unit}"
            if over:
                text += f"，超过共计 {total:g} {unit}"
            elif short:
                text += f"，与共计 {total:g} {unit}相差 {total - partial:g} {unit}，请核对"
            self.summary.setText(text)
            self.summary.setStyleSheet(color_style("over" if over else "near" if short else "ok"))

    def focus_widget(self) -> QWidget:
        return next(iter(self.inputs.values()))
