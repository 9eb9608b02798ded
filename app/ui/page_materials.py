"""The 支撑材料 page: up to 5 files with titles, each size and the total against 100 MB."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QHBoxLayout, QHeaderView, QLabel, QPushButton,
                               QStyledItemDelegate, QTableWidget, QTableWidgetItem)

from app.core.forms import FormDef
from app.core.materials import MaterialError, add_material, format_size, resolve, total_size
from app.ui.counter import show_status
from app.ui.inputs import guard_of
from app.ui.pages import ScrollPage
from app.ui.session import CaseSession


class TitleDelegate(QStyledItemDelegate):
    """A title's editor is guarded like the page's text boxes: Ctrl+Z / Ctrl+Y in it undo the case (what is typed
    is handed over first), not the editor's own history."""

    def createEditor(self, parent, option, index):  # noqa: N802 (Qt override)
        editor = super().createEditor(parent, option, index)
        guard = guard_of(parent)
        if guard is not None:
            editor.installEventFilter(guard)
        return editor


class MaterialsPage(ScrollPage):
    def __init__(self, form: FormDef, session: CaseSession, parent=None) -> None:
        m = form.materials
        super().__init__(m.label, m.hint, parent)
        self.form, self.session = form, session
        self._loading = False

    def build_body(self) -> None:
        m = self.form.materials
        from PySide6.QtWidgets import QVBoxLayout

        lay = QVBoxLayout(self.body)
        self.table = QTableWidget(self.body)
        self.table.setColumnCount(3)
        self.table.setHorizontalHeaderLabels(["标题（写明是什么）", "文件", "大小"])
        self.table.setAccessibleName(m.label)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setItemDelegate(TitleDelegate(self.table))
        self.table.itemChanged.connect(self._title_changed)
        lay.addWidget(self.table)
        row = QHBoxLayout()
        self.add_btn = QPushButton("添加文件…", self.body)
        self.add_btn.clicked.connect(self.choose_files)
        remove = QPushButton("删除", self.body)
        remove.clicked.connect(self.remove_selected)
        row.addWidget(self.add_btn)
        row.addWidget(remove)
        row.addStretch(1)
        self.total = QLabel(self.body)
        self.total.setAccessibleName(f"{m.label}合计")
        row.addWidget(self.total)
        lay.addLayout(row)
        self.downscale = QCheckBox("生成报送文件夹时，压缩大于8MB的照片（原图不变）", self.body)
        self.downscale.setChecked(self.session.downscale_photos)
        self.downscale.toggled.connect(lambda on: setattr(self.session, "downscale_photos", on))
        lay.addWidget(self.downscale)
        lay.addStretch(1)
        self.session.watch(("",), lambda _key: self.load(), self)

    def initializePage(self) -> None:  # noqa: N802
        self.load()

    def load(self) -> None:
        self.build()
        self._loading = True
        try:
            mats = self.session.case.materials
            self.table.setRowCount(len(mats))
            for r, mat in enumerate(mats):
                path = resolve(mat, self.session.base_dir)
                size = path.stat().st_size if path.is_file() else mat.size
                self.table.setItem(r, 0, QTableWidgetItem(mat.title))
                for c, text in ((1, mat.path + ("" if path.is_file() else "（找不到文件）")), (2, format_size(size))):
                    item = QTableWidgetItem(text)
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                    self.table.setItem(r, c, item)
        finally:
            self._loading = False
        m = self.form.materials
        n, total = len(self.session.case.materials), total_size(self.session.case, self.session.base_dir)
        over = n > m.max_files or total > m.max_total_bytes
        self.total.setText(f"共 {n} / {m.max_files} 件，{format_size(total)} / {m.max_total_mb}M")
        show_status(self.total, "over" if over else "ok")
        self.add_btn.setEnabled(n < m.max_files)

    def add_files(self, paths: list[Path]) -> list[str]:
        """Add files as one undoable edit; returns what could not be added, in Chinese."""
        case = self.session.case
        before = list(case.materials)
        errors = []
        for p in paths:
            try:
                add_material(case, p, base_dir=self.session.base_dir)
            except MaterialError as exc:
                errors.append(str(exc))
        after, case.materials = case.materials, before  # the command stores the new list (and can take it back)
        self.session.set_materials(after, f"添加{self.form.materials.label}")
        self.load()
        return errors

    def choose_files(self) -> None:
        from PySide6.QtWidgets import QMessageBox  # dialogs load when asked for

        from app.ui.dialogs import open_files

        # Where the case is saved (her photos usually lie beside it), else her home folder, not the program's own.
        folder = str(self.session.base_dir or Path.home())
        files = open_files(self, "选择支撑材料", folder, "图片和文档 (*.jpg *.jpeg *.png *.pdf *.doc *.docx *.ppt *.pptx *.mp4);;所有文件 (*)")
        errors = self.add_files([Path(f) for f in files])
        if errors:
            QMessageBox.warning(self, self.form.materials.label, "\n".join(errors))

    def remove_selected(self) -> None:
        r = self.table.currentRow()
        materials = list(self.session.case.materials)
        if 0 <= r < len(materials):
            del materials[r]
            self.session.set_materials(materials, f"删除{self.form.materials.label}第{r + 1}件")

    def _title_changed(self, item: QTableWidgetItem) -> None:
        if self._loading or item.column() != 0:
            return
        from app.core.textclean import clean_text

        from app.core.model import Material

        materials = list(self.session.case.materials)
        old = materials[item.row()]
        materials[item.row()] = Material(old.path, clean_text(item.text(), multiline=False), old.size)
        self.session.set_materials(materials, f"修改{self.form.materials.label}第{item.row() + 1}件的标题")
