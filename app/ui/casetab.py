"""One open case as a tab of the main window: its session, its wizard with the page list, and its autosave."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.render.pdf.select import ConverterHolder
from app.ui.autosave import Autosaver
from app.ui.session import CaseSession
from app.ui.wizard import CaseWizard, WizardArea


class CaseTab(QWidget):
    def __init__(self, session: CaseSession, converters: ConverterHolder, export_dir: Path, autosave_dir: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.autosaver = Autosaver(session, autosave_dir, self)
        self.wizard = CaseWizard(session, converters, export_dir)
        self.area = WizardArea(self.wizard, self)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.area)
        self.wizard.currentIdChanged.connect(lambda _id: self.autosaver.save_now())
        self.wizard.restart()

    @property
    def label(self) -> str:
        """The tab's text: the case's name, with a mark while it has unsaved edits."""
        return self.session.display_name + (" *" if self.session.dirty else "")

    def busy(self) -> bool:
        return self.wizard.export_page.busy()

    def close_session(self, *, discard_draft: bool = True) -> None:
        """Stop autosaving; the draft goes unless the case is kept for a later restore."""
        self.autosaver.stop()
        if discard_draft:
            self.autosaver.discard()
