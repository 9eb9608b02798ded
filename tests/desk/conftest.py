"""Tests that need a real window: run by tests/test_real_window.py under Xvfb with the xcb platform, one run per
screen size and scaling. Collected only there (YANXIU_DESK=1): offscreen they would prove nothing."""

import os

collect_ignore_glob = [] if os.environ.get("YANXIU_DESK") == "1" else ["test_*.py"]
