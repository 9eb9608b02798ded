"""Runs tests/desk/ in a real X window: Xvfb with Qt's xcb platform, at the school-PC screen sizes and scalings
the issue names (1366×768 fully; the others for fitting the screen). CI installs xvfb and the xcb libraries and
sets YANXIU_REQUIRE_XVFB=1, so a missing X server fails here instead of skipping."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT

FIT = "fit_the_screen"
SETUPS = [("1366x768", "1", "")] + [  # screen, scale factor, which tests ("" all)
    (screen, scale, FIT) for screen in ("1280x720", "1366x768", "1920x1080") for scale in ("1", "1.25", "1.5")
    if (screen, scale) != ("1366x768", "1")]


@pytest.mark.parametrize("screen,scale,select", SETUPS, ids=[f"{s}@{f}" for s, f, _ in SETUPS])
def test_desk_in_a_real_window(screen, scale, select):
    if shutil.which("xvfb-run") is None:
        if os.environ.get("YANXIU_REQUIRE_XVFB") == "1":
            pytest.fail("xvfb-run is required here (YANXIU_REQUIRE_XVFB=1) but was not found")
        pytest.skip("xvfb-run is not installed")
    env = dict(os.environ, YANXIU_DESK="1", QT_QPA_PLATFORM="xcb", QT_SCALE_FACTOR=scale, PYTHONIOENCODING="utf-8")
    env.pop("QT_SCREEN_SCALE_FACTORS", None)
    cmd = ["xvfb-run", "-a", "-s", f"-screen 0 {screen}x24", sys.executable, "-m", "pytest", "tests/desk", "-q",
           "-p", "no:cacheprovider", "-o", "addopts="]
    if select:
        cmd += ["-k", select]
    run = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    report = run.stdout[-4000:] + run.stderr[-2000:]
    assert run.returncode == 0, report
    assert " passed" in run.stdout and " failed" not in run.stdout, report
