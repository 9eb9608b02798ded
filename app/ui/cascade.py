"""The curriculum cascade on the info page: 科目 → 课程内容 → 学段 → 年级, 课程内容依据 and a 研修主题 prefix.
It listens to the session and shows suggestions and warnings; what it fills in is part of the teacher's edit
(app/core/derive.py), so one undo takes both back. It never blocks."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QPushButton, QWidget

from app.core.curriculum import grade_label, grade_numbers
from app.core.forms import FormDef
from app.ui.notes import NoteLabel
from app.ui.session import CaseSession


class CascadeController(QObject):
    def __init__(self, form: FormDef, session: CaseSession, editors: dict, layout: QFormLayout, parent: QWidget) -> None:
        super().__init__(parent)
        self.form, self.session, self.editors = form, session, editors
        self.cur = form.curriculum
        row = QWidget(parent)
        h = QHBoxLayout(row)
        h.setContentsMargins(0, 0, 0, 0)
        self.prefix_btn = QPushButton(row)
        self.prefix_btn.setAccessibleName("研修主题建议")
        self.prefix_btn.setFlat(True)
        self.prefix_btn.setStyleSheet("color: #1F5FA8; text-align: left;")
        self.prefix_btn.clicked.connect(self.apply_prefix)
        h.addWidget(self.prefix_btn)
        h.addStretch(1)
        policy = self.prefix_btn.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # the form below must not jump as the suggestion comes and goes
        self.prefix_btn.setSizePolicy(policy)
        # ... nor as its text comes: an empty button is shorter than one with Chinese text (the CJK face is taller)
        self.prefix_btn.setText("建议以“小学数学”开头，点此填入")
        self.prefix_btn.setFixedHeight(self.prefix_btn.sizeHint().height())
        self.prefix_btn.hide()
        layout.insertRow(1, "", row)
        self.source = NoteLabel(1, "ok", parent)  # the grades below stay put as the content's notes change
        index = list(editors).index("content_items")
        layout.insertRow(index + 2, "", self.source)
        editors["grades"].reserve_note()
        # What each field's edit makes the cascade do again; it listens to these fields only.
        self._follow = {"subject": (self.refresh,), "content_items": (self.refresh,),
                        "grades": (self._warn, self._suggest_prefix), "stages": (self._warn, self._suggest_prefix),
                        "theme": (self._suggest_prefix,)}
        session.watch(tuple(self._follow), self._on_changed, self)

    def _on_changed(self, key: str) -> None:
        for step in self._follow[key]:
            step()

    def refresh(self) -> None:
        subjects = self.session.get("subject")
        subject = subjects[0] if len(subjects) == 1 else ""
        items = [i.name for i in self.cur.content_items(subject)]
        self.editors["content_items"].set_options(tuple(items))
        chosen = self.session.get("content_items")
        sugg = self.cur.suggest(subject, chosen)
        known = subject and chosen and all(self.cur.subject(subject).item(c) for c in chosen)
        allowed_grades = {grade_label(g) for g in sugg.allowed_grades} if known else None
        self.editors["grades"].mark_allowed(allowed_grades)
        self.editors["stages"].mark_allowed(set(sugg.stages) if known else None)
        self.source.set_message(self._source_text(subject, chosen))
        self._warn()
        self._suggest_prefix()

    def _source_text(self, subject: str, chosen: list[str]) -> str:
        from app.core.curriculum import MARKS

        s = self.cur.subject(subject)
        if s is None or not chosen:
            return "先勾选科目，再选择或输入课程内容；列表之外的内容也可以直接输入。" if not subject else ""
        notes = []
        for name in chosen:
            item = s.item(name)
            if item is None:
                notes.append(f"“{name}”不在课程内容列表中，请核对课程标准原文。")
            elif item.mark != "notice":
                notes.append(f"“{name}”来源：{MARKS[item.mark]}" + (f"（{item.note}）" if item.note else "") + "，请以课程标准原文为准。")
        if s.grades_note:
            notes.append(s.grades_note)
        return " ".join(notes)

    def _warn(self) -> None:
        from app.core.rules import check_curriculum

        # Only the curriculum rule: the full check would also stat the supporting files on every click.
        grade_msgs = [f.message for f in check_curriculum(self.session.case) if f.field in ("grades", "stages")]
        self.editors["grades"].show_note(" ".join(grade_msgs))

    def _suggest_prefix(self) -> None:
        subjects = self.session.get("subject")
        grades = grade_numbers(self.session.get("grades"))
        if len(subjects) != 1:
            self.prefix_btn.hide()
            return
        prefix = self.cur.theme_prefix(subjects[0], grades, self.session.get("content_items"))
        phrase = self.cur.theme_prefix(subjects[0], grades)  # 小学数学: the subject phrase without the content
        theme = self.session.get("theme")
        if not prefix or prefix in theme or (phrase and theme.startswith(phrase)):
            self.prefix_btn.hide()
            return
        self.prefix_btn.setText(f"建议以“{prefix}”开头，点此填入")
        self.prefix_btn.setProperty("prefix", prefix)
        self.prefix_btn.show()

    def apply_prefix(self) -> None:
        prefix = self.prefix_btn.property("prefix") or ""
        theme = self.session.get("theme")
        self.session.set("theme", prefix + theme, "填入研修主题建议")
