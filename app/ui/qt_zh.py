"""Chinese for the few Qt texts qtbase_zh_CN leaves in English: its catalogue translates "Look in:" but the file
dialog asks for "&Look in:" (and "Files of &type:"), so the dialog showed English labels on Linux."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator

MISSING = {
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
}


class MissingQtTexts(QTranslator):
    """Installed before Qt's own catalogues, so it is asked only about what they do not translate."""

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:  # noqa: ARG002
        return MISSING.get((context, source), "")

    def isEmpty(self) -> bool:  # noqa: N802 (Qt override)
        return False


def install(app: QCoreApplication) -> QTranslator:
    tr = MissingQtTexts(app)
    app.installTranslator(tr)
    return tr
