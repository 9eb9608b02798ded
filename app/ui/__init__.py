"""Qt widgets only: the main window, the wizards and their dialogs."""

from app.ui.lean import skip_source_scan

skip_source_scan()  # first thing after PySide6 loads: every later import would otherwise keep its source in memory
