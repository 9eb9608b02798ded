"""The size floor for the build: a bare PySide6 QMainWindow, bundled by build.spec with the app's pruning."""

import sys

from PySide6.QtWidgets import QApplication, QMainWindow

if __name__ == "__main__":
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.show()
    app.processEvents()
    sys.exit(0)
