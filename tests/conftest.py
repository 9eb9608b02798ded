"""Shared fixtures; Qt runs offscreen so the suite works on a machine without a display."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SCHOOL_EXAMPLE = EXAMPLES / "school-math-graphics.json"
STUDIO_EXAMPLE = EXAMPLES / "studio-chinese-reading.json"
SHARED = ROOT.parent / "shared"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture
def school_case():
    from app.core.casefile import load_case

    return load_case(SCHOOL_EXAMPLE)


@pytest.fixture
def studio_case():
    from app.core.casefile import load_case

    return load_case(STUDIO_EXAMPLE)


@pytest.fixture(params=["school", "studio"])
def example_case(request):
    from app.core.casefile import load_case

    return load_case(SCHOOL_EXAMPLE if request.param == "school" else STUDIO_EXAMPLE)


def run_cli(*args: str, stdin: bytes | None = None, cwd: Path = ROOT, env: dict[str, str] | None = None):
    """Run `python -m app ...` in a subprocess, as a teacher's script or CI would."""
    import subprocess

    env = dict(os.environ, PYTHONIOENCODING="utf-8", **(env or {}))
    return subprocess.run([sys.executable, "-m", "app", *args], input=stdin, capture_output=True, cwd=cwd,
                          env=env, timeout=300)


REQUIRE_LIBREOFFICE = os.environ.get("YANXIU_REQUIRE_LIBREOFFICE") == "1"


@pytest.fixture(scope="session")
def soffice():
    """LibreOffice for real conversions; CI sets YANXIU_REQUIRE_LIBREOFFICE=1 so a missing one fails, not skips."""
    from app.render.pdf.libreoffice import find_soffice

    found = find_soffice()
    if found is None:
        if REQUIRE_LIBREOFFICE:
            pytest.fail("LibreOffice is required here (YANXIU_REQUIRE_LIBREOFFICE=1) but soffice was not found")
        pytest.skip("LibreOffice is not installed")
    return found


@pytest.fixture(scope="session")
def lo_profile(tmp_path_factory):
    return tmp_path_factory.mktemp("lo-profile")


@pytest.fixture(scope="session", autouse=True)
def _qt_application(qapp):
    """A QApplication before anything else: rendering would otherwise create a bare QGuiApplication first,
    and widgets cannot live on one."""
    return qapp
