"""Qt widgets only: the main window, the wizards and their dialogs."""
